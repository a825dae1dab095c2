/**
 * The x87 fast path: the forms compiled floating-point code spends its time in
 * (fld/fst/fstp with st(i), m32 and m64, fild m32, fxch, fchs/fabs,
 * fadd/fsub/fsubr/fmul/fdiv/fdivr with st(i), m32 and m64, fcomi/fucomi(p))
 * when every operand is a normal number (or a zero where that is simple) and
 * the result stays in range, computed in locals on the register file's typed
 * arrays. Anything else (empty or full stack, zeros in arithmetic, denormals,
 * infinities, NaNs, overflow, underflow) returns false before changing any
 * state, and X87Operations runs the whole instruction. Bit for bit the general
 * path's results (x87-fast-path.test.ts compares the two on seeded operands).
 * Words cross calls as i32 (no boxed numbers on the hot path).
 */
import type { FpuHost } from './fpu-host.js';
import { EXPONENT_BIAS, type ExtendedArithmetic, FpuException } from './extended-arithmetic.js';
import type { X87Registers } from './x87-registers.js';

const C1 = 0x200;
const { PE } = FpuException;
const TWO32 = 4294967296, INVERSE_TWO21 = 1 / 2097152, INVERSE_TWO12 = 1 / 4096;
/** Extended exponents of the normal doubles and singles (Intel SDM 1 §4.2.2): memory exponent + these. */
const DOUBLE_REBIAS = EXPONENT_BIAS - 1023, SINGLE_REBIAS = EXPONENT_BIAS - 127;
/** DC/DE register forms name the reversed operation relative to D8 (Intel SDM 2A FSUB/FDIV). */
const REVERSED = [0, 1, 2, 3, 5, 4, 7, 6];

/** A normal 80-bit pattern: exponent 1..0x7ffe and the integer bit set (Intel SDM 1 §8.2.2). */
function isNormal(signExponent: number, high: number): boolean {
  return ((signExponent & 0x7fff) - 1) >>> 0 < 0x7ffe && (high | 0) < 0;
}

export class X87FastPath {
  constructor(private readonly r: X87Registers, private readonly host: FpuHost, private readonly math: ExtendedArithmetic) {}

  /** A register form (ModRM >= 0xc0); false: not handled, nothing changed. */
  executeRegister(opcode: number, modrm: number): boolean {
    const digit = (modrm >> 3) & 7, index = modrm & 7;
    switch (opcode) {
      case 0xd8: return digit !== 2 && digit !== 3 && this.arithmeticRegister(digit, 0, index, false);
      case 0xdc: return digit !== 2 && digit !== 3 && this.arithmeticRegister(REVERSED[digit], index, 0, false);
      case 0xde: return digit !== 2 && digit !== 3 && this.arithmeticRegister(REVERSED[digit], index, 0, true);
      case 0xd9:
        if (digit === 0) return this.loadRegister(index);
        if (digit === 1) return this.exchange(index);
        if (modrm === 0xe0 || modrm === 0xe1) return this.signOperation(modrm === 0xe0);
        if (modrm === 0xee || modrm === 0xe8) return this.loadZeroOrOne(modrm === 0xe8);
        if (modrm === 0xfa) return this.squareRoot();
        return false;
      case 0xdd: return (digit === 2 || digit === 3) && this.storeRegister(index, digit === 3);
      case 0xdb: return (digit === 5 || digit === 6) && this.compareToFlags(index, false);
      case 0xdf: return (digit === 5 || digit === 6) && this.compareToFlags(index, true);
      default: return false;
    }
  }

