/**
 * Integer arithmetic and logic: add/or/adc/sbb/and/sub/xor/cmp in all their
 * encodings, test, inc/dec, neg/not (Intel SDM 2A/2B). Flags are left lazy in
 * the core. `operation` is the group-1 digit: 0 add, 1 or, 2 adc, 3 sbb, 4 and,
 * 5 sub, 6 xor, 7 cmp.
 */
import { type CpuCore, LazyOp } from '../cpu-core.js';
import type { Instruction } from '../instruction.js';
import { defineForm, sizePrefix, type FormSpec, OSZAPC, OSZAP, AF } from './form-spec.js';

/** The result of `a op b` (carry is CF for adc/sbb). */
export function aluResult(op: number, a: number, b: number, carry: number): number {
  switch (op) {
    case 0: return (a + b) | 0;
    case 1: return a | b;
    case 2: return (a + b + carry) | 0;
    case 3: return (a - b - carry) | 0;
    case 4: return a & b;
    case 6: return a ^ b;
    default: return (a - b) | 0;
  }
}

/** Lazy-flag kind of each group-1 operation. */
const LAZY_KIND = [LazyOp.Add, LazyOp.Logic, LazyOp.Add, LazyOp.Sub, LazyOp.Logic, LazyOp.Sub, LazyOp.Logic, LazyOp.Sub];

/** Records the lazy flags of `a op b = result`. */
export function aluFlags(cpu: CpuCore, op: number, a: number, b: number, result: number, bits: number, carry: number): void {
  cpu.setLazy(LAZY_KIND[op], a, b, result, bits);
  cpu.lazyCarry = carry;
}

/** Computes `a op b` for operands of `bits` width and records the lazy flags (hot: one switch, no helper calls). */
export function alu(cpu: CpuCore, op: number, a: number, b: number, bits: number): number {
  let result: number;
  switch (op) {
    case 0: result = (a + b) | 0; cpu.setLazy(LazyOp.Add, a, b, result, bits); return result;
    case 1: result = a | b; cpu.setLazy(LazyOp.Logic, a, b, result, bits); return result;
    case 2: {
      const carry = cpu.getCF();
      result = (a + b + carry) | 0;
      cpu.setLazy(LazyOp.Add, a, b, result, bits);
      cpu.lazyCarry = carry;
      return result;
    }
    case 3: {
      const borrow = cpu.getCF();
      result = (a - b - borrow) | 0;
      cpu.setLazy(LazyOp.Sub, a, b, result, bits);
      cpu.lazyCarry = borrow;
      return result;
    }
    case 4: result = a & b; cpu.setLazy(LazyOp.Logic, a, b, result, bits); return result;
    case 6: result = a ^ b; cpu.setLazy(LazyOp.Logic, a, b, result, bits); return result;
    default: result = (a - b) | 0; cpu.setLazy(LazyOp.Sub, a, b, result, bits); return result;
  }
}

/**
 * Read-modify-write of a memory operand: the store happens before the flags
 * change, so a faulting store (a copy-on-write page) leaves no partial state.
 */
function aluMemory(cpu: CpuCore, op: number, address: number, b: number, bits: number): void {
  const memory = cpu.memory;
  // A read-modify-write access faults as a write even when the read would fault first (#PF error code W=1).
  if (op !== 7) cpu.checkModify(address, bits >> 3);
  const a = bits === 8 ? memory.read8(address) : bits === 16 ? memory.read16(address) : memory.read32(address);
  const carry = op === 2 || op === 3 ? cpu.getCF() : 0;
  const result = aluResult(op, a, b, carry);
  if (op !== 7) {
    if (bits === 8) memory.write8(address, result);
    else if (bits === 16) memory.write16(address, result);
    else memory.write32(address, result);
  }
  aluFlags(cpu, op, a, b, result, bits, carry);
}

