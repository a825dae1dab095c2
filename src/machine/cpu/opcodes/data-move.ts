/**
 * Data movement: mov in all its forms (register, immediate, moffs), lea,
 * xchg, movzx/movsx, cbw/cwde/cwd/cdq, cmovcc, setcc, bswap, xlat
 * (Intel SDM 2A/2B). None of these change flags.
 */
import { Vector } from '../../../hal/vcpu.js';
import type { CpuCore } from '../cpu-core.js';
import type { Instruction } from '../instruction.js';
import { defineForm, sizePrefix, type FormSpec } from './form-spec.js';

const SIZES = [8, 16, 32] as const;
const BY_SIZE = <T>(bits: number, h8: T, h16: T, h32: T): T => (bits === 8 ? h8 : bits === 16 ? h16 : h32);

export function movRmReg8(cpu: CpuCore, ins: Instruction): void { cpu.writeRm8(ins, cpu.r8[ins.reg8]); }
function movRmReg16(cpu: CpuCore, ins: Instruction): void { cpu.writeRm16(ins, cpu.r16[ins.reg << 1]); }
export function movRmReg32(cpu: CpuCore, ins: Instruction): void {
  if (ins.registerForm) cpu.gpr[ins.rm] = cpu.gpr[ins.reg];
  else cpu.memory.write32(cpu.ea(ins), cpu.gpr[ins.reg]);
}
export function movRegRm8(cpu: CpuCore, ins: Instruction): void { cpu.r8[ins.reg8] = cpu.readRm8(ins); }
function movRegRm16(cpu: CpuCore, ins: Instruction): void { cpu.r16[ins.reg << 1] = cpu.readRm16(ins); }
export function movRegRm32(cpu: CpuCore, ins: Instruction): void {
  cpu.gpr[ins.reg] = ins.registerForm ? cpu.gpr[ins.rm] : cpu.memory.read32(cpu.ea(ins));
}
function movRegImm8(cpu: CpuCore, ins: Instruction): void { cpu.r8[ins.operation] = ins.immediate; }
function movRegImm16(cpu: CpuCore, ins: Instruction): void { cpu.r16[ins.operation << 1] = ins.immediate; }
export function movRegImm32(cpu: CpuCore, ins: Instruction): void { cpu.gpr[ins.operation] = ins.immediate; }
export function movRmImm8(cpu: CpuCore, ins: Instruction): void { cpu.writeRm8(ins, ins.immediate); }
function movRmImm16(cpu: CpuCore, ins: Instruction): void { cpu.writeRm16(ins, ins.immediate); }
export function movRmImm32(cpu: CpuCore, ins: Instruction): void { cpu.writeRm32(ins, ins.immediate); }

// moffs: the displacement holds the offset; the segment is DS unless overridden.
function moffsAddress(cpu: CpuCore, ins: Instruction): number {
  return cpu.linear(ins.segment, ins.displacement & ins.addressMask);
}
function movAccMoffs8(cpu: CpuCore, ins: Instruction): void { cpu.r8[0] = cpu.memory.read8(moffsAddress(cpu, ins)); }
function movAccMoffs16(cpu: CpuCore, ins: Instruction): void { cpu.r16[0] = cpu.memory.read16(moffsAddress(cpu, ins)); }
function movAccMoffs32(cpu: CpuCore, ins: Instruction): void { cpu.gpr[0] = cpu.memory.read32(moffsAddress(cpu, ins)); }
function movMoffsAcc8(cpu: CpuCore, ins: Instruction): void { cpu.memory.write8(moffsAddress(cpu, ins), cpu.r8[0]); }
function movMoffsAcc16(cpu: CpuCore, ins: Instruction): void { cpu.memory.write16(moffsAddress(cpu, ins), cpu.r16[0]); }
function movMoffsAcc32(cpu: CpuCore, ins: Instruction): void { cpu.memory.write32(moffsAddress(cpu, ins), cpu.gpr[0]); }

/** lea: the offset only, without the segment base (Intel SDM 2A lea). */
function lea16(cpu: CpuCore, ins: Instruction): void {
  let address = ins.displacement;
  if (ins.base >= 0) address += cpu.gpr[ins.base];
  if (ins.index >= 0) address += cpu.gpr[ins.index] << ins.scale;
  cpu.r16[ins.reg << 1] = address;
}
export function lea32(cpu: CpuCore, ins: Instruction): void {
  let address = ins.displacement;
  if (ins.base >= 0) address += cpu.gpr[ins.base];
  if (ins.index >= 0) address += cpu.gpr[ins.index] << ins.scale;
  cpu.gpr[ins.reg] = address & ins.addressMask;
}