  /** A memory form at linear `address` (alignment already checked); false: not handled, nothing changed. */
  executeMemory(opcode: number, digit: number, address: number): boolean {
    const memory = this.host.memory;
    switch (opcode) {
      case 0xd8: {
        if (digit === 2 || digit === 3) return false;
        const bits = memory.read32(address);
        const exponent = (bits >>> 23) & 0xff;
        if (exponent === 0 || exponent === 0xff) return false;
        return this.arithmeticMemory(digit, ((bits >>> 31) << 15) | (exponent + SINGLE_REBIAS), (0x80000000 | (bits << 8)) | 0, 0);
      }
      case 0xdc: {
        if (digit === 2 || digit === 3) return false;
        // Within one page the first read faults exactly where checkRead would (the page's translation).
        if ((address & 0xfff) > 0xff8) memory.checkRead(address, 8);
        const low = memory.read32(address), high = memory.read32(address + 4);
        const exponent = (high >>> 20) & 0x7ff;
        if (exponent === 0 || exponent === 0x7ff) return false;
        return this.arithmeticMemory(digit, ((high >>> 31) << 15) | (exponent + DOUBLE_REBIAS),
          0x80000000 | (high << 11) | (low >>> 21), low << 11);
      }
      case 0xd9:
        if (digit === 0) return this.loadFloat32(memory.read32(address));
        if (digit === 2 || digit === 3) return this.storeFloat(address, false, digit === 3);
        return false;
      case 0xdd:
        if (digit === 0) {
          if ((address & 0xfff) > 0xff8) memory.checkRead(address, 8);
          return this.loadFloat64(memory.read32(address), memory.read32(address + 4));
        }
        if (digit === 2 || digit === 3) return this.storeFloat(address, true, digit === 3);
        return false;
      case 0xdb:
        return digit === 0 && this.loadInteger32(memory.read32(address));
      default:
        return false;
    }
  }

  // ---- stack moves ----------------------------------------------------------

  /** Pushes a value (the slot below TOP must be empty: checked by the caller) and clears C1. */
  private push(signExponent: number, high: number, low: number): void {
    const r = this.r;
    const slot = (r.top - 1) & 7;
    r.top = slot;
    r.signExponent[slot] = signExponent; r.high[slot] = high; r.low[slot] = low;
    r.emptyMask &= ~(1 << slot);
    r.statusFlags &= ~C1;
  }

  private slotFree(): boolean {
    const r = this.r;
    return (r.emptyMask >> ((r.top - 1) & 7) & 1) !== 0;
  }

  /** fld st(i). */
  private loadRegister(index: number): boolean {
    const r = this.r;
    const source = (r.top + index) & 7;
    if ((r.emptyMask >> source & 1) !== 0 || !this.slotFree()) return false;
    this.push(r.signExponent[source], r.high[source] | 0, r.low[source] | 0);
    return true;
  }

  /** fxch st(i). */
  private exchange(index: number): boolean {
    const r = this.r;
    const a = r.top, b = (r.top + index) & 7;
    if (((r.emptyMask >> a) | (r.emptyMask >> b)) & 1) return false;
    const signExponent = r.signExponent[a], high = r.high[a] | 0, low = r.low[a] | 0;
    r.signExponent[a] = r.signExponent[b]; r.high[a] = r.high[b]; r.low[a] = r.low[b];
    r.signExponent[b] = signExponent; r.high[b] = high; r.low[b] = low;
    r.statusFlags &= ~C1;
    return true;
  }

  /** fst/fstp st(i): a raw copy. */
  private storeRegister(index: number, popAfter: boolean): boolean {
    const r = this.r;
    const source = r.top, target = (r.top + index) & 7;
    if ((r.emptyMask >> source & 1) !== 0) return false;
    r.signExponent[target] = r.signExponent[source]; r.high[target] = r.high[source]; r.low[target] = r.low[source];
    r.emptyMask &= ~(1 << target);
    r.statusFlags &= ~C1;
    if (popAfter) this.pop();
    return true;
  }

  private pop(): void {
    const r = this.r;
    r.emptyMask |= 1 << r.top;
    r.top = (r.top + 1) & 7;
  }

  /** fchs/fabs. */
  private signOperation(negate: boolean): boolean {
    const r = this.r;
    const top = r.top;
    if ((r.emptyMask >> top & 1) !== 0) return false;
    r.signExponent[top] = negate ? r.signExponent[top] ^ 0x8000 : r.signExponent[top] & 0x7fff;
    r.statusFlags &= ~C1;
    return true;
  }