// ---- op r/m, reg (00, 01) ----
export function aluRmReg8(cpu: CpuCore, ins: Instruction): void {
  const op = ins.operation;
  if (ins.registerForm) {
    const r = alu(cpu, op, cpu.r8[ins.rm8], cpu.r8[ins.reg8], 8);
    if (op !== 7) cpu.r8[ins.rm8] = r;
  } else {
    aluMemory(cpu, op, cpu.ea(ins), cpu.r8[ins.reg8], 8);
  }
}
function aluRmReg16(cpu: CpuCore, ins: Instruction): void {
  const op = ins.operation;
  if (ins.registerForm) {
    const r = alu(cpu, op, cpu.r16[ins.rm << 1], cpu.r16[ins.reg << 1], 16);
    if (op !== 7) cpu.r16[ins.rm << 1] = r;
  } else {
    aluMemory(cpu, op, cpu.ea(ins), cpu.r16[ins.reg << 1], 16);
  }
}
export function aluRmReg32(cpu: CpuCore, ins: Instruction): void {
  const op = ins.operation;
  if (ins.registerForm) {
    const r = alu(cpu, op, cpu.gpr[ins.rm], cpu.gpr[ins.reg], 32);
    if (op !== 7) cpu.gpr[ins.rm] = r;
  } else {
    aluMemory(cpu, op, cpu.ea(ins), cpu.gpr[ins.reg], 32);
  }
}

// ---- op reg, r/m (02, 03) ----
export function aluRegRm8(cpu: CpuCore, ins: Instruction): void {
  const r = alu(cpu, ins.operation, cpu.r8[ins.reg8], cpu.readRm8(ins), 8);
  if (ins.operation !== 7) cpu.r8[ins.reg8] = r;
}
function aluRegRm16(cpu: CpuCore, ins: Instruction): void {
  const r = alu(cpu, ins.operation, cpu.r16[ins.reg << 1], cpu.readRm16(ins), 16);
  if (ins.operation !== 7) cpu.r16[ins.reg << 1] = r;
}
export function aluRegRm32(cpu: CpuCore, ins: Instruction): void {
  const r = alu(cpu, ins.operation, cpu.gpr[ins.reg], cpu.readRm32(ins), 32);
  if (ins.operation !== 7) cpu.gpr[ins.reg] = r;
}

// ---- op al/ax/eax, imm (04, 05) ----
export function aluAccImm8(cpu: CpuCore, ins: Instruction): void {
  const r = alu(cpu, ins.operation, cpu.r8[0], ins.immediate & 0xff, 8);
  if (ins.operation !== 7) cpu.r8[0] = r;
}
function aluAccImm16(cpu: CpuCore, ins: Instruction): void {
  const r = alu(cpu, ins.operation, cpu.r16[0], ins.immediate & 0xffff, 16);
  if (ins.operation !== 7) cpu.r16[0] = r;
}
export function aluAccImm32(cpu: CpuCore, ins: Instruction): void {
  const r = alu(cpu, ins.operation, cpu.gpr[0], ins.immediate, 32);
  if (ins.operation !== 7) cpu.gpr[0] = r;
}

// ---- group 1: op r/m, imm (80, 81, 83) ----
export function aluRmImm8(cpu: CpuCore, ins: Instruction): void {
  const op = ins.reg;
  if (ins.registerForm) {
    const r = alu(cpu, op, cpu.r8[ins.rm8], ins.immediate & 0xff, 8);
    if (op !== 7) cpu.r8[ins.rm8] = r;
  } else {
    aluMemory(cpu, op, cpu.ea(ins), ins.immediate & 0xff, 8);
  }
}
function aluRmImm16(cpu: CpuCore, ins: Instruction): void {
  const op = ins.reg;
  if (ins.registerForm) {
    const r = alu(cpu, op, cpu.r16[ins.rm << 1], ins.immediate & 0xffff, 16);
    if (op !== 7) cpu.r16[ins.rm << 1] = r;
  } else {
    aluMemory(cpu, op, cpu.ea(ins), ins.immediate & 0xffff, 16);
  }
}
export function aluRmImm32(cpu: CpuCore, ins: Instruction): void {
  const op = ins.reg;
  if (ins.registerForm) {
    const r = alu(cpu, op, cpu.gpr[ins.rm], ins.immediate, 32);
    if (op !== 7) cpu.gpr[ins.rm] = r;
  } else {
    aluMemory(cpu, op, cpu.ea(ins), ins.immediate, 32);
  }
}