// xchg with memory: the store comes first, then the register (no partial state).
function xchg8(cpu: CpuCore, ins: Instruction): void {
  const value = cpu.r8[ins.reg8];
  if (ins.registerForm) { cpu.r8[ins.reg8] = cpu.r8[ins.rm8]; cpu.r8[ins.rm8] = value; return; }
  const address = cpu.ea(ins);
  cpu.checkModify(address, 1);
  const old = cpu.memory.read8(address);
  cpu.memory.write8(address, value);
  cpu.r8[ins.reg8] = old;
}
function xchg16(cpu: CpuCore, ins: Instruction): void {
  const value = cpu.r16[ins.reg << 1];
  if (ins.registerForm) { cpu.r16[ins.reg << 1] = cpu.r16[ins.rm << 1]; cpu.r16[ins.rm << 1] = value; return; }
  const address = cpu.ea(ins);
  cpu.checkModify(address, 2);
  const old = cpu.memory.read16(address);
  cpu.memory.write16(address, value);
  cpu.r16[ins.reg << 1] = old;
}
function xchg32(cpu: CpuCore, ins: Instruction): void {
  const value = cpu.gpr[ins.reg];
  if (ins.registerForm) { cpu.gpr[ins.reg] = cpu.gpr[ins.rm]; cpu.gpr[ins.rm] = value; return; }
  const address = cpu.ea(ins);
  cpu.checkModify(address, 4);
  const old = cpu.memory.read32(address);
  cpu.memory.write32(address, value);
  cpu.gpr[ins.reg] = old;
}
function xchgAcc16(cpu: CpuCore, ins: Instruction): void {
  const r = ins.operation << 1, value = cpu.r16[r];
  cpu.r16[r] = cpu.r16[0];
  cpu.r16[0] = value;
}
function xchgAcc32(cpu: CpuCore, ins: Instruction): void {
  const value = cpu.gpr[ins.operation];
  cpu.gpr[ins.operation] = cpu.gpr[0];
  cpu.gpr[0] = value;
}
function nop(_cpu: CpuCore, _ins: Instruction): void { /* no operation */ }

function movzx8To16(cpu: CpuCore, ins: Instruction): void { cpu.r16[ins.reg << 1] = cpu.readRm8(ins); }
export function movzx8To32(cpu: CpuCore, ins: Instruction): void { cpu.gpr[ins.reg] = cpu.readRm8(ins); }
function movzx16To16(cpu: CpuCore, ins: Instruction): void { cpu.r16[ins.reg << 1] = cpu.readRm16(ins); }
export function movzx16To32(cpu: CpuCore, ins: Instruction): void { cpu.gpr[ins.reg] = cpu.readRm16(ins); }
function movsx8To16(cpu: CpuCore, ins: Instruction): void { cpu.r16[ins.reg << 1] = (cpu.readRm8(ins) << 24) >> 24; }
export function movsx8To32(cpu: CpuCore, ins: Instruction): void { cpu.gpr[ins.reg] = (cpu.readRm8(ins) << 24) >> 24; }
function movsx16To16(cpu: CpuCore, ins: Instruction): void { cpu.r16[ins.reg << 1] = cpu.readRm16(ins); }
function movsx16To32(cpu: CpuCore, ins: Instruction): void { cpu.gpr[ins.reg] = (cpu.readRm16(ins) << 16) >> 16; }

function cbw(cpu: CpuCore): void { cpu.r16[0] = (cpu.r8[0] << 24) >> 24; }
function cwde(cpu: CpuCore): void { cpu.gpr[0] = (cpu.r16[0] << 16) >> 16; }
function cwd(cpu: CpuCore): void { cpu.r16[4] = (cpu.r16[0] & 0x8000) !== 0 ? 0xffff : 0; }
function cdq(cpu: CpuCore): void { cpu.gpr[2] = cpu.gpr[0] >> 31; }