  /** fldz, fld1: exact in every precision and rounding mode (no PE). */
  private loadZeroOrOne(one: boolean): boolean {
    if (!this.slotFree()) return false;
    if (one) this.push(EXPONENT_BIAS, 0x80000000 | 0, 0); else this.push(0, 0, 0);
    return true;
  }

  // ---- loads and stores -----------------------------------------------------

  private loadFloat32(bits: number): boolean {
    const exponent = (bits >>> 23) & 0xff;
    if (!this.slotFree() || exponent === 0xff || (exponent === 0 && (bits & 0x7fffff) !== 0)) return false;
    const sign = (bits >>> 31) << 15;
    if (exponent === 0) this.push(sign, 0, 0);
    else this.push(sign | (exponent + SINGLE_REBIAS), (0x80000000 | (bits << 8)) | 0, 0);
    return true;
  }

  /** fld m64 of a double's words (exponent 0x7ff and denormals declined). Also X87.loadDouble's. */
  loadFloat64(low: number, high: number): boolean {
    const exponent = (high >>> 20) & 0x7ff;
    if (!this.slotFree() || exponent === 0x7ff || (exponent === 0 && ((high & 0xfffff) | low) !== 0)) return false;
    const sign = (high >>> 31) << 15;
    if (exponent === 0) this.push(sign, 0, 0);
    else this.push(sign | (exponent + DOUBLE_REBIAS), 0x80000000 | (high << 11) | (low >>> 21), low << 11);
    return true;
  }

  /** fild m32: exact. */
  private loadInteger32(value: number): boolean {
    if (!this.slotFree()) return false;
    if (value === 0) { this.push(0, 0, 0); return true; }
    const magnitude = value < 0 ? -value : value; // 2^31 for the most negative: still exact below 2^32
    const leading = Math.clz32(magnitude);
    this.push((value < 0 ? 0x8000 : 0) | (EXPONENT_BIAS + 31 - leading), (magnitude << leading) | 0, 0);
    return true;
  }

  /**
   * fst/fstp m32/m64 of a normal ST(0) whose rounded value is a normal single or
   * double: RC rounding to 24 or 53 bits whatever PC says (Intel SDM 2A FST).
   */
  storeFloat(address: number, double: boolean, popAfter: boolean): boolean {
    const r = this.r;
    const memory = this.host.memory;
    // Within one page the first write faults before anything changes (the stores come before the status update).
    if ((address & 0xfff) > (double ? 0xff8 : 0xffc)) memory.checkWrite(address, double ? 8 : 4);
    const top = r.top;
    if ((r.emptyMask >> top & 1) !== 0) return false;
    const signExponent = r.signExponent[top];
    let high = r.high[top] | 0;
    let low = r.low[top] | 0;
    if (!isNormal(signExponent, high)) return false;
    const sign = signExponent >> 15;
    let exponent = (signExponent & 0x7fff) - (double ? DOUBLE_REBIAS : SINGLE_REBIAS);
    const maximum = double ? 0x7fe : 0xfe;
    if (exponent < 1 || exponent > maximum) return false;
    const rounding = (r.controlWord >> 10) & 3;
    let fraction: number, lastBit: number;
    if (double) {
      fraction = (low << 21) >>> 0;
      lastBit = (low >>> 11) & 1;
      low &= ~0x7ff;
    } else {
      fraction = ((high << 24) | (low >>> 8) | ((low & 0xff) !== 0 ? 1 : 0)) >>> 0;
      lastBit = (high >>> 8) & 1;
      high &= ~0xff;
      low = 0;
    }
    const increment = fraction !== 0 && incrementFor(fraction, lastBit, sign, rounding);
    if (increment) {
      if (double) {
        low = (low + 0x800) | 0;
        if (low === 0) high = (high + 1) | 0;
      } else {
        high = (high + 0x100) | 0;
      }
      if (high === 0) { high = 0x80000000 | 0; exponent += 1; }
      if (exponent > maximum) return false;
    }
    if (double) {
      memory.write32(address, (high << 21) | (low >>> 11));
      memory.write32(address + 4, (sign << 31) | (exponent << 20) | ((high >>> 11) & 0xfffff));
    } else {
      memory.write32(address, (sign << 31) | (exponent << 23) | ((high >>> 8) & 0x7fffff));
    }
    r.statusFlags = (r.statusFlags & ~C1) | (increment ? C1 : 0) | (fraction !== 0 ? PE : 0);
    if (popAfter) this.pop();
    return true;
  }

