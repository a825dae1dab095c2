/**
 * Decodes one instruction at a linear address into an Instruction: prefixes
 * (any order, any count, up to the 15-byte limit), opcode, ModRM/SIB with
 * 32- and 16-bit addressing, displacement and immediates (Intel SDM 2A ch. 2).
 * Raises #UD for encodings not in the opcode table and for a misplaced lock
 * prefix, #GP(0) past 15 bytes, and lets fetch faults (#PF) propagate.
 */
import { Vector } from '../../hal/vcpu.js';
import type { CpuCore } from './cpu-core.js';
import { Instruction } from './instruction.js';
import { DECODE_TABLE } from './decode-table.js';
import { undefinedOpcode } from './opcodes/data-move.js';
import { x87CodeSegmentWrite, x87Escape, x87Escape16 } from './opcodes/x87.js';

const MAX_LENGTH = 15;

/** A store through CS: code segments are never writable in protected mode (Intel SDM 3A §5.5): #GP(0). */
function codeSegmentWrite(cpu: CpuCore): void {
  cpu.raise(Vector.GP, 0);
}

/** Byte offset of 8-bit register r (AL CL DL BL AH CH DH BH) in the register file. */
export const REG8_OFFSET = [0, 4, 8, 12, 1, 5, 9, 13];

/** 16-bit addressing: base and index registers by ModRM.rm (Intel SDM 2A table 2-1). */
const BASE16 = [3, 3, 5, 5, -1, -1, 5, 3];
const INDEX16 = [6, 7, 6, 7, 6, 7, -1, -1];

class Cursor {
  linear = 0;
  length = 0;
}

export function decode(cpu: CpuCore, linear: number): Instruction {
  const memory = cpu.memory;
  const at = new Cursor();
  at.linear = linear;
  const next = (): number => {
    if (at.length >= MAX_LENGTH) cpu.raise(Vector.GP, 0);
    return memory.fetch8((at.linear + at.length++) >>> 0);
  };
  const ins = new Instruction(undefinedOpcode);
  let operandSize16 = 0;
  let addressSize16 = false;
  let byte: number;
  for (;;) {
    byte = next();
    switch (byte) {
      case 0x26: ins.segmentOverride = 0; continue;
      case 0x2e: ins.segmentOverride = 1; continue;
      case 0x36: ins.segmentOverride = 2; continue;
      case 0x3e: ins.segmentOverride = 3; continue;
      case 0x64: ins.segmentOverride = 4; continue;
      case 0x65: ins.segmentOverride = 5; continue;
      case 0x66: operandSize16 = 1; continue;
      case 0x67: addressSize16 = true; continue;
      case 0xf0: ins.lock = true; continue;
      case 0xf2: case 0xf3: ins.repeat = byte; continue;
    }
    break;
  }
  let map = 0;
  if (byte === 0x0f) {
    map = 1;
    byte = next();
  }
  ins.opcode = byte;
  ins.addressMask = addressSize16 ? 0xffff : -1;
  ins.segment = ins.segmentOverride >= 0 ? ins.segmentOverride : 3;
  const entry = DECODE_TABLE[(map << 9) | (operandSize16 << 8) | byte];
  if (entry === undefined) cpu.raise(Vector.UD, 0);
  let slot = 0;
  if (entry.needsModrm) {
    const modrm = next();
    ins.modrm = modrm;
    const mod = modrm >> 6, reg = (modrm >> 3) & 7, rm = modrm & 7;
    ins.reg = reg;
    ins.reg8 = REG8_OFFSET[reg];
    ins.rm = rm;
    ins.rm8 = REG8_OFFSET[rm];
    if (mod === 3) {
      ins.registerForm = true;
    } else if (addressSize16) {
      decodeMemory16(ins, mod, rm, next);
    } else {
      decodeMemory32(ins, mod, rm, next);
    }
    slot = reg * 2 + (mod === 3 ? 1 : 0);
  }
  const form = entry.slots[slot];
  if (form === undefined) cpu.raise(Vector.UD, 0);
  // AMD decodes lock mov to/from CR0 as CR8 (AMD APM 3, MOV CRn): privileged, so #GP in ring 3 like CR0 (measured on the host).
  const lockedControlRegister = map === 1 && (byte === 0x20 || byte === 0x22) && ins.reg === 0;
  if (ins.lock && (!form.lockable || ins.registerForm) && !lockedControlRegister) cpu.raise(Vector.UD, 0);
  // mov r/m, Sreg with the nonexistent Sreg 6/7 is #UD before the CS write check (measured on the host).
  const undefinedSegment = map === 0 && byte === 0x8c && ins.reg > 5;
  if (form.writesMemory && !ins.registerForm && ins.segment === 1 && !undefinedSegment) {
    ins.handler = form.fpu === true ? x87CodeSegmentWrite : codeSegmentWrite;
  } else {
    ins.handler = operandSize16 !== 0 && form.handler === x87Escape ? x87Escape16 : form.handler;
  }
  ins.operation = form.operation;
  ins.controlFlow = form.branch === true || form.fpu === true || ins.repeat !== 0;
  ins.endsBlock = form.branch === true && !form.conditionalBranch;
  if (form.moffs) {
    ins.displacement = addressSize16 ? next() | (next() << 8) : next() | (next() << 8) | (next() << 16) | (next() << 24);
  } else {
    switch (form.immediate) {
      case 0: break;
      case 1: ins.immediate = (next() << 24) >> 24; break;
      case 2: ins.immediate = ((next() | (next() << 8)) << 16) >> 16; break;
      case 3: ins.immediate = next() | (next() << 8); ins.immediate2 = next(); break;
      case 4: ins.immediate = next() | (next() << 8) | (next() << 16) | (next() << 24); break;
      default:
        ins.immediate = next() | (next() << 8) | (next() << 16) | (next() << 24);
        ins.immediate2 = next() | (next() << 8);
    }
  }
  ins.length = at.length;
  return ins;
}

function decodeMemory32(ins: Instruction, mod: number, rm: number, next: () => number): void {
  let base = rm;
  if (rm === 4) {
    const sib = next();
    ins.scale = sib >> 6;
    const index = (sib >> 3) & 7;
    ins.index = index === 4 ? -1 : index;
    base = sib & 7;
    if (base === 5 && mod === 0) {
      base = -1;
      ins.displacement = next() | (next() << 8) | (next() << 16) | (next() << 24);
    }
  } else if (rm === 5 && mod === 0) {
    base = -1;
    ins.displacement = next() | (next() << 8) | (next() << 16) | (next() << 24);
  }
  ins.base = base;
  if (mod === 1) ins.displacement = (next() << 24) >> 24;
  else if (mod === 2) ins.displacement = next() | (next() << 8) | (next() << 16) | (next() << 24);
  // ESP or EBP as base selects SS (Intel SDM 3A §3.7.4).
  if (ins.segmentOverride < 0 && (base === 4 || base === 5)) ins.segment = 2;
}

function decodeMemory16(ins: Instruction, mod: number, rm: number, next: () => number): void {
  if (mod === 0 && rm === 6) {
    ins.displacement = next() | (next() << 8);
  } else {
    ins.base = BASE16[rm];
    ins.index = INDEX16[rm];
    if (mod === 1) ins.displacement = (next() << 24) >> 24;
    else if (mod === 2) ins.displacement = ((next() | (next() << 8)) << 16) >> 16;
    if (ins.segmentOverride < 0 && ins.base === 5) ins.segment = 2;
  }
  // 16-bit forms read only the low words of the registers; ea() masks the sum to 16 bits,
  // which equals the sum of the low words modulo 2^16.
}