/** cmovcc reads its source even when the condition is false (Intel SDM 2A cmovcc: a memory fault still occurs). */
function cmov16(cpu: CpuCore, ins: Instruction): void {
  const value = cpu.readRm16(ins);
  if (cpu.condition(ins.operation)) cpu.r16[ins.reg << 1] = value;
}
export function cmov32(cpu: CpuCore, ins: Instruction): void {
  const value = cpu.readRm32(ins);
  if (cpu.condition(ins.operation)) cpu.gpr[ins.reg] = value;
}
export function setcc(cpu: CpuCore, ins: Instruction): void { cpu.writeRm8(ins, cpu.condition(ins.operation) ? 1 : 0); }

function bswap32(cpu: CpuCore, ins: Instruction): void {
  const v = cpu.gpr[ins.operation];
  cpu.gpr[ins.operation] = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}
/** bswap with a 16-bit operand is undefined (Intel SDM 2A); real processors write 0 to the low word. */
function bswap16(cpu: CpuCore, ins: Instruction): void { cpu.r16[ins.operation << 1] = 0; }

function xlat(cpu: CpuCore, ins: Instruction): void {
  const offset = ((ins.addressMask === 0xffff ? cpu.r16[6] : cpu.gpr[3]) + cpu.r8[0]) & ins.addressMask;
  cpu.r8[0] = cpu.memory.read8(cpu.linear(ins.segment, offset));
}

function undefinedOpcode(cpu: CpuCore): void { cpu.raise(Vector.UD, 0); }

export const CONDITION_NAMES = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];

