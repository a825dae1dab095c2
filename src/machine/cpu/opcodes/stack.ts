/**
 * Stack and flag instructions: push/pop (registers, immediates, memory,
 * segment registers), pusha/popa, pushf/popf, enter/leave, lahf/sahf and the
 * single-flag instructions (Intel SDM 2B). Multi-store instructions check the
 * whole stack range before the first store, so a fault leaves no partial state.
 */
import { Flag } from '../../../hal/vcpu.js';
import { type CpuCore, USER_WRITABLE_FLAGS } from '../cpu-core.js';
import type { Instruction } from '../instruction.js';
import { defineForm, sizePrefix, type FormSpec, CF, PF, AF, ZF, SF, DF } from './form-spec.js';

export function pushReg32(cpu: CpuCore, ins: Instruction): void { cpu.push32(cpu.gpr[ins.operation]); }
function pushReg16(cpu: CpuCore, ins: Instruction): void { cpu.push16(cpu.r16[ins.operation << 1]); }
export function popReg32(cpu: CpuCore, ins: Instruction): void { const value = cpu.pop32(); cpu.gpr[ins.operation] = value; }
function popReg16(cpu: CpuCore, ins: Instruction): void { const value = cpu.pop16(); cpu.r16[ins.operation << 1] = value; }
export function pushImm32(cpu: CpuCore, ins: Instruction): void { cpu.push32(ins.immediate); }
function pushImm16(cpu: CpuCore, ins: Instruction): void { cpu.push16(ins.immediate); }
function pushRm32(cpu: CpuCore, ins: Instruction): void { cpu.push32(cpu.readRm32(ins)); }
function pushRm16(cpu: CpuCore, ins: Instruction): void { cpu.push16(cpu.readRm16(ins)); }

/** pop r/m: the address is computed with the incremented esp (Intel SDM 2B pop). */
function popRm32(cpu: CpuCore, ins: Instruction): void {
  const esp = cpu.gpr[4];
  const value = cpu.memory.read32(cpu.linear(2, esp));
  if (ins.registerForm) { cpu.gpr[4] = esp + 4; cpu.gpr[ins.rm] = value; return; }
  cpu.gpr[4] = esp + 4;
  try {
    cpu.memory.write32(cpu.ea(ins), value);
  } catch (fault) {
    cpu.gpr[4] = esp;
    throw fault;
  }
}
function popRm16(cpu: CpuCore, ins: Instruction): void {
  const esp = cpu.gpr[4];
  const value = cpu.memory.read16(cpu.linear(2, esp));
  if (ins.registerForm) { cpu.gpr[4] = esp + 2; cpu.r16[ins.rm << 1] = value; return; }
  cpu.gpr[4] = esp + 2;
  try {
    cpu.memory.write16(cpu.ea(ins), value);
  } catch (fault) {
    cpu.gpr[4] = esp;
    throw fault;
  }
}

/**
 * pusha stores eax first at the top and works down, committing esp only at the
 * end; a fault part-way leaves the stores already made, as the processor does
 * (cr2 is the first store that faulted).
 */
function pusha32(cpu: CpuCore): void {
  const esp = cpu.gpr[4];
  for (let r = 0; r < 8; r++) cpu.memory.write32(cpu.linear(2, (esp - 4 - r * 4) | 0), cpu.gpr[r]);
  cpu.gpr[4] = esp - 32;
}
function pusha16(cpu: CpuCore): void {
  const esp = cpu.gpr[4];
  for (let r = 0; r < 8; r++) cpu.memory.write16(cpu.linear(2, (esp - 2 - r * 2) | 0), cpu.r16[r << 1]);
  cpu.gpr[4] = esp - 16;
}
function popa32(cpu: CpuCore): void {
  const esp = cpu.gpr[4];
  cpu.memory.checkRead(cpu.linear(2, esp), 32);
  for (let r = 7; r >= 0; r--) {
    const value = cpu.memory.read32(cpu.linear(2, (esp + (7 - r) * 4) | 0));
    if (r !== 4) cpu.gpr[r] = value;
  }
  cpu.gpr[4] = esp + 32;
}
function popa16(cpu: CpuCore): void {
  const esp = cpu.gpr[4];
  cpu.memory.checkRead(cpu.linear(2, esp), 16);
  for (let r = 7; r >= 0; r--) {
    const value = cpu.memory.read16(cpu.linear(2, (esp + (7 - r) * 2) | 0));
    if (r !== 4) cpu.r16[r << 1] = value;
  }
  cpu.gpr[4] = esp + 16;
}