// ---- test ----
export function testRmReg8(cpu: CpuCore, ins: Instruction): void { alu(cpu, 4, cpu.readRm8(ins), cpu.r8[ins.reg8], 8); }
function testRmReg16(cpu: CpuCore, ins: Instruction): void { alu(cpu, 4, cpu.readRm16(ins), cpu.r16[ins.reg << 1], 16); }
export function testRmReg32(cpu: CpuCore, ins: Instruction): void { alu(cpu, 4, cpu.readRm32(ins), cpu.gpr[ins.reg], 32); }
export function testAccImm8(cpu: CpuCore, ins: Instruction): void { alu(cpu, 4, cpu.r8[0], ins.immediate & 0xff, 8); }
function testAccImm16(cpu: CpuCore, ins: Instruction): void { alu(cpu, 4, cpu.r16[0], ins.immediate & 0xffff, 16); }
export function testAccImm32(cpu: CpuCore, ins: Instruction): void { alu(cpu, 4, cpu.gpr[0], ins.immediate, 32); }
export function testRmImm8(cpu: CpuCore, ins: Instruction): void { alu(cpu, 4, cpu.readRm8(ins), ins.immediate & 0xff, 8); }
function testRmImm16(cpu: CpuCore, ins: Instruction): void { alu(cpu, 4, cpu.readRm16(ins), ins.immediate & 0xffff, 16); }
export function testRmImm32(cpu: CpuCore, ins: Instruction): void { alu(cpu, 4, cpu.readRm32(ins), ins.immediate, 32); }

// ---- inc/dec (flags: CF unchanged) ----
function incDecReg16(cpu: CpuCore, ins: Instruction): void {
  const index = ins.operation & 7, a = cpu.r16[index << 1];
  const dec = ins.operation >= 8;
  const r = dec ? a - 1 : a + 1;
  cpu.setLazyKeepCarry(dec ? LazyOp.Sub : LazyOp.Add, a, 1, r, 16);
  cpu.r16[index << 1] = r;
}
export function incDecReg32(cpu: CpuCore, ins: Instruction): void {
  const index = ins.operation & 7, a = cpu.gpr[index];
  const dec = ins.operation >= 8;
  const r = dec ? (a - 1) | 0 : (a + 1) | 0;
  cpu.setLazyKeepCarry(dec ? LazyOp.Sub : LazyOp.Add, a, 1, r, 32);
  cpu.gpr[index] = r;
}
function incDecRm8(cpu: CpuCore, ins: Instruction): void {
  const dec = ins.reg === 1;
  if (ins.registerForm) {
    const a = cpu.r8[ins.rm8], r = dec ? a - 1 : a + 1;
    cpu.setLazyKeepCarry(dec ? LazyOp.Sub : LazyOp.Add, a, 1, r, 8);
    cpu.r8[ins.rm8] = r;
  } else {
    const address = cpu.ea(ins);
    cpu.checkModify(address, 1);
    const a = cpu.memory.read8(address), r = dec ? a - 1 : a + 1;
    cpu.memory.write8(address, r);
    cpu.setLazyKeepCarry(dec ? LazyOp.Sub : LazyOp.Add, a, 1, r, 8);
  }
}
function incDecRm16(cpu: CpuCore, ins: Instruction): void {
  const dec = ins.reg === 1;
  if (ins.registerForm) {
    const a = cpu.r16[ins.rm << 1], r = dec ? a - 1 : a + 1;
    cpu.setLazyKeepCarry(dec ? LazyOp.Sub : LazyOp.Add, a, 1, r, 16);
    cpu.r16[ins.rm << 1] = r;
  } else {
    const address = cpu.ea(ins);
    cpu.checkModify(address, 2);
    const a = cpu.memory.read16(address), r = dec ? a - 1 : a + 1;
    cpu.memory.write16(address, r);
    cpu.setLazyKeepCarry(dec ? LazyOp.Sub : LazyOp.Add, a, 1, r, 16);
  }
}
function incDecRm32(cpu: CpuCore, ins: Instruction): void {
  const dec = ins.reg === 1;
  if (ins.registerForm) {
    const a = cpu.gpr[ins.rm], r = dec ? (a - 1) | 0 : (a + 1) | 0;
    cpu.setLazyKeepCarry(dec ? LazyOp.Sub : LazyOp.Add, a, 1, r, 32);
    cpu.gpr[ins.rm] = r;
  } else {
    const address = cpu.ea(ins);
    cpu.checkModify(address, 4);
    const a = cpu.memory.read32(address), r = dec ? (a - 1) | 0 : (a + 1) | 0;
    cpu.memory.write32(address, r);
    cpu.setLazyKeepCarry(dec ? LazyOp.Sub : LazyOp.Add, a, 1, r, 32);
  }
}

