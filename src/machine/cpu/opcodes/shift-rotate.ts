/**
 * Shifts and rotates (group 2: C0/C1 imm8, D0/D1 by 1, D2/D3 by CL) and
 * shld/shrd (0F A4/A5/AC/AD), computed by the ALU (../alu/) with exact flags.
 * Memory operands are stored before the flags change (no partial state on a
 * faulting store). A masked count of 0 changes nothing (Intel SDM 2B sal/sar/shl/shr).
 */
import { CpuCore } from '../cpu-core.js';
import type { Instruction } from '../instruction.js';
import { aluOut, rol, ror, rcl, rcr, shl, shr, sar, shld, shrd, UNDEFINED_FLAGS, type OperandSize } from '../alu/index.js';
import { defineForm, sizePrefix, type FormSpec, OSZAPC, CF, OF } from './form-spec.js';

export const COUNT_ONE = 0, COUNT_CL = 1, COUNT_IMMEDIATE = 2;

function count(cpu: CpuCore, ins: Instruction): number {
  const source = ins.operation;
  return (source === COUNT_ONE ? 1 : source === COUNT_CL ? cpu.r8[4] : ins.immediate) & 31;
}

/** Computes the shift; the new flags are left in aluOut.flags (only the bits of the returned mask change). */
function compute(cpu: CpuCore, digit: number, size: OperandSize, value: number, n: number): number {
  switch (digit) {
    case 0: return rol(size, value, n, 0);
    case 1: return ror(size, value, n, 0);
    case 2: return rcl(size, value, n, cpu.getCF());
    case 3: return rcr(size, value, n, cpu.getCF());
    case 5: return shr(size, value, n, 0);
    case 7: return sar(size, value, n, 0);
    default: return shl(size, value, n, 0);
  }
}

function flagMask(digit: number): number {
  return digit < 4 ? CF | OF : OSZAPC;
}

function shiftRm(cpu: CpuCore, ins: Instruction, size: OperandSize): void {
  const n = count(cpu, ins);
  const digit = ins.reg;
  if (ins.registerForm) {
    if (n === 0) return;
    const value = size === 8 ? cpu.r8[ins.rm8] : size === 16 ? cpu.r16[ins.rm << 1] : cpu.gpr[ins.rm];
    const result = compute(cpu, digit, size, value, n);
    if (size === 8) cpu.r8[ins.rm8] = result; else if (size === 16) cpu.r16[ins.rm << 1] = result; else cpu.gpr[ins.rm] = result;
    cpu.setFlagBits(aluOut.flags, flagMask(digit));
    return;
  }
  const address = cpu.ea(ins);
  const memory = cpu.memory;
  cpu.checkModify(address, size >> 3);
  const value = size === 8 ? memory.read8(address) : size === 16 ? memory.read16(address) : memory.read32(address);
  if (n === 0) return;
  const result = compute(cpu, digit, size, value, n);
  const flags = aluOut.flags;
  if (size === 8) memory.write8(address, result); else if (size === 16) memory.write16(address, result); else memory.write32(address, result);
  cpu.setFlagBits(flags, flagMask(digit));
}
function shift8(cpu: CpuCore, ins: Instruction): void { shiftRm(cpu, ins, 8); }
function shift16(cpu: CpuCore, ins: Instruction): void { shiftRm(cpu, ins, 16); }
/**
 * shl/shr/sar of a 32-bit register: the hot case, computed inline with the
 * same flags as ../alu/shift.ts (OF as the host sets it for any count, AF 0).
 */
export function shift32(cpu: CpuCore, ins: Instruction): void {
  if (ins.registerForm && ins.reg >= 4) {
    const n = count(cpu, ins);
    if (n === 0) return;
    const value = cpu.gpr[ins.rm];
    let result: number, carry: number, overflow: number;
    switch (ins.reg) {
      case 5: result = value >>> n; carry = (value >>> (n - 1)) & 1; overflow = value < 0 ? OF : 0; break;
      case 7: result = value >> n; carry = (value >> (n - 1)) & 1; overflow = 0; break;
      default: result = value << n; carry = (value >>> (32 - n)) & 1; overflow = ((result >>> 31) ^ carry) !== 0 ? OF : 0; break;
    }
    cpu.gpr[ins.rm] = result;
    cpu.setFlagBits(carry | overflow | CpuCore.resultFlags(result, 32), OSZAPC);
    return;
  }
  shiftRm(cpu, ins, 32);
}