function forms(): FormSpec[] {
  const list: FormSpec[] = [];
  for (const bits of SIZES) {
    const w = bits === 8 ? 0 : 1;
    const prefixes = sizePrefix(bits);
    const operandSize = bits;
    const acc = bits === 8 ? 'al' : bits === 16 ? 'ax' : 'eax';
    list.push(defineForm({ name: `mov r/m${bits}, r${bits}`, prefixes, opcode: [0x88 + w], modrm: 'both', operandSize, writesMemory: true, handler: BY_SIZE(bits, movRmReg8, movRmReg16, movRmReg32) }));
    list.push(defineForm({ name: `mov r${bits}, r/m${bits}`, prefixes, opcode: [0x8a + w], modrm: 'both', operandSize, handler: BY_SIZE(bits, movRegRm8, movRegRm16, movRegRm32) }));
    list.push(defineForm({ name: `mov r/m${bits}, imm${bits}`, prefixes, opcode: [0xc6 + w], modrm: 'both', writesMemory: true, digit: 0, immediate: bits / 8, operandSize, handler: BY_SIZE(bits, movRmImm8, movRmImm16, movRmImm32) }));
    list.push(defineForm({ name: `mov ${acc}, moffs${bits}`, prefixes, opcode: [0xa0 + w], immediate: 4, moffs: true, operandSize, handler: BY_SIZE(bits, movAccMoffs8, movAccMoffs16, movAccMoffs32) }));
    list.push(defineForm({ name: `mov moffs${bits}, ${acc}`, prefixes, opcode: [0xa2 + w], immediate: 4, moffs: true, writesMemory: true, operandSize, handler: BY_SIZE(bits, movMoffsAcc8, movMoffsAcc16, movMoffsAcc32) }));
    list.push(defineForm({ name: `xchg r/m${bits}, r${bits}`, prefixes, opcode: [0x86 + w], modrm: 'both', operandSize, lockable: true, writesMemory: true, handler: BY_SIZE(bits, xchg8, xchg16, xchg32) }));
    for (let r = 0; r < 8; r++) {
      // B0+r: the register is encoded in the opcode; operation holds its r8 byte offset or index.
      const operation = bits === 8 ? (r & 3) * 4 + (r >> 2) : r;
      list.push(defineForm({ name: `mov r${bits}(${r}), imm${bits}`, mnemonic: 'mov', prefixes, opcode: [(bits === 8 ? 0xb0 : 0xb8) + r], immediate: bits / 8, operandSize, operation, handler: BY_SIZE(bits, movRegImm8, movRegImm16, movRegImm32) }));
    }
  }
  for (const bits of [16, 32] as const) {
    const prefixes = sizePrefix(bits);
    const operandSize = bits;
    list.push(defineForm({ name: `lea r${bits}, m`, prefixes, opcode: [0x8d], modrm: 'mem', operandSize, handler: bits === 16 ? lea16 : lea32 }));
    list.push(defineForm({ name: `movzx r${bits}, r/m8`, prefixes, opcode: [0x0f, 0xb6], modrm: 'both', operandSize, handler: bits === 16 ? movzx8To16 : movzx8To32 }));
    list.push(defineForm({ name: `movzx r${bits}, r/m16`, prefixes, opcode: [0x0f, 0xb7], modrm: 'both', operandSize, handler: bits === 16 ? movzx16To16 : movzx16To32 }));
    list.push(defineForm({ name: `movsx r${bits}, r/m8`, prefixes, opcode: [0x0f, 0xbe], modrm: 'both', operandSize, handler: bits === 16 ? movsx8To16 : movsx8To32 }));
    list.push(defineForm({ name: `movsx r${bits}, r/m16`, prefixes, opcode: [0x0f, 0xbf], modrm: 'both', operandSize, handler: bits === 16 ? movsx16To16 : movsx16To32 }));
    for (let r = 1; r < 8; r++) {
      list.push(defineForm({ name: `xchg ${bits === 16 ? 'ax' : 'eax'}, r${bits}(${r})`, mnemonic: 'xchg', prefixes, opcode: [0x90 + r], operandSize, operation: r, handler: bits === 16 ? xchgAcc16 : xchgAcc32 }));
      list.push(defineForm({ name: `bswap r${bits}(${r})`, mnemonic: 'bswap', prefixes, opcode: [0x0f, 0xc8 + r], operandSize, operation: r, handler: bits === 16 ? bswap16 : bswap32 }));
    }
    list.push(defineForm({ name: `bswap r${bits}(0)`, mnemonic: 'bswap', prefixes, opcode: [0x0f, 0xc8], operandSize, operation: 0, handler: bits === 16 ? bswap16 : bswap32 }));
    for (let cc = 0; cc < 16; cc++) {
      list.push(defineForm({ name: `cmov${CONDITION_NAMES[cc]} r${bits}, r/m${bits}`, prefixes, opcode: [0x0f, 0x40 + cc], modrm: 'both', operandSize, operation: cc, handler: bits === 16 ? cmov16 : cmov32 }));
    }
  }
  for (let cc = 0; cc < 16; cc++) {
    list.push(defineForm({ name: `set${CONDITION_NAMES[cc]} r/m8`, opcode: [0x0f, 0x90 + cc], modrm: 'both', writesMemory: true, operandSize: 8, operation: cc, handler: setcc }));
  }
  list.push(defineForm({ name: 'nop', opcode: [0x90], handler: nop }));
  list.push(defineForm({ name: 'pause', prefixes: [0xf3], opcode: [0x90], handler: nop }));
  list.push(defineForm({ name: 'nop r/m32', opcode: [0x0f, 0x1f], modrm: 'both', digit: 0, operandSize: 32, handler: nop }));
  list.push(defineForm({ name: 'nop r/m16', prefixes: [0x66], opcode: [0x0f, 0x1f], modrm: 'both', digit: 0, operandSize: 16, handler: nop }));
  // 0F 18..0F 1F: prefetch hints and reserved hint nops; they decode a ModRM and do nothing
  // (Intel SDM 2B nop, prefetchh; "reserved-nop" on P6 and later).
  for (let opcode = 0x18; opcode <= 0x1f; opcode++) {
    for (let digit = 0; digit < 8; digit++) {
      if (opcode === 0x1f && digit === 0) continue;
      list.push(defineForm({ name: `hint-nop 0f ${opcode.toString(16)} /${digit}`, mnemonic: opcode === 0x18 && digit < 4 ? 'prefetch' : 'nop', opcode: [0x0f, opcode], modrm: 'both', digit, handler: nop }));
    }
  }
  list.push(defineForm({ name: 'cbw', prefixes: [0x66], opcode: [0x98], operandSize: 16, handler: cbw }));
  list.push(defineForm({ name: 'cwde', opcode: [0x98], operandSize: 32, handler: cwde }));
  list.push(defineForm({ name: 'cwd', prefixes: [0x66], opcode: [0x99], operandSize: 16, handler: cwd }));
  list.push(defineForm({ name: 'cdq', opcode: [0x99], operandSize: 32, handler: cdq }));
  list.push(defineForm({ name: 'xlat m8', opcode: [0xd7], operandSize: 8, handler: xlat }));
  list.push(defineForm({ name: 'ud2', opcode: [0x0f, 0x0b], handler: undefinedOpcode }));
  return list;
}

export const DATA_MOVE_FORMS: readonly FormSpec[] = forms();
export { undefinedOpcode };