// ---- not / neg (group 3 /2, /3) ----
function notNeg8(cpu: CpuCore, ins: Instruction): void {
  const address = ins.registerForm ? 0 : cpu.ea(ins);
  if (!ins.registerForm) cpu.checkModify(address, 1);
  const a = ins.registerForm ? cpu.r8[ins.rm8] : cpu.memory.read8(address);
  const r = ins.reg === 2 ? ~a : -a;
  if (ins.registerForm) cpu.r8[ins.rm8] = r; else cpu.memory.write8(address, r);
  if (ins.reg === 3) cpu.setLazy(LazyOp.Sub, 0, a, r, 8);
}
function notNeg16(cpu: CpuCore, ins: Instruction): void {
  const address = ins.registerForm ? 0 : cpu.ea(ins);
  if (!ins.registerForm) cpu.checkModify(address, 2);
  const a = ins.registerForm ? cpu.r16[ins.rm << 1] : cpu.memory.read16(address);
  const r = ins.reg === 2 ? ~a : -a;
  if (ins.registerForm) cpu.r16[ins.rm << 1] = r; else cpu.memory.write16(address, r);
  if (ins.reg === 3) cpu.setLazy(LazyOp.Sub, 0, a, r, 16);
}
function notNeg32(cpu: CpuCore, ins: Instruction): void {
  const address = ins.registerForm ? 0 : cpu.ea(ins);
  if (!ins.registerForm) cpu.checkModify(address, 4);
  const a = ins.registerForm ? cpu.gpr[ins.rm] : cpu.memory.read32(address);
  const r = ins.reg === 2 ? ~a : -a | 0;
  if (ins.registerForm) cpu.gpr[ins.rm] = r; else cpu.memory.write32(address, r);
  if (ins.reg === 3) cpu.setLazy(LazyOp.Sub, 0, a, r, 32);
}

const ALU_NAMES = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
const SIZES = [8, 16, 32] as const;
const BY_SIZE = <T>(bits: number, h8: T, h16: T, h32: T): T => (bits === 8 ? h8 : bits === 16 ? h16 : h32);

function aluForms(): FormSpec[] {
  const forms: FormSpec[] = [];
  for (let op = 0; op < 8; op++) {
    const name = ALU_NAMES[op];
    const logic = op === 1 || op === 4 || op === 6;
    const flags = { flagsWritten: OSZAPC, flagsUndefined: logic ? AF : 0, lockable: op !== 7, writesMemory: op !== 7, operation: op };
    for (const bits of SIZES) {
      const w = bits === 8 ? 0 : 1;
      const prefixes = sizePrefix(bits);
      const operandSize = bits;
      const imm = bits === 8 ? 1 : bits / 8;
      const acc = bits === 8 ? 'al' : bits === 16 ? 'ax' : 'eax';
      forms.push(defineForm({ name: `${name} r/m${bits}, r${bits}`, prefixes, opcode: [op * 8 + w], modrm: 'both', operandSize, ...flags, handler: BY_SIZE(bits, aluRmReg8, aluRmReg16, aluRmReg32) }));
      forms.push(defineForm({ name: `${name} r${bits}, r/m${bits}`, prefixes, opcode: [op * 8 + 2 + w], modrm: 'both', operandSize, ...flags, lockable: false, writesMemory: false, handler: BY_SIZE(bits, aluRegRm8, aluRegRm16, aluRegRm32) }));
      forms.push(defineForm({ name: `${name} ${acc}, imm${bits}`, prefixes, opcode: [op * 8 + 4 + w], immediate: imm, operandSize, ...flags, lockable: false, writesMemory: false, handler: BY_SIZE(bits, aluAccImm8, aluAccImm16, aluAccImm32) }));
      forms.push(defineForm({ name: `${name} r/m${bits}, imm${bits}`, prefixes, opcode: [0x80 + w], modrm: 'both', digit: op, immediate: imm, operandSize, ...flags, handler: BY_SIZE(bits, aluRmImm8, aluRmImm16, aluRmImm32) }));
      if (bits === 8) {
        forms.push(defineForm({ name: `${name} r/m8, imm8 (82)`, opcode: [0x82], modrm: 'both', digit: op, immediate: 1, operandSize, ...flags, handler: aluRmImm8 }));
      } else {
        forms.push(defineForm({ name: `${name} r/m${bits}, imm8`, prefixes, opcode: [0x83], modrm: 'both', digit: op, immediate: 1, operandSize, ...flags, handler: BY_SIZE(bits, aluRmImm8, aluRmImm16, aluRmImm32) }));
      }
    }
  }
  return forms;
}

