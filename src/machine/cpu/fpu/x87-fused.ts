/**
 * Fused x87 arithmetic for compiled blocks: fmul and fadd/fsub/fsubr with
 * ST(i) and m64 operands, each one function from the operand checks through the
 * exact product or sum to the rounded result (the hot path of STYLE.md 12:
 * the chain X87.tryRegister -> X87FastPath -> ExtendedArithmetic costs about
 * as much as the arithmetic). Rounding to nearest at 64 or 53 bits only (PC
 * 0x300 or 0x200 with RC 0; Linux's default and Python's); any other control
 * word, an empty or non-normal operand, overflow or underflow returns false
 * with nothing changed and the instruction's handler runs. Bit for bit the
 * general path's results (x87-fast-path.test.ts); `fusedRegisterForm` and
 * `fusedMemoryForm` map an encoding to its entry for the block compiler and the test.
 */
import { EXPONENT_BIAS } from './extended-arithmetic.js';
import type { MemoryBus } from '../../mmu/memory-bus.js';
import type { X87Registers } from './x87-registers.js';

const C1 = 0x200, PE = 0x20;
/** Extended exponent of a normal double: its exponent + this (Intel SDM 1 §4.2.2). */
const DOUBLE_REBIAS = EXPONENT_BIAS - 1023;
const TWO32 = 4294967296, INVERSE_TWO21 = 1 / 2097152, INVERSE_TWO12 = 1 / 4096;

/** A fused entry for one register-form encoding: ST(destination) = ST(destination) op ST(other), then pop. */
export interface FusedRegisterForm {
  readonly multiply: boolean;
  /** Sign flips of the add (fsub: other, fsubr: destination). */
  readonly negateDestination: boolean;
  readonly negateOther: boolean;
  readonly destination: number;
  readonly other: number;
  readonly popAfter: boolean;
}

/**
 * The fused entry of a D8/DC/DE register form (fadd, fmul, fsub, fsubr and their
 * st(i),st(0) and popping forms), or undefined. DC/DE name the reversed
 * subtraction relative to D8 (Intel SDM 2A FSUB: DC E8+i is fsub st(i), st(0)).
 */
export function fusedRegisterForm(opcode: number, modrm: number): FusedRegisterForm | undefined {
  if (modrm < 0xc0 || (opcode !== 0xd8 && opcode !== 0xdc && opcode !== 0xde)) return undefined;
  const digit = (modrm >> 3) & 7, index = modrm & 7;
  if (digit !== 0 && digit !== 1 && digit !== 4 && digit !== 5) return undefined;
  const toStack = opcode !== 0xd8;
  // The subtraction that D8's digit 4 names when the destination is ST(0); DC/DE swap 4 and 5.
  const subtract = digit === (toStack ? 5 : 4), reverse = digit === (toStack ? 4 : 5);
  return {
    multiply: digit === 1,
    negateDestination: reverse,
    negateOther: subtract,
    destination: toStack ? index : 0,
    other: toStack ? 0 : index,
    popAfter: opcode === 0xde,
  };
}

/**
 * The fused entry of a DC memory form (fadd, fmul, fsub, fsubr m64) as a FusedRegisterForm
 * with destination and other 0 (unused), or undefined.
 */
export function fusedMemoryForm(opcode: number, modrm: number): FusedRegisterForm | undefined {
  if (modrm >= 0xc0 || opcode !== 0xdc) return undefined;
  const digit = (modrm >> 3) & 7;
  if (digit !== 0 && digit !== 1 && digit !== 4 && digit !== 5) return undefined;
  return { multiply: digit === 1, negateDestination: digit === 5, negateOther: digit === 4, destination: 0, other: 0, popAfter: false };
}

/**
 * The call of the compiled-block entry of `opcode`/`modrm` on the unit `unit`: a fused
 * entry (X87.multiplyRegisters, addRegisters, multiplyDouble, addDouble) or fld/fst/fstp m64
 * (X87.loadDouble, storeDouble), with the instruction's `eip` and, for a memory form, its
 * linear `address` as expressions; undefined when the form has none (X87.tryRegister/tryMemory).
 */