/** pushf: the image has VM and RF clear (Intel SDM 2B pushf). */
function pushf32(cpu: CpuCore): void { cpu.push32(cpu.getEflags() & ~(Flag.VM | Flag.RF)); }
function pushf16(cpu: CpuCore): void { cpu.push16(cpu.getEflags()); }
function popf32(cpu: CpuCore): void { cpu.setEflags(cpu.pop32()); }
function popf16(cpu: CpuCore): void {
  const value = cpu.pop16();
  cpu.setEflags((cpu.getEflags() & 0xffff0000) | value);
}

/**
 * enter imm16, imm8 (Intel SDM 2A enter, "Operation", 32-bit stack): the
 * pushes and the reads of the outer frame pointers happen in the SDM's order,
 * so a fault stops where the host's does; ebp and esp change only at the end.
 */
function enter(cpu: CpuCore, ins: Instruction, bits: number): void {
  const size = ins.immediate & 0xffff;
  const level = ins.immediate2 & 31;
  const bytes = bits / 8;
  const memory = cpu.memory;
  let esp = cpu.gpr[4];
  let ebp = cpu.gpr[5];
  const push = (value: number): void => {
    esp = (esp - bytes) | 0;
    if (bits === 32) memory.write32(cpu.linear(2, esp), value); else memory.write16(cpu.linear(2, esp), value);
  };
  push(ebp);
  const frame = esp;
  if (level > 0) {
    for (let i = 1; i < level; i++) {
      ebp = (ebp - bytes) | 0;
      push(bits === 32 ? memory.read32(cpu.linear(2, ebp)) : memory.read16(cpu.linear(2, ebp)));
    }
    push(frame);
  }
  // The processor then probes the new stack top as a write of the operand size
  // (the host raises #PF and #AC there before committing esp).
  const top = (esp - size) | 0;
  cpu.checkModify(cpu.linear(2, top), bytes);
  if (bits === 32) cpu.gpr[5] = frame; else cpu.r16[10] = frame;
  cpu.gpr[4] = top;
}
function enter32(cpu: CpuCore, ins: Instruction): void { enter(cpu, ins, 32); }
function enter16(cpu: CpuCore, ins: Instruction): void { enter(cpu, ins, 16); }
function leave32(cpu: CpuCore): void {
  const value = cpu.memory.read32(cpu.linear(2, cpu.gpr[5]));
  cpu.gpr[4] = cpu.gpr[5] + 4;
  cpu.gpr[5] = value;
}
function leave16(cpu: CpuCore): void {
  const value = cpu.memory.read16(cpu.linear(2, cpu.gpr[5]));
  cpu.gpr[4] = cpu.gpr[5] + 2;
  cpu.r16[10] = value;
}

/** lahf/sahf: SF ZF AF PF CF in AH, bit 1 set (Intel SDM 2A lahf). */
function lahf(cpu: CpuCore): void { cpu.r8[1] = (cpu.getEflags() & (SF | ZF | AF | PF | CF)) | 2; }
function sahf(cpu: CpuCore): void { cpu.setFlagBits(cpu.r8[1], SF | ZF | AF | PF | CF); }
function clc(cpu: CpuCore): void { cpu.setFlagBits(0, CF); }
function stc(cpu: CpuCore): void { cpu.setFlagBits(CF, CF); }
function cmc(cpu: CpuCore): void { cpu.setFlagBits(cpu.getCF() ^ 1, CF); }
function cld(cpu: CpuCore): void { cpu.flags &= ~DF; }
function std(cpu: CpuCore): void { cpu.flags |= DF; }

function pushSegment32(cpu: CpuCore, ins: Instruction): void { cpu.push32(cpu.selectors[ins.operation]); }
function pushSegment16(cpu: CpuCore, ins: Instruction): void { cpu.push16(cpu.selectors[ins.operation]); }
/** pop Sreg: the descriptor checks come before esp changes. */
function popSegment32(cpu: CpuCore, ins: Instruction): void {
  const esp = cpu.gpr[4];
  cpu.loadSegment(ins.operation, cpu.memory.read32(cpu.linear(2, esp)));
  cpu.gpr[4] = esp + 4;
}
function popSegment16(cpu: CpuCore, ins: Instruction): void {
  const esp = cpu.gpr[4];
  cpu.loadSegment(ins.operation, cpu.memory.read16(cpu.linear(2, esp)));
  cpu.gpr[4] = esp + 2;
}

const SEGMENT_NAMES = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];