/** shld/shrd r/m, reg, imm8|CL. operation: bit 0 = CL count, bit 1 = shrd. */
function doubleShift(cpu: CpuCore, ins: Instruction, size: 16 | 32): void {
  const n = ((ins.operation & 1) !== 0 ? cpu.r8[4] : ins.immediate) & 31;
  const source = size === 16 ? cpu.r16[ins.reg << 1] : cpu.gpr[ins.reg];
  const right = (ins.operation & 2) !== 0;
  if (ins.registerForm) {
    if (n === 0) return;
    const value = size === 16 ? cpu.r16[ins.rm << 1] : cpu.gpr[ins.rm];
    const result = right ? shrd(size, value, source, n, 0) : shld(size, value, source, n, 0);
    if (size === 16) cpu.r16[ins.rm << 1] = result; else cpu.gpr[ins.rm] = result;
    cpu.setFlagBits(aluOut.flags, OSZAPC);
    return;
  }
  const address = cpu.ea(ins);
  cpu.checkModify(address, size >> 3);
  const value = size === 16 ? cpu.memory.read16(address) : cpu.memory.read32(address);
  if (n === 0) return;
  const result = right ? shrd(size, value, source, n, 0) : shld(size, value, source, n, 0);
  const flags = aluOut.flags;
  if (size === 16) cpu.memory.write16(address, result); else cpu.memory.write32(address, result);
  cpu.setFlagBits(flags, OSZAPC);
}
function doubleShift16(cpu: CpuCore, ins: Instruction): void { doubleShift(cpu, ins, 16); }
function doubleShift32(cpu: CpuCore, ins: Instruction): void { doubleShift(cpu, ins, 32); }

const NAMES = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'];

function forms(): FormSpec[] {
  const list: FormSpec[] = [];
  for (const bits of [8, 16, 32] as const) {
    const w = bits === 8 ? 0 : 1;
    const prefixes = sizePrefix(bits);
    const handler = bits === 8 ? shift8 : bits === 16 ? shift16 : shift32;
    for (let digit = 0; digit < 8; digit++) {
      const rotate = digit < 4;
      const flagsWritten = rotate ? CF | OF : OSZAPC;
      const flagsUndefined = rotate ? UNDEFINED_FLAGS.rotateMulti : digit === 7 ? UNDEFINED_FLAGS.shiftMulti : UNDEFINED_FLAGS.shiftOversize;
      const name = NAMES[digit];
      // /6 is an undocumented alias of shl on every Intel processor since the 8086.
      const alias = digit === 6 ? ' (/6)' : '';
      const common = { mnemonic: digit === 6 ? 'sal' : name, prefixes, modrm: 'both' as const, writesMemory: true, digit, operandSize: bits, flagsWritten, flagsUndefined, handler };
      list.push(defineForm({ ...common, name: `${name} r/m${bits}, 1${alias}`, opcode: [0xd0 + w], operation: COUNT_ONE }));
      list.push(defineForm({ ...common, name: `${name} r/m${bits}, cl${alias}`, opcode: [0xd2 + w], operation: COUNT_CL }));
      list.push(defineForm({ ...common, name: `${name} r/m${bits}, imm8${alias}`, opcode: [0xc0 + w], immediate: 1, operation: COUNT_IMMEDIATE }));
    }
  }
  for (const bits of [16, 32] as const) {
    const prefixes = sizePrefix(bits);
    const handler = bits === 16 ? doubleShift16 : doubleShift32;
    const common = { prefixes, modrm: 'both' as const, writesMemory: true, operandSize: bits, flagsWritten: OSZAPC, flagsUndefined: bits === 16 ? UNDEFINED_FLAGS.doubleShiftOversize : UNDEFINED_FLAGS.doubleShiftMulti, handler };
    list.push(defineForm({ ...common, name: `shld r/m${bits}, r${bits}, imm8`, opcode: [0x0f, 0xa4], immediate: 1, operation: 0 }));
    list.push(defineForm({ ...common, name: `shld r/m${bits}, r${bits}, cl`, opcode: [0x0f, 0xa5], operation: 1 }));
    list.push(defineForm({ ...common, name: `shrd r/m${bits}, r${bits}, imm8`, opcode: [0x0f, 0xac], immediate: 1, operation: 2 }));
    list.push(defineForm({ ...common, name: `shrd r/m${bits}, r${bits}, cl`, opcode: [0x0f, 0xad], operation: 3 }));
  }
  return list;
}

export const SHIFT_ROTATE_FORMS: readonly FormSpec[] = forms();