export function fusedCallSource(opcode: number, modrm: number, unit: string, eip: string, address: string): string | undefined {
  const opcodeWord = ((opcode & 7) << 8) | modrm;
  if (modrm < 0xc0) {
    const digit = (modrm >> 3) & 7;
    if (opcode === 0xdd && digit === 0) return `${unit}.loadDouble(${address}, ${eip}, ${opcodeWord})`;
    if (opcode === 0xdd && (digit === 2 || digit === 3)) return `${unit}.storeDouble(${digit === 3}, ${address}, ${eip}, ${opcodeWord})`;
    const memoryForm = fusedMemoryForm(opcode, modrm);
    if (memoryForm === undefined) return undefined;
    if (memoryForm.multiply) return `${unit}.multiplyDouble(${address}, ${eip}, ${opcodeWord})`;
    return `${unit}.addDouble(${memoryForm.negateDestination}, ${memoryForm.negateOther}, ${address}, ${eip}, ${opcodeWord})`;
  }
  const form = fusedRegisterForm(opcode, modrm);
  if (form === undefined) return undefined;
  if (form.multiply) return `${unit}.multiplyRegisters(${form.destination}, ${form.other}, ${form.popAfter}, ${eip}, ${opcodeWord})`;
  return `${unit}.addRegisters(${form.destination}, ${form.other}, ${form.negateDestination}, ${form.negateOther}, ` +
    `${form.popAfter}, ${eip}, ${opcodeWord})`;
}

export class X87Fused {
  constructor(private readonly r: X87Registers, private readonly memory: MemoryBus) {}

  /**
   * ST(destination) *= ST(other) (stack indices), or ST(0) *= m64 at linear `address`
   * when `other` is -1 (the caller checked alignment; the read faults before any change).
   * False: nothing changed. One function with the operand loads: a call per step costs here.
   */
  multiply(destination: number, other: number, address: number): boolean {
    const r = this.r;
    const a = (r.top + destination) & 7;
    let signExponentB: number, highB: number, lowB: number;
    if (other < 0) {
      const memory = this.memory;
      // Within one page the first read faults exactly where checkRead would (the page's translation).
      if ((address & 0xfff) > 0xff8) memory.checkRead(address, 8);
      const low = memory.read32(address), high = memory.read32(address + 4);
      const exponent = (high >>> 20) & 0x7ff;
      if (exponent === 0 || exponent === 0x7ff) return false;
      signExponentB = ((high >>> 31) << 15) | (exponent + DOUBLE_REBIAS);
      highB = 0x80000000 | (high << 11) | (low >>> 21);
      lowB = low << 11;
    } else {
      const b = (r.top + other) & 7;
      if ((r.emptyMask >> b & 1) !== 0) return false;
      signExponentB = r.signExponent[b]; highB = r.high[b] | 0; lowB = r.low[b] | 0;
    }
    const control = r.controlWord & 0xf00;
    if ((r.emptyMask >> a & 1) !== 0 || (control !== 0x300 && control !== 0x200)) return false;
    const signExponentA = r.signExponent[a], highA = r.high[a] | 0, lowA = r.low[a] | 0;
    // Normal operands only: exponent 1..0x7ffe and the integer bit set (Intel SDM 1 §8.2.2).
    if (((signExponentA & 0x7fff) - 1) >>> 0 >= 0x7ffe || highA >= 0 || ((signExponentB & 0x7fff) - 1) >>> 0 >= 0x7ffe || highB >= 0) {
      return false;
    }
    // The exact 128-bit product in 22/21/21-bit limbs, as X87FastPath.multiply (each column exact in doubles).
    const a2 = highA >>> 10, a1 = ((highA & 0x3ff) << 11) | (lowA >>> 21), a0 = lowA & 0x1fffff;
    const b2 = highB >>> 10, b1 = ((highB & 0x3ff) << 11) | (lowB >>> 21), b0 = lowB & 0x1fffff;
    const c0 = a0 * b0;
    let t = a1 * b0 + a0 * b1 + Math.floor(c0 * INVERSE_TWO21);
    const d1 = t & 0x1fffff;
    t = a2 * b0 + a1 * b1 + a0 * b2 + Math.floor(t * INVERSE_TWO21);
    const d2 = t & 0x1fffff;
    t = a2 * b1 + a1 * b2 + Math.floor(t * INVERSE_TWO21);
    const d3 = t & 0x1fffff;
    t = a2 * b2 + Math.floor(t * INVERSE_TWO21);
    let high = Math.floor(t * INVERSE_TWO12);
    let low = (((t & 0xfff) << 20) | (d3 >>> 1)) >>> 0;
    let extra = (((d3 & 1) << 31) | (d2 << 10) | (d1 >>> 11) | (((d1 & 0x7ff) | (c0 & 0x1fffff)) !== 0 ? 1 : 0)) >>> 0;
    let exponent = (signExponentA & 0x7fff) + (signExponentB & 0x7fff) - EXPONENT_BIAS + 1;
    if (high < 0x80000000) {
      high = (high * 2 + (low >>> 31)) >>> 0;
      low = ((low << 1) | (extra >>> 31)) >>> 0;
      extra = (extra << 1) >>> 0;
      exponent -= 1;
    }
    return this.roundNearest(a, (signExponentA ^ signExponentB) >>> 15 & 1, exponent, high | 0, low | 0, extra | 0, control === 0x200);
  }