function forms(): FormSpec[] {
  const list: FormSpec[] = [];
  for (const bits of [16, 32] as const) {
    const prefixes = sizePrefix(bits);
    const operandSize = bits;
    const is32 = bits === 32;
    for (let r = 0; r < 8; r++) {
      list.push(defineForm({ name: `push r${bits}(${r})`, mnemonic: 'push', prefixes, opcode: [0x50 + r], operandSize, operation: r, handler: is32 ? pushReg32 : pushReg16 }));
      list.push(defineForm({ name: `pop r${bits}(${r})`, mnemonic: 'pop', prefixes, opcode: [0x58 + r], operandSize, operation: r, handler: is32 ? popReg32 : popReg16 }));
    }
    list.push(defineForm({ name: `push imm${bits}`, prefixes, opcode: [0x68], immediate: bits / 8, operandSize, handler: is32 ? pushImm32 : pushImm16 }));
    list.push(defineForm({ name: `push imm8 (o${bits})`, mnemonic: 'push', prefixes, opcode: [0x6a], immediate: 1, operandSize, handler: is32 ? pushImm32 : pushImm16 }));
    list.push(defineForm({ name: `push r/m${bits}`, prefixes, opcode: [0xff], modrm: 'both', digit: 6, operandSize, handler: is32 ? pushRm32 : pushRm16 }));
    list.push(defineForm({ name: `pop r/m${bits}`, prefixes, opcode: [0x8f], modrm: 'both', digit: 0, operandSize, writesMemory: true, handler: is32 ? popRm32 : popRm16 }));
    list.push(defineForm({ name: is32 ? 'pushad' : 'pusha', prefixes, opcode: [0x60], operandSize, handler: is32 ? pusha32 : pusha16 }));
    list.push(defineForm({ name: is32 ? 'popad' : 'popa', prefixes, opcode: [0x61], operandSize, handler: is32 ? popa32 : popa16 }));
    list.push(defineForm({ name: is32 ? 'pushfd' : 'pushf', prefixes, opcode: [0x9c], operandSize, handler: is32 ? pushf32 : pushf16 }));
    list.push(defineForm({ name: is32 ? 'popfd' : 'popf', prefixes, opcode: [0x9d], operandSize, flagsWritten: is32 ? USER_WRITABLE_FLAGS : USER_WRITABLE_FLAGS & 0xffff, handler: is32 ? popf32 : popf16 }));
    list.push(defineForm({ name: `enter imm16, imm8 (o${bits})`, mnemonic: 'enter', prefixes, opcode: [0xc8], immediate: 3, operandSize, handler: is32 ? enter32 : enter16 }));
    list.push(defineForm({ name: `leave (o${bits})`, mnemonic: 'leave', prefixes, opcode: [0xc9], operandSize, handler: is32 ? leave32 : leave16 }));
    const segmentOpcodes: [number, number, number][] = [[0, 0x06, 0x07], [1, 0x0e, -1], [2, 0x16, 0x17], [3, 0x1e, 0x1f]];
    for (const [seg, push, pop] of segmentOpcodes) {
      list.push(defineForm({ name: `push ${SEGMENT_NAMES[seg]} (o${bits})`, mnemonic: 'push', prefixes, opcode: [push], operandSize, operation: seg, handler: is32 ? pushSegment32 : pushSegment16 }));
      if (pop >= 0) list.push(defineForm({ name: `pop ${SEGMENT_NAMES[seg]} (o${bits})`, mnemonic: 'pop', prefixes, opcode: [pop], operandSize, operation: seg, handler: is32 ? popSegment32 : popSegment16 }));
    }
    for (const [seg, push, pop] of [[4, 0xa0, 0xa1], [5, 0xa8, 0xa9]]) {
      list.push(defineForm({ name: `push ${SEGMENT_NAMES[seg]} (o${bits})`, mnemonic: 'push', prefixes, opcode: [0x0f, push], operandSize, operation: seg, handler: is32 ? pushSegment32 : pushSegment16 }));
      list.push(defineForm({ name: `pop ${SEGMENT_NAMES[seg]} (o${bits})`, mnemonic: 'pop', prefixes, opcode: [0x0f, pop], operandSize, operation: seg, handler: is32 ? popSegment32 : popSegment16 }));
    }
  }
  list.push(defineForm({ name: 'lahf', opcode: [0x9f], handler: lahf }));
  list.push(defineForm({ name: 'sahf', opcode: [0x9e], flagsWritten: SF | ZF | AF | PF | CF, handler: sahf }));
  list.push(defineForm({ name: 'clc', opcode: [0xf8], flagsWritten: CF, handler: clc }));
  list.push(defineForm({ name: 'stc', opcode: [0xf9], flagsWritten: CF, handler: stc }));
  list.push(defineForm({ name: 'cmc', opcode: [0xf5], flagsWritten: CF, handler: cmc }));
  list.push(defineForm({ name: 'cld', opcode: [0xfc], flagsWritten: DF, handler: cld }));
  list.push(defineForm({ name: 'std', opcode: [0xfd], flagsWritten: DF, handler: std }));
  return list;
}

export const STACK_FORMS: readonly FormSpec[] = forms();
