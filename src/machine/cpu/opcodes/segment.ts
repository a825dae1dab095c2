/**
 * Segment register moves: mov Sreg, r/m16; mov r/m, Sreg; lds/les/lfs/lgs/lss
 * (Intel SDM 2A/2B). Loads go through CpuCore.loadSegment, which applies the
 * ring-3 descriptor checks against the GDT the kernel set up.
 */
import { Vector } from '../../../hal/vcpu.js';
import type { CpuCore } from '../cpu-core.js';
import type { Instruction } from '../instruction.js';
import { defineForm, sizePrefix, type FormSpec } from './form-spec.js';

/** mov Sreg, r/m16: CS (and the nonexistent 6, 7) is #UD (Intel SDM 2A mov). */
function movSegmentRm(cpu: CpuCore, ins: Instruction): void {
  if (ins.reg === 1 || ins.reg > 5) cpu.raise(Vector.UD, 0);
  cpu.loadSegment(ins.reg, cpu.readRm16(ins));
}
/** mov r/m, Sreg: a register destination gets the selector zero-extended (P6 and later); memory gets 16 bits. */
function movRmSegment(cpu: CpuCore, ins: Instruction): void {
  if (ins.reg > 5) cpu.raise(Vector.UD, 0);
  const selector = cpu.selectors[ins.reg];
  if (ins.registerForm) cpu.gpr[ins.rm] = selector;
  else cpu.memory.write16(cpu.ea(ins), selector);
}
function movRmSegment16(cpu: CpuCore, ins: Instruction): void {
  if (ins.reg > 5) cpu.raise(Vector.UD, 0);
  cpu.writeRm16(ins, cpu.selectors[ins.reg]);
}

/**
 * lds/les/lfs/lgs/lss r, m16:32: the segment loads (and may fault) before the register changes.
 * lss does not hold back a single-step trap: only mov ss and pop ss do (Intel SDM 3A §6.8.3; measured).
 */
function loadFarPointer32(cpu: CpuCore, ins: Instruction): void {
  const address = cpu.ea(ins);
  const offset = cpu.memory.read32(address);
  const selector = cpu.memory.read16((address + 4) >>> 0);
  cpu.loadSegment(ins.operation, selector);
  cpu.ssLoadShadow = false;
  cpu.gpr[ins.reg] = offset;
}
function loadFarPointer16(cpu: CpuCore, ins: Instruction): void {
  const address = cpu.ea(ins);
  const offset = cpu.memory.read16(address);
  const selector = cpu.memory.read16((address + 2) >>> 0);
  cpu.loadSegment(ins.operation, selector);
  cpu.ssLoadShadow = false;
  cpu.r16[ins.reg << 1] = offset;
}

function forms(): FormSpec[] {
  const list: FormSpec[] = [];
  list.push(defineForm({ name: 'mov Sreg, r/m16', opcode: [0x8e], modrm: 'both', operandSize: 16, handler: movSegmentRm, untestable: 'loads segment registers' }));
  list.push(defineForm({ name: 'mov r/m32, Sreg', opcode: [0x8c], modrm: 'both', writesMemory: true, operandSize: 32, handler: movRmSegment }));
  list.push(defineForm({ name: 'mov r/m16, Sreg', prefixes: [0x66], opcode: [0x8c], modrm: 'both', writesMemory: true, operandSize: 16, handler: movRmSegment16 }));
  const loads: [string, number[], number][] = [['les', [0xc4], 0], ['lds', [0xc5], 3], ['lss', [0x0f, 0xb2], 2], ['lfs', [0x0f, 0xb4], 4], ['lgs', [0x0f, 0xb5], 5]];
  for (const [name, opcode, seg] of loads) {
    for (const bits of [16, 32] as const) {
      list.push(defineForm({ name: `${name} r${bits}, m16:${bits}`, prefixes: sizePrefix(bits), opcode, modrm: 'mem', operandSize: bits, operation: seg, handler: bits === 16 ? loadFarPointer16 : loadFarPointer32, untestable: 'loads segment registers' }));
    }
  }
  return list;
}

export const SEGMENT_FORMS: readonly FormSpec[] = forms();
