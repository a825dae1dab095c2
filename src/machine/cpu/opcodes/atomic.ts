/**
 * Compare-and-exchange and exchange-and-add: cmpxchg, cmpxchg8b, xadd (Intel
 * SDM 2A). Memory forms store before touching registers or flags, so a fault
 * leaves no partial state. cmpxchg always writes its destination (the old value
 * when the comparison fails), as the processor does.
 */
import type { CpuCore } from '../cpu-core.js';
import type { Instruction } from '../instruction.js';
import { aluResult, aluFlags } from './arithmetic.js';
import { defineForm, sizePrefix, type FormSpec, OSZAPC, ZF } from './form-spec.js';

function cmpxchg(cpu: CpuCore, ins: Instruction, size: 8 | 16 | 32): void {
  const memory = cpu.memory;
  const address = ins.registerForm ? 0 : cpu.ea(ins);
  if (!ins.registerForm) cpu.checkModify(address, size >> 3);
  const read = (): number => size === 8 ? memory.read8(address) : size === 16 ? memory.read16(address) : memory.read32(address);
  const destination = ins.registerForm ? (size === 8 ? cpu.r8[ins.rm8] : size === 16 ? cpu.r16[ins.rm << 1] : cpu.gpr[ins.rm]) : read();
  const accumulator = size === 8 ? cpu.r8[0] : size === 16 ? cpu.r16[0] : cpu.gpr[0];
  const source = size === 8 ? cpu.r8[ins.reg8] : size === 16 ? cpu.r16[ins.reg << 1] : cpu.gpr[ins.reg];
  const mask = size === 32 ? -1 : (1 << size) - 1;
  const equal = ((accumulator ^ destination) & mask) === 0;
  const value = equal ? source : destination;
  if (ins.registerForm) {
    if (size === 8) cpu.r8[ins.rm8] = value; else if (size === 16) cpu.r16[ins.rm << 1] = value; else cpu.gpr[ins.rm] = value;
  } else if (size === 8) memory.write8(address, value);
  else if (size === 16) memory.write16(address, value);
  else memory.write32(address, value);
  if (!equal) {
    if (size === 8) cpu.r8[0] = destination; else if (size === 16) cpu.r16[0] = destination; else cpu.gpr[0] = destination;
  }
  aluFlags(cpu, 7, accumulator, destination, aluResult(7, accumulator, destination, 0), size, 0);
}
function cmpxchg8(cpu: CpuCore, ins: Instruction): void { cmpxchg(cpu, ins, 8); }
function cmpxchg16(cpu: CpuCore, ins: Instruction): void { cmpxchg(cpu, ins, 16); }
function cmpxchg32(cpu: CpuCore, ins: Instruction): void { cmpxchg(cpu, ins, 32); }

/** xadd: temp = src + dst; src = dst; dst = temp. */
function xadd(cpu: CpuCore, ins: Instruction, size: 8 | 16 | 32): void {
  const memory = cpu.memory;
  const source = size === 8 ? cpu.r8[ins.reg8] : size === 16 ? cpu.r16[ins.reg << 1] : cpu.gpr[ins.reg];
  let destination: number;
  if (ins.registerForm) {
    destination = size === 8 ? cpu.r8[ins.rm8] : size === 16 ? cpu.r16[ins.rm << 1] : cpu.gpr[ins.rm];
    const sum = aluResult(0, destination, source, 0);
    if (size === 8) { cpu.r8[ins.reg8] = destination; cpu.r8[ins.rm8] = sum; } else if (size === 16) { cpu.r16[ins.reg << 1] = destination; cpu.r16[ins.rm << 1] = sum; } else { cpu.gpr[ins.reg] = destination; cpu.gpr[ins.rm] = sum; }
    aluFlags(cpu, 0, destination, source, sum, size, 0);
    return;
  }
  const address = cpu.ea(ins);
  cpu.checkModify(address, size >> 3);
  destination = size === 8 ? memory.read8(address) : size === 16 ? memory.read16(address) : memory.read32(address);
  const sum = aluResult(0, destination, source, 0);
  if (size === 8) memory.write8(address, sum); else if (size === 16) memory.write16(address, sum); else memory.write32(address, sum);
  if (size === 8) cpu.r8[ins.reg8] = destination; else if (size === 16) cpu.r16[ins.reg << 1] = destination; else cpu.gpr[ins.reg] = destination;
  aluFlags(cpu, 0, destination, source, sum, size, 0);
}
function xadd8(cpu: CpuCore, ins: Instruction): void { xadd(cpu, ins, 8); }
function xadd16(cpu: CpuCore, ins: Instruction): void { xadd(cpu, ins, 16); }
function xadd32(cpu: CpuCore, ins: Instruction): void { xadd(cpu, ins, 32); }

/** cmpxchg8b m64: compares EDX:EAX with m64; ZF only. The destination is always written (Intel SDM 2A). */
function cmpxchg8b(cpu: CpuCore, ins: Instruction): void {
  const memory = cpu.memory;
  const address = cpu.ea(ins);
  cpu.checkModify(address, 8);
  const low = memory.read32(address), high = memory.read32((address + 4) >>> 0);
  const equal = low === cpu.gpr[0] && high === cpu.gpr[2];
  if (equal) {
    memory.write32(address, cpu.gpr[3]);
    memory.write32((address + 4) >>> 0, cpu.gpr[1]);
  } else {
    memory.write32(address, low);
    memory.write32((address + 4) >>> 0, high);
    cpu.gpr[0] = low;
    cpu.gpr[2] = high;
  }
  cpu.setFlagBits(equal ? ZF : 0, ZF);
}

function forms(): FormSpec[] {
  const list: FormSpec[] = [];
  for (const bits of [8, 16, 32] as const) {
    const w = bits === 8 ? 0 : 1;
    const prefixes = sizePrefix(bits);
    list.push(defineForm({ name: `cmpxchg r/m${bits}, r${bits}`, prefixes, opcode: [0x0f, 0xb0 + w], modrm: 'both', operandSize: bits, flagsWritten: OSZAPC, lockable: true, writesMemory: true, handler: bits === 8 ? cmpxchg8 : bits === 16 ? cmpxchg16 : cmpxchg32 }));
    list.push(defineForm({ name: `xadd r/m${bits}, r${bits}`, prefixes, opcode: [0x0f, 0xc0 + w], modrm: 'both', operandSize: bits, flagsWritten: OSZAPC, lockable: true, writesMemory: true, handler: bits === 8 ? xadd8 : bits === 16 ? xadd16 : xadd32 }));
  }
  list.push(defineForm({ name: 'cmpxchg8b m64', opcode: [0x0f, 0xc7], modrm: 'mem', digit: 1, flagsWritten: ZF, lockable: true, writesMemory: true, handler: cmpxchg8b }));
  return list;
}

export const ATOMIC_FORMS: readonly FormSpec[] = forms();