  // ---- arithmetic -----------------------------------------------------------

  /** ST(destination) = ST(destination) op ST(other), optionally popping. */
  private arithmeticRegister(operation: number, destination: number, other: number, popAfter: boolean): boolean {
    const r = this.r;
    const a = (r.top + destination) & 7, b = (r.top + other) & 7;
    if (((r.emptyMask >> a) | (r.emptyMask >> b)) & 1) return false;
    const signExponentA = r.signExponent[a], highA = r.high[a] | 0, signExponentB = r.signExponent[b], highB = r.high[b] | 0;
    if (!isNormal(signExponentA, highA) || !isNormal(signExponentB, highB)) return false;
    if (!this.binary(operation, a, signExponentA, highA, r.low[a] | 0, signExponentB, highB, r.low[b] | 0)) return false;
    if (popAfter) this.pop();
    return true;
  }

  /** ST(0) = ST(0) op a normal memory operand already in register format. */
  private arithmeticMemory(operation: number, signExponentB: number, highB: number, lowB: number): boolean {
    const r = this.r;
    const a = r.top;
    if ((r.emptyMask >> a & 1) !== 0) return false;
    const signExponentA = r.signExponent[a], highA = r.high[a] | 0;
    if (!isNormal(signExponentA, highA)) return false;
    return this.binary(operation, a, signExponentA, highA, r.low[a] | 0, signExponentB, highB, lowB);
  }

  /** A op B into physical register `target` for op 0 add, 1 mul, 4 sub, 5 subr, 6 div, 7 divr (two normal operands). */
  private binary(operation: number, target: number, signExponentA: number, highA: number, lowA: number,
    signExponentB: number, highB: number, lowB: number): boolean {
    if (operation === 5 || operation === 7) {
      let t = signExponentA; signExponentA = signExponentB; signExponentB = t;
      t = highA; highA = highB; highB = t;
      t = lowA; lowA = lowB; lowB = t;
      operation -= 1;
    }
    if (operation === 1) return this.multiply(target, signExponentA, highA, lowA, signExponentB, highB, lowB);
    if (operation === 6) return this.divide(target, signExponentA, highA, lowA, signExponentB, highB, lowB);
    return this.add(target, signExponentA, highA, lowA, operation === 4 ? signExponentB ^ 0x8000 : signExponentB, highB, lowB);
  }