  /**
   * ST(destination) = ±ST(destination) ± ST(other) (stack indices), or ST(0) ± m64 at
   * linear `address` when `other` is -1 (as multiply): fadd, fsub (negate other), fsubr
   * (negate destination). The alignment and sticky bits follow ExtendedArithmetic.add.
   */
  add(destination: number, other: number, address: number, negateDestination: boolean, negateOther: boolean): boolean {
    const r = this.r;
    const target = (r.top + destination) & 7;
    let signExponentB: number, bHigh: number, bLow: number;
    if (other < 0) {
      const memory = this.memory;
      if ((address & 0xfff) > 0xff8) memory.checkRead(address, 8);
      const low = memory.read32(address), high = memory.read32(address + 4);
      const exponent = (high >>> 20) & 0x7ff;
      if (exponent === 0 || exponent === 0x7ff) return false;
      signExponentB = ((high >>> 31) << 15) | (exponent + DOUBLE_REBIAS);
      bHigh = (0x80000000 | (high << 11) | (low >>> 21)) >>> 0;
      bLow = (low << 11) >>> 0;
    } else {
      const source = (r.top + other) & 7;
      if ((r.emptyMask >> source & 1) !== 0) return false;
      signExponentB = r.signExponent[source]; bHigh = r.high[source] >>> 0; bLow = r.low[source] >>> 0;
    }
    const control = r.controlWord & 0xf00;
    if ((r.emptyMask >> target & 1) !== 0 || (control !== 0x300 && control !== 0x200)) return false;
    const signExponentA = r.signExponent[target];
    let aHigh = r.high[target] >>> 0, aLow = r.low[target] >>> 0;
    let exponentA = signExponentA & 0x7fff, exponentB = signExponentB & 0x7fff;
    if ((exponentA - 1) >>> 0 >= 0x7ffe || aHigh < 0x80000000 || (exponentB - 1) >>> 0 >= 0x7ffe || bHigh < 0x80000000) return false;
    let signA = (signExponentA >> 15) ^ (negateDestination ? 1 : 0), signB = (signExponentB >> 15) ^ (negateOther ? 1 : 0);
    if (exponentB > exponentA || (exponentB === exponentA && (bHigh > aHigh || (bHigh === aHigh && bLow > aLow)))) {
      let swap = exponentA; exponentA = exponentB; exponentB = swap;
      swap = aHigh; aHigh = bHigh; bHigh = swap;
      swap = aLow; aLow = bLow; bLow = swap;
      swap = signA; signA = signB; signB = swap;
    }
    // B shifted right by the exponent difference into bHigh:bLow:extra, lost bits ORed into bit 0 of extra.
    let count = exponentA - exponentB;
    let extra = 0;
    if (count < 32) {
      if (count > 0) {
        extra = (bLow << (32 - count)) >>> 0;
        bLow = ((bHigh << (32 - count)) | (bLow >>> count)) >>> 0;
        bHigh = bHigh >>> count;
      }
    } else if (count < 64) {
      count -= 32;
      if (count === 0) {
        extra = bLow;
        bLow = bHigh;
      } else {
        extra = ((bHigh << (32 - count)) | (bLow >>> count) | ((bLow << (32 - count)) !== 0 ? 1 : 0)) >>> 0;
        bLow = bHigh >>> count;
      }
      bHigh = 0;
    } else {
      // Far below: B is only sticky (bHigh is nonzero, so the sticky bit is set) unless it reaches extra.
      if (count < 96) {
        count -= 64;
        extra = count === 0 ? (bHigh | (bLow !== 0 ? 1 : 0)) >>> 0 : ((bHigh >>> count) | (((bHigh << (32 - count)) | bLow) !== 0 ? 1 : 0)) >>> 0;
      } else {
        extra = 1;
      }
      bLow = 0;
      bHigh = 0;
    }
    let exponent = exponentA;
    let high: number, low: number;
    if (signA === signB) {
      const lowSum = aLow + bLow;
      const highSum = aHigh + bHigh + (lowSum >= TWO32 ? 1 : 0);
      low = lowSum >>> 0;
      high = highSum >>> 0;
      if (highSum >= TWO32) {
        extra = ((low << 31) | (extra >>> 1) | (extra & 1)) >>> 0;
        low = ((high << 31) | (low >>> 1)) >>> 0;
        high = (high >>> 1) | 0x80000000;
        exponent += 1;
      }
    } else {
      const borrow = extra !== 0 ? 1 : 0;
      extra = (0 - extra) >>> 0;
      const lowDifference = aLow - bLow - borrow;
      high = (aHigh - bHigh - (lowDifference < 0 ? 1 : 0)) >>> 0;
      low = lowDifference >>> 0;
      if (high === 0 && low === 0 && extra === 0) {
        // An exact zero: +0 when rounding to nearest (Intel SDM 1 §4.8.3.1); exact, so no PE and C1 clear.
        r.signExponent[target] = 0;
        r.high[target] = 0; r.low[target] = 0;
        r.emptyMask &= ~(1 << target);
        r.statusFlags &= ~C1;
        return true;
      }
      while (high === 0) { high = low; low = extra; extra = 0; exponent -= 32; }
      const leading = Math.clz32(high);
      if (leading > 0) {
        high = (high << leading) | (low >>> (32 - leading));
        low = (low << leading) | (extra >>> (32 - leading));
        extra = extra << leading;
        exponent -= leading;
      }
    }
    return this.roundNearest(target, signA, exponent, high | 0, low | 0, extra | 0, control === 0x200);
  }

