/**
 * Encodes a ModRM memory operand that reaches a chosen linear address: picks
 * the addressing form (32-bit ModRM/SIB with disp8/disp32, or 16-bit with the
 * 0x67 prefix), then solves for the base and index register values (Intel SDM
 * 2A §2.1.5 tables 2-1 to 2-3). 16-bit addressing reaches the data region
 * only through FS (a TLS segment based below it), since offsets stop at 0xffff.
 */
import { CODE_BASE, DATA_BASE, DATA_BYTES, GUARD_PAGE, PAGE, READ_ONLY_PAGE, TLS_BASE } from './layout.js';
import type { Random } from './random.js';

export const ESP = 4;

/** What the instruction needs besides the ModRM byte. */
export interface MemoryOperand {
  /** Prefix bytes to put before the instruction (segment override, 0x67). */
  prefixes: number[];
  /** ModRM (reg field left 0 for the caller), SIB and displacement bytes. */
  bytes: number[];
  /** The linear address the operand resolves to. */
  linear: number;
  /** Registers this operand fixed (index → value). */
  registers: Map<number, number>;
  /** Segment selectors the operand needs loaded (fs/gs); undefined: leave as is. */
  fs?: number;
  gs?: number;
}

/** A target address: mostly inside the read-write pages, sometimes straddling into the read-only or guard page. */
export function chooseTarget(random: Random, alignment: number): number {
  const roll = random.below(20);
  let target: number;
  if (roll < 13) target = DATA_BASE + random.below(2 * PAGE - 16);
  else if (roll < 15) target = READ_ONLY_PAGE + random.below(PAGE - 16);
  else if (roll < 17) target = READ_ONLY_PAGE - random.range(1, 7);
  else if (roll < 19) target = GUARD_PAGE - random.range(1, 7);
  else target = GUARD_PAGE + random.below(PAGE);
  if (alignment > 1 && random.chance(0.6)) target &= ~(alignment - 1);
  return target >>> 0;
}

function littleEndian(value: number, bytes: number): number[] {
  return Array.from({ length: bytes }, (_, i) => (value >>> (i * 8)) & 0xff);
}

/** A signed 8-bit displacement. */
function disp8(random: Random): number {
  return random.range(-128, 127);
}

/** Encodes a 32-bit-addressing operand reaching `target` (given ESP's fixed value). */
function encode32(random: Random, target: number, esp: number, tlsSelector: number): MemoryOperand {
  const prefixes: number[] = [];
  const operand: MemoryOperand = { prefixes, bytes: [], linear: target, registers: new Map() };
  let segmentBase = 0;
  const segmentRoll = random.below(20);
  if (segmentRoll < 3) {
    prefixes.push(0x64);
    operand.fs = tlsSelector;
    segmentBase = TLS_BASE;
  } else if (segmentRoll < 5) {
    prefixes.push(0x65);
    operand.gs = tlsSelector;
    segmentBase = TLS_BASE;
  } else if (segmentRoll < 7) {
    prefixes.push(random.pick([0x26, 0x2e, 0x36, 0x3e]));
  }
  const offset = (target - segmentBase) >>> 0;
  let mod = random.below(3);
  const rm = random.below(8);
  if (mod === 0 && rm === 5) {
    operand.bytes.push(0x05, ...littleEndian(offset, 4));
    return operand;
  }
  if (rm !== 4) {
    // [base + disp]
    const displacement = mod === 1 ? disp8(random) : mod === 2 ? random.range(-0x2000, 0x2000) : 0;
    operand.registers.set(rm, (offset - displacement) | 0);
    operand.bytes.push((mod << 6) | rm, ...displacementBytes(mod, displacement));
    return operand;
  }
  // SIB: [base + index * scale + disp]; index 4 means none, base 5 with mod 0 means disp32 only.
  const scale = random.below(4);
  const index = random.below(8);
  const hasIndex = index !== ESP;
  const base = random.below(8);
  const smallIndex = (): number => (random.chance(0.3) ? 0 : random.range(-64, 64));
  if (mod === 0 && base === 5) {
    const indexValue = hasIndex ? smallIndex() : 0;
    if (hasIndex) operand.registers.set(index, indexValue);
    const displacement = (offset - (indexValue << scale)) | 0;
    operand.bytes.push(0x04, (scale << 6) | (index << 3) | 5, ...littleEndian(displacement, 4));
    return operand;
  }
  if (base === ESP && mod === 1 && segmentBase !== 0) mod = 2;
  let displacement = mod === 1 ? disp8(random) : mod === 2 ? random.range(-0x2000, 0x2000) : 0;
  if (hasIndex && index === base) {
    const factor = 1 + (1 << scale);
    const value = Math.floor((offset - displacement) / factor);
    operand.registers.set(base, value | 0);
    operand.linear = (segmentBase + value * factor + displacement) >>> 0;
  } else {
    const indexValue = hasIndex ? smallIndex() : 0;
    if (hasIndex) operand.registers.set(index, indexValue);
    const indexPart = indexValue << scale;
    if (base === ESP) {
      // ESP is the stack pointer: only a disp32 can still reach the target.
      if (mod === 2) displacement = (offset - esp - indexPart) | 0;
      operand.linear = (segmentBase + esp + indexPart + displacement) >>> 0;
    } else {
      operand.registers.set(base, (offset - indexPart - displacement) | 0);
    }
  }
  operand.bytes.push((mod << 6) | 4, (scale << 6) | (index << 3) | base, ...displacementBytes(mod, displacement));
  return operand;
}