  /** The exact sum, then rounded (the algorithm of ExtendedArithmetic.add, so the sticky bits fall alike). */
  private add(target: number, signExponentA: number, highA: number, lowA: number,
    signExponentB: number, highB: number, lowB: number): boolean {
    let exponentA = signExponentA & 0x7fff, exponentB = signExponentB & 0x7fff;
    let signA = signExponentA >> 15, signB = signExponentB >> 15;
    let aHigh = highA >>> 0, aLow = lowA >>> 0, bHigh = highB >>> 0, bLow = lowB >>> 0;
    if (exponentB > exponentA || (exponentB === exponentA && (bHigh > aHigh || (bHigh === aHigh && bLow > aLow)))) {
      let t = exponentA; exponentA = exponentB; exponentB = t;
      t = aHigh; aHigh = bHigh; bHigh = t;
      t = aLow; aLow = bLow; bLow = t;
      t = signA; signA = signB; signB = t;
    }
    // B shifted right by the exponent difference into bHigh:bLow:extra, lost bits ORed into bit 0 of extra.
    let count = exponentA - exponentB;
    let extra = 0;
    if (count < 32) {
      // The common case: B moves by less than a word, nothing reaches the sticky bit.
      if (count > 0) {
        extra = (bLow << (32 - count)) >>> 0;
        bLow = ((bHigh << (32 - count)) | (bLow >>> count)) >>> 0;
        bHigh = bHigh >>> count;
      }
      count = 0;
    }
    if (count > 100) count = 100;
    while (count >= 32) {
      extra = bLow | (extra !== 0 ? 1 : 0);
      bLow = bHigh;
      bHigh = 0;
      count -= 32;
      if (bLow === 0 && count >= 32) { extra = extra !== 0 ? 1 : 0; count = 0; break; }
    }
    if (count > 0) {
      const sticky = (extra << (32 - count)) !== 0 ? 1 : 0;
      extra = ((bLow << (32 - count)) | (extra >>> count) | sticky) >>> 0;
      bLow = ((bHigh << (32 - count)) | (bLow >>> count)) >>> 0;
      bHigh = bHigh >>> count;
    } else {
      extra >>>= 0;
    }
    let exponent = exponentA;
    let high: number, low: number;
    if (signA === signB) {
      const lowSum = aLow + bLow;
      const highSum = aHigh + bHigh + (lowSum >= TWO32 ? 1 : 0);
      low = lowSum >>> 0;
      high = highSum >>> 0;
      if (highSum >= TWO32) {
        const sticky = (extra & 1) !== 0 ? 1 : 0;
        extra = ((low << 31) | (extra >>> 1) | sticky) >>> 0;
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
        // An exact zero: +0, or -0 when rounding down (Intel SDM 1 §4.8.3.1); exact, so no PE and C1 clear.
        const r = this.r;
        r.signExponent[target] = ((r.controlWord >> 10) & 3) === 1 ? 0x8000 : 0;
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
    return this.roundInto(target, signA, exponent, high | 0, low | 0, extra | 0);
  }

  /**
   * The exact 128-bit product, then rounded. The significands are split into
   * 22-, 21- and 21-bit limbs: each limb product is below 2^44 and each column
   * sum below 2^46, exact in doubles; `& mask` and `>>> 0` take low bits of
   * exact doubles below 2^53 and the power-of-two scalings are exact.
   */
  private multiply(target: number, signExponentA: number, highA: number, lowA: number,
    signExponentB: number, highB: number, lowB: number): boolean {
    const a2 = highA >>> 10, a1 = ((highA & 0x3ff) << 11) | (lowA >>> 21), a0 = lowA & 0x1fffff;
    const b2 = highB >>> 10, b1 = ((highB & 0x3ff) << 11) | (lowB >>> 21), b0 = lowB & 0x1fffff;
    const c0 = a0 * b0;
    // Columns at bits 21, 42, 63 and 84, carried in base 2^21: product = t·2^84 + d3·2^63 + d2·2^42 + d1·2^21 + d0.
    let t = a1 * b0 + a0 * b1 + Math.floor(c0 * INVERSE_TWO21);
    const d1 = t & 0x1fffff;
    t = a2 * b0 + a1 * b1 + a0 * b2 + Math.floor(t * INVERSE_TWO21);
    const d2 = t & 0x1fffff;
    t = a2 * b1 + a1 * b2 + Math.floor(t * INVERSE_TWO21);
    const d3 = t & 0x1fffff;
    t = a2 * b2 + Math.floor(t * INVERSE_TWO21);
    // Bits 96-127, 64-95, and 32-63 with bits 0-31 as a sticky bit 0.
    let high = Math.floor(t * INVERSE_TWO12);
    let low = (((t & 0xfff) << 20) | (d3 >>> 1)) >>> 0;
    let extra = (((d3 & 1) << 31) | (d2 << 10) | (d1 >>> 11) | (((d1 & 0x7ff) | (c0 & 0x1fffff)) !== 0 ? 1 : 0)) >>> 0;
    let exponent = (signExponentA & 0x7fff) + (signExponentB & 0x7fff) - EXPONENT_BIAS + 1;
    if (high < 0x80000000) {
      // Both significands are at least 2^63: the product is at least 2^126, one shift normalizes it.
      high = (high * 2 + (low >>> 31)) >>> 0;
      low = ((low << 1) | (extra >>> 31)) >>> 0;
      extra = (extra << 1) >>> 0;
      exponent -= 1;
    }
    return this.roundInto(target, (signExponentA ^ signExponentB) >>> 15 & 1, exponent, high | 0, low | 0, extra | 0);
  }

  /** Division through ExtendedArithmetic.divide: only the operand checks and the unpacking are saved. */
  private divide(target: number, signExponentA: number, highA: number, lowA: number,
    signExponentB: number, highB: number, lowB: number): boolean {
    const r = this.r;
    const math = this.math;
    math.exceptions = 0;
    math.roundedUp = false;
    const controlWord = r.controlWord;
    const precision = PRECISION_BITS[(controlWord >> 8) & 3];
    math.divide((signExponentA ^ signExponentB) >>> 15 & 1, signExponentA & 0x7fff, highA, lowA, signExponentB & 0x7fff, highB, lowB,
      precision, (controlWord >> 10) & 3, (controlWord & 0x10) !== 0, (controlWord & 8) !== 0);
    return this.commitMath(target);
  }

  /** fsqrt of a positive normal ST(0) through ExtendedArithmetic.squareRoot (the result is always normal). */
  private squareRoot(): boolean {
    const r = this.r;
    const top = r.top;
    if ((r.emptyMask >> top & 1) !== 0) return false;
    const signExponent = r.signExponent[top], high = r.high[top] | 0;
    if (signExponent >= 0x8000 || !isNormal(signExponent, high)) return false;
    const math = this.math;
    math.exceptions = 0;
    math.roundedUp = false;
    const controlWord = r.controlWord;
    math.squareRoot(signExponent, high, r.low[top] | 0, PRECISION_BITS[(controlWord >> 8) & 3], (controlWord >> 10) & 3);
    return this.commitMath(top);
  }

  /** Writes ExtendedArithmetic's result when it is a normal number with at most PE; false (nothing written) otherwise. */
  private commitMath(target: number): boolean {
    const r = this.r;
    const math = this.math;
    // Overflow or underflow: the general path decides (wrapped exponents, denormals).
    if ((math.exceptions & ~PE) !== 0 || (math.exponent - 1) >>> 0 >= 0x7ffe) return false;
    r.signExponent[target] = (math.sign << 15) | math.exponent;
    r.high[target] = math.high;
    r.low[target] = math.low;
    r.emptyMask &= ~(1 << target);
    const inexact = (math.exceptions & PE) !== 0;
    r.statusFlags = (r.statusFlags & ~C1) | (inexact && math.roundedUp ? C1 : 0) | (inexact ? PE : 0);
    return true;
  }

  /**
   * Rounds sign × high:low:extra (bit 63 of high:low set; extra holds the bits
   * below with a sticky bit 0) with PC and RC into physical register `target`:
   * ExtendedArithmetic.round for a result that neither overflows nor underflows.
   */
  private roundInto(target: number, sign: number, exponent: number, high: number, low: number, extra: number): boolean {
    if (exponent < 1) return false;
    const r = this.r;
    const controlWord = r.controlWord;
    const precisionControl = (controlWord >> 8) & 3;
    let fraction: number, lastBit: number;
    if (precisionControl === 0) {
      // 24 bits (Intel SDM 1 §8.1.5.2).
      fraction = ((high << 24) | (low >>> 8) | (((low & 0xff) | extra) !== 0 ? 1 : 0)) >>> 0;
      lastBit = (high >>> 8) & 1;
      high &= ~0xff;
      low = 0;
    } else if (precisionControl === 2) {
      // 53 bits.
      fraction = ((low << 21) | (extra >>> 11) | ((extra & 0x7ff) !== 0 ? 1 : 0)) >>> 0;
      lastBit = (low >>> 11) & 1;
      low &= ~0x7ff;
    } else {
      fraction = extra >>> 0;
      lastBit = low & 1;
    }
    const increment = fraction !== 0 && incrementFor(fraction, lastBit, sign, (controlWord >> 10) & 3);
    if (increment) {
      if (precisionControl === 0) {
        high = (high + 0x100) | 0;
      } else {
        low = (low + (precisionControl === 2 ? 0x800 : 1)) | 0;
        if (low === 0) high = (high + 1) | 0;
      }
      if (high === 0) { high = 0x80000000 | 0; exponent += 1; }
    }
    if (exponent > 32766) return false;
    r.signExponent[target] = (sign << 15) | exponent;
    r.high[target] = high;
    r.low[target] = low;
    r.emptyMask &= ~(1 << target);
    r.statusFlags = (r.statusFlags & ~C1) | (increment ? C1 : 0) | (fraction !== 0 ? PE : 0);
    return true;
  }

  // ---- compares -------------------------------------------------------------

  /**
   * fcomi/fucomi(p) of two normal or zero operands (no exception possible): ZF PF CF
   * from the comparison, C1 untouched (Intel SDM 2A FCOMI).
   */
  private compareToFlags(index: number, popAfter: boolean): boolean {
    const r = this.r;
    const a = r.top, b = (r.top + index) & 7;
    if (((r.emptyMask >> a) | (r.emptyMask >> b)) & 1) return false;
    const signExponentA = r.signExponent[a], highA = r.high[a] >>> 0, lowA = r.low[a] >>> 0;
    const signExponentB = r.signExponent[b], highB = r.high[b] >>> 0, lowB = r.low[b] >>> 0;
    const zeroA = signExponentA << 17 === 0 && highA === 0 && lowA === 0;
    const zeroB = signExponentB << 17 === 0 && highB === 0 && lowB === 0;
    if ((!zeroA && !isNormal(signExponentA, highA)) || (!zeroB && !isNormal(signExponentB, highB))) return false;
    // result: 0 greater, 1 less, 2 equal.
    let result: number;
    if (zeroA && zeroB) result = 2;
    else {
      const signA = zeroA ? 0 : signExponentA >> 15, signB = zeroB ? 0 : signExponentB >> 15;
      if (signA !== signB) result = signA === 0 ? 0 : 1;
      else {
        const exponentA = zeroA ? -1 : signExponentA & 0x7fff, exponentB = zeroB ? -1 : signExponentB & 0x7fff;
        let magnitude: number;
        if (exponentA !== exponentB) magnitude = exponentA > exponentB ? 1 : -1;
        else if (highA !== highB) magnitude = highA > highB ? 1 : -1;
        else if (lowA !== lowB) magnitude = lowA > lowB ? 1 : -1;
        else magnitude = 0;
        if (signA === 1) magnitude = -magnitude;
        result = magnitude === 0 ? 2 : magnitude > 0 ? 0 : 1;
      }
    }
    this.host.setComparisonFlags(result === 2, false, result === 1);
    if (popAfter) this.pop();
    return true;
  }
}

const PRECISION_BITS = [24, 64, 53, 64];

/** Whether RC rounds a nonzero discarded `fraction` (bit 31 = one half) away from zero (Intel SDM 1 §4.8.4). */
function incrementFor(fraction: number, lastBit: number, sign: number, rounding: number): boolean {
  switch (rounding) {
    case 0: return fraction > 0x80000000 || (fraction === 0x80000000 && lastBit === 1);
    case 1: return sign === 1;
    case 2: return sign === 0;
    default: return false;
  }
}