  /**
   * Rounds sign × high:low:extra (bit 63 of high:low set, extra the bits below with a
   * sticky bit 0) to nearest even at 64 or 53 bits into physical register `target`,
   * as ExtendedArithmetic.round does for a result that neither overflows nor underflows:
   * C1 says rounded up, PE inexact (Intel SDM 1 §8.1.3.3, §4.8.4).
   */
  private roundNearest(target: number, sign: number, exponent: number, high: number, low: number, extra: number, double: boolean): boolean {
    if (exponent < 1) return false;
    let fraction: number, lastBit: number;
    if (double) {
      fraction = ((low << 21) | (extra >>> 11) | ((extra & 0x7ff) !== 0 ? 1 : 0)) >>> 0;
      lastBit = (low >>> 11) & 1;
      low &= ~0x7ff;
    } else {
      fraction = extra >>> 0;
      lastBit = low & 1;
    }
    const increment = fraction > 0x80000000 || (fraction === 0x80000000 && lastBit === 1);
    if (increment) {
      low = (low + (double ? 0x800 : 1)) | 0;
      if (low === 0) {
        high = (high + 1) | 0;
        if (high === 0) { high = 0x80000000 | 0; exponent += 1; }
      }
    }
    if (exponent > 32766) return false;
    const r = this.r;
    r.signExponent[target] = (sign << 15) | exponent;
    r.high[target] = high;
    r.low[target] = low;
    r.emptyMask &= ~(1 << target);
    r.statusFlags = (r.statusFlags & ~C1) | (increment ? C1 : 0) | (fraction !== 0 ? PE : 0);
    return true;
  }
}