function displacementBytes(mod: number, displacement: number): number[] {
  return mod === 1 ? [displacement & 0xff] : mod === 2 ? littleEndian(displacement, 4) : [];
}

/** 16-bit addressing (Intel SDM 2A table 2-1), always through FS so the offset reaches the data region. */
function encode16(random: Random, target: number, tlsSelector: number): MemoryOperand {
  const offset = (target - TLS_BASE) & 0xffff;
  const operand: MemoryOperand = {
    prefixes: [0x67, 0x64], bytes: [], linear: target, registers: new Map(), fs: tlsSelector,
  };
  const mod = random.below(3);
  const rm = random.below(8);
  if (mod === 0 && rm === 6) {
    operand.bytes.push(0x06, offset & 0xff, offset >>> 8);
    return operand;
  }
  const displacement = mod === 1 ? disp8(random) : mod === 2 ? random.below(0x10000) : 0;
  const BX = 3, BP = 5, SI = 6, DI = 7;
  const pairs: number[][] = [[BX, SI], [BX, DI], [BP, SI], [BP, DI], [SI], [DI], [BP], [BX]];
  const [base, index] = pairs[rm];
  // The upper halves are random: 16-bit addressing must ignore them.
  const high = (): number => random.u32() & 0xffff0000;
  let remaining = (offset - displacement) & 0xffff;
  if (index !== undefined) {
    const indexValue = random.below(0x10000);
    operand.registers.set(index, high() | indexValue);
    remaining = (remaining - indexValue) & 0xffff;
  }
  operand.registers.set(base, high() | remaining);
  operand.bytes.push((mod << 6) | rm, ...(mod === 1 ? [displacement & 0xff] : mod === 2 ? [displacement & 0xff, displacement >>> 8] : []));
  return operand;
}

export function encodeMemoryOperand(random: Random, target: number, esp: number, tlsSelector: number): MemoryOperand {
  return random.chance(0.15) ? encode16(random, target, tlsSelector) : encode32(random, target, esp, tlsSelector);
}

/** A code address inside the int3-filled code page, outside [avoidStart, avoidEnd). */
export function codeTarget(random: Random, avoidStart: number, avoidEnd: number): number {
  for (;;) {
    const target = CODE_BASE + random.below(PAGE);
    if (target < avoidStart || target >= avoidEnd) return target;
  }
}

/** Offset of a linear address in the data region, or -1 outside it. */
export function dataOffset(linear: number): number {
  const offset = (linear - DATA_BASE) >>> 0;
  return offset < DATA_BYTES ? offset : -1;
}