function otherForms(): FormSpec[] {
  const forms: FormSpec[] = [];
  const testFlags = { flagsWritten: OSZAPC, flagsUndefined: AF };
  for (const bits of SIZES) {
    const w = bits === 8 ? 0 : 1;
    const prefixes = sizePrefix(bits);
    const operandSize = bits;
    const imm = bits / 8;
    const acc = bits === 8 ? 'al' : bits === 16 ? 'ax' : 'eax';
    forms.push(defineForm({ name: `test r/m${bits}, r${bits}`, prefixes, opcode: [0x84 + w], modrm: 'both', operandSize, ...testFlags, handler: BY_SIZE(bits, testRmReg8, testRmReg16, testRmReg32) }));
    forms.push(defineForm({ name: `test ${acc}, imm${bits}`, prefixes, opcode: [0xa8 + w], immediate: imm, operandSize, ...testFlags, handler: BY_SIZE(bits, testAccImm8, testAccImm16, testAccImm32) }));
    for (const digit of [0, 1]) {
      forms.push(defineForm({ name: `test r/m${bits}, imm${bits}${digit === 1 ? ' (/1)' : ''}`, mnemonic: 'test', prefixes, opcode: [0xf6 + w], modrm: 'both', digit, immediate: imm, operandSize, ...testFlags, handler: BY_SIZE(bits, testRmImm8, testRmImm16, testRmImm32) }));
    }
    forms.push(defineForm({ name: `not r/m${bits}`, prefixes, opcode: [0xf6 + w], modrm: 'both', digit: 2, operandSize, lockable: true, writesMemory: true, handler: BY_SIZE(bits, notNeg8, notNeg16, notNeg32) }));
    forms.push(defineForm({ name: `neg r/m${bits}`, prefixes, opcode: [0xf6 + w], modrm: 'both', digit: 3, operandSize, lockable: true, writesMemory: true, flagsWritten: OSZAPC, handler: BY_SIZE(bits, notNeg8, notNeg16, notNeg32) }));
    for (const digit of [0, 1]) {
      const name = digit === 0 ? 'inc' : 'dec';
      forms.push(defineForm({ name: `${name} r/m${bits}`, prefixes, opcode: [0xfe + w], modrm: 'both', digit, operandSize, lockable: true, writesMemory: true, flagsWritten: OSZAP, handler: BY_SIZE(bits, incDecRm8, incDecRm16, incDecRm32) }));
    }
  }
  for (const bits of [16, 32] as const) {
    for (let r = 0; r < 8; r++) {
      for (const dec of [0, 1]) {
        forms.push(defineForm({ name: `${dec ? 'dec' : 'inc'} r${bits} (${(0x40 + dec * 8 + r).toString(16)})`, mnemonic: dec ? 'dec' : 'inc', prefixes: sizePrefix(bits), opcode: [0x40 + dec * 8 + r], operandSize: bits, flagsWritten: OSZAP, operation: dec * 8 + r, handler: bits === 16 ? incDecReg16 : incDecReg32 }));
      }
    }
  }
  return forms;
}

export const ARITHMETIC_FORMS: readonly FormSpec[] = [...aluForms(), ...otherForms()];
