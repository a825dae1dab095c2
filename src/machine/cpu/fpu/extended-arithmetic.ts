/**
 * Soft-float core for the x87's 80-bit extended format, without BigInt: a value
 * is a sign, a biased exponent (bias 16383, may leave 1..32766 before rounding)
 * and a 64-bit significand as two u32 halves with the integer bit at bit 63.
 * Every operation leaves its result in the fields `sign`, `exponent`, `high`,
 * `low` (already rounded and encoded: exponent 0 for zeros and denormals) and
 * ORs the exceptions it raised into `exceptions`; `roundedUp` is C1.
 * Intel SDM vol 1 §4.8 (formats), §4.9 (exceptions), §8.1.5 (precision and rounding control).
 */
import { squareRootReference } from './extended-arithmetic-reference.js';

export const Rounding = { Nearest: 0, Down: 1, Up: 2, Zero: 3 } as const;

/** Exception flag bits as in the x87 status word (Intel SDM 1 §8.1.3). */
export const FpuException = { IE: 1, DE: 2, ZE: 4, OE: 8, UE: 16, PE: 32, SF: 64 } as const;

export const EXPONENT_BIAS = 16383;
/** Intel SDM 1 §4.9.1.4/5: an unmasked overflow/underflow delivers the result with the exponent biased by 3 × 2^13. */
const WRAP_BIAS = 24576;
const TWO32 = 4294967296;

/** Destination format of a rounding: significand bits and normal exponent range (extended-biased). */
export interface RoundingTarget { precision: number; minExponent: number; maxExponent: number }

export class ExtendedArithmetic {
  sign = 0;
  exponent = 0;
  high = 0;
  low = 0;
  exceptions = 0;
  roundedUp = false;

  // Working 96-bit significand (high:low:extra) of the operation before rounding.
  private workHigh = 0;
  private workLow = 0;
  private workExtra = 0;
  // 32x32 product scratch.
  private productHigh = 0;
  private productLow = 0;

  /** The quotient bits of the last partialRemainder() (extended-remainder.ts): low three bits. */
  quotient = 0;

  /**
   * Rounds sign × (high:low:extra / 2^95) × 2^(exponent - bias) to `precision` bits
   * under rounding mode `rounding`, with the normal exponent range
   * [minExponent, maxExponent]. The significand must have bit 95 set (or be zero).
   * Masked underflow denormalizes; unmasked over/underflow wraps the exponent
   * (Intel SDM 1 §4.9.1.4-5). Tininess is detected after rounding as on x86.
   */
  round(sign: number, exponent: number, high: number, low: number, extra: number,
    precision: number, rounding: number, minExponent: number, maxExponent: number,
    underflowMasked: boolean, overflowMasked: boolean): void {
    // Words arrive as i32 (Smis: no boxing across calls, hot path) and are used as u32.
    high >>>= 0; low >>>= 0; extra >>>= 0;
    this.sign = sign;
    this.roundedUp = false;
    if (high === 0 && low === 0 && extra === 0) {
      this.exponent = 0; this.high = 0; this.low = 0;
      return;
    }
    const precisionShift = 64 - precision;
    let tiny = exponent < minExponent;
    if (tiny && exponent === minExponent - 1) {
      // After-rounding tininess: a value just below the smallest normal that rounds up to it is not tiny.
      this.workHigh = high; this.workLow = low; this.workExtra = extra;
      this.shiftRight(precisionShift);
      const allOnesHigh = precisionShift >= 32 ? 0 : (0xffffffff >>> precisionShift) >>> 0;
      const allOnesLow = precisionShift >= 32 ? (0xffffffff >>> (precisionShift - 32)) >>> 0 : 0xffffffff;
      if (this.workHigh === allOnesHigh && this.workLow === allOnesLow && this.incrementFor(sign, rounding)) tiny = false;
    }
    let denormalizeBy = 0;
    if (tiny) {
      if (underflowMasked) {
        denormalizeBy = minExponent - exponent;
        exponent = minExponent;
      } else {
        // Only register destinations receive the wrapped result; memory stores discard it.
        this.exceptions |= FpuException.UE;
        if (maxExponent === 32766) {
          exponent += WRAP_BIAS;
          if (exponent < minExponent) {
            // Too small even for the wrapped range: the hardware delivers zero (measured with fscale).
            this.exceptions |= FpuException.PE;
            this.exponent = 0; this.high = 0; this.low = 0;
            return;
          }
        }
      }
    }
    this.workHigh = high; this.workLow = low; this.workExtra = extra;
    this.shiftRight(precisionShift + denormalizeBy);
    const inexact = this.workExtra !== 0;
    const increment = this.incrementFor(sign, rounding);
    this.workExtra = 0;
    this.shiftLeft64(precisionShift);
    if (increment) {
      this.roundedUp = true;
      const addend = precisionShift >= 32 ? 0 : (1 << precisionShift) >>> 0;
      const addendHigh = precisionShift >= 32 ? (1 << (precisionShift - 32)) >>> 0 : 0;
      const lowSum = this.workLow + addend;
      this.workLow = lowSum >>> 0;
      const highSum = this.workHigh + addendHigh + (lowSum >= TWO32 ? 1 : 0);
      this.workHigh = highSum >>> 0;
      if (highSum >= TWO32) {
        this.workHigh = 0x80000000;
        exponent += 1;
      }
    }
    if (inexact) {
      this.exceptions |= FpuException.PE;
      if (tiny) this.exceptions |= FpuException.UE;
    }
    if (exponent > maxExponent) {
      this.exceptions |= FpuException.OE;
      if (overflowMasked) {
        this.exceptions |= FpuException.PE;
        const toInfinity = rounding === Rounding.Nearest || (rounding === Rounding.Up && sign === 0)
          || (rounding === Rounding.Down && sign === 1);
        this.roundedUp = toInfinity;
        if (toInfinity) {
          this.exponent = maxExponent + 1; this.high = 0x80000000; this.low = 0;
        } else {
          this.exponent = maxExponent;
          this.high = precisionShift >= 32 ? (0xffffffff << (precisionShift - 32)) >>> 0 : 0xffffffff;
          this.low = precisionShift >= 32 ? 0 : (0xffffffff << precisionShift) >>> 0;
          if (precisionShift === 0) this.low = 0xffffffff;
        }
        return;
      }
      if (maxExponent === 32766) exponent -= WRAP_BIAS;
      if (exponent > maxExponent) {
        // Too large even for the wrapped range: the hardware delivers infinity (measured with fscale).
        this.exceptions |= FpuException.PE;
        this.roundedUp = true;
        this.exponent = 0x7fff; this.high = 0x80000000; this.low = 0;
        return;
      }
    }
    this.high = this.workHigh;
    this.low = this.workLow;
    // A denormalized result keeps its integer bit clear and encodes exponent minExponent - 1.
    this.exponent = (this.workHigh & 0x80000000) !== 0 ? exponent : minExponent - 1;
    if (this.high === 0 && this.low === 0) this.exponent = 0;
  }

  /** Round-to-integer decision on workExtra (the bits below the kept field). */
  private incrementFor(sign: number, rounding: number): boolean {
    const extra = this.workExtra;
    if (extra === 0) return false;
    switch (rounding) {
      case Rounding.Nearest: return extra > 0x80000000 || (extra === 0x80000000 && (this.workLow & 1) === 1);
      case Rounding.Down: return sign === 1;
      case Rounding.Up: return sign === 0;
      default: return false;
    }
  }

  /** Shifts workHigh:workLow:workExtra right, ORing lost bits into bit 0 of workExtra. */
  private shiftRight(count: number): void {
    if (count === 0) return;
    let high = this.workHigh, low = this.workLow, extra = this.workExtra;
    while (count >= 32) {
      extra = low | (extra !== 0 ? 1 : 0);
      low = high;
      high = 0;
      count -= 32;
      if (high === 0 && low === 0 && count >= 32) { extra = extra !== 0 ? 1 : 0; count = 0; break; }
    }
    if (count > 0) {
      const sticky = (extra << (32 - count)) !== 0 ? 1 : 0;
      extra = ((low << (32 - count)) | (extra >>> count) | sticky) >>> 0;
      low = ((high << (32 - count)) | (low >>> count)) >>> 0;
      high = high >>> count;
    }
    this.workHigh = high >>> 0; this.workLow = low >>> 0; this.workExtra = extra >>> 0;
  }

  private shiftLeft64(count: number): void {
    if (count === 0) return;
    if (count >= 32) {
      this.workHigh = (this.workLow << (count - 32)) >>> 0;
      this.workLow = 0;
    } else {
      this.workHigh = ((this.workHigh << count) | (this.workLow >>> (32 - count))) >>> 0;
      this.workLow = (this.workLow << count) >>> 0;
    }
  }

  /** Shifts the working value left until bit 95 is set; returns the count. Value must be nonzero. */
  private normalizeWork(): number {
    let count = 0;
    while (this.workHigh === 0) {
      this.workHigh = this.workLow; this.workLow = this.workExtra; this.workExtra = 0;
      count += 32;
    }
    const leading = Math.clz32(this.workHigh);
    if (leading > 0) {
      this.workHigh = ((this.workHigh << leading) | (this.workLow >>> (32 - leading))) >>> 0;
      this.workLow = ((this.workLow << leading) | (this.workExtra >>> (32 - leading))) >>> 0;
      this.workExtra = (this.workExtra << leading) >>> 0;
    }
    return count + leading;
  }

  /**
   * Exact sum of two finite values (significands normalized with bit 63 set, or
   * zero with exponent 0), then rounded. Zero results get +0, or -0 when rounding down.
   */
  add(signA: number, exponentA: number, highA: number, lowA: number,
    signB: number, exponentB: number, highB: number, lowB: number,
    precision: number, rounding: number, underflowMasked: boolean, overflowMasked: boolean): void {
    highA >>>= 0; lowA >>>= 0; highB >>>= 0; lowB >>>= 0;
    const bZero = highB === 0 && lowB === 0;
    const aZero = highA === 0 && lowA === 0;
    if (aZero || bZero) {
      if (aZero && bZero) {
        this.roundedUp = false;
        this.sign = signA === signB ? signA : (rounding === Rounding.Down ? 1 : 0);
        this.exponent = 0; this.high = 0; this.low = 0;
        return;
      }
      if (aZero) this.round(signB, exponentB, highB | 0, lowB | 0, 0, precision, rounding, 1, 32766, underflowMasked, overflowMasked);
      else this.round(signA, exponentA, highA | 0, lowA | 0, 0, precision, rounding, 1, 32766, underflowMasked, overflowMasked);
      return;
    }
    // Order so that A has the larger magnitude.
    if (exponentB > exponentA || (exponentB === exponentA && (highB > highA || (highB === highA && lowB > lowA)))) {
      let t = signA; signA = signB; signB = t;
      t = exponentA; exponentA = exponentB; exponentB = t;
      t = highA; highA = highB; highB = t;
      t = lowA; lowA = lowB; lowB = t;
    }
    this.workHigh = highB; this.workLow = lowB; this.workExtra = 0;
    const difference = exponentA - exponentB;
    this.shiftRight(difference > 100 ? 100 : difference);
    let exponent = exponentA;
    if (signA === signB) {
      const lowSum = lowA + this.workLow;
      const highSum = highA + this.workHigh + (lowSum >= TWO32 ? 1 : 0);
      this.workLow = lowSum >>> 0;
      this.workHigh = highSum >>> 0;
      if (highSum >= TWO32) {
        this.shiftRight(1);
        this.workHigh = (this.workHigh | 0x80000000) >>> 0;
        exponent += 1;
      }
    } else {
      const extra = (0 - this.workExtra) >>> 0;
      const borrowExtra = this.workExtra !== 0 ? 1 : 0;
      const lowDifference = lowA - this.workLow - borrowExtra;
      const highDifference = highA - this.workHigh - (lowDifference < 0 ? 1 : 0);
      this.workExtra = extra;
      this.workLow = lowDifference >>> 0;
      this.workHigh = highDifference >>> 0;
      if (this.workHigh === 0 && this.workLow === 0 && this.workExtra === 0) {
        this.roundedUp = false;
        this.sign = rounding === Rounding.Down ? 1 : 0;
        this.exponent = 0; this.high = 0; this.low = 0;
        return;
      }
      exponent -= this.normalizeWork();
    }
    this.round(signA, exponent, this.workHigh | 0, this.workLow | 0, this.workExtra | 0, precision, rounding, 1, 32766,
      underflowMasked, overflowMasked);
  }

  /** Exact 64-bit product of two u32 into productHigh:productLow (16-bit limbs, integer-only: hot path). */
  private multiply32(a: number, b: number): void {
    const aLow = a & 0xffff, aHigh = a >>> 16, bLow = b & 0xffff, bHigh = b >>> 16;
    const lowLow = aLow * bLow, lowHigh = aLow * bHigh, highLow = aHigh * bLow;
    const middle = (lowLow >>> 16) + (lowHigh & 0xffff) + (highLow & 0xffff);
    this.productLow = ((middle << 16) | (lowLow & 0xffff)) >>> 0;
    this.productHigh = (aHigh * bHigh + (lowHigh >>> 16) + (highLow >>> 16) + (middle >>> 16)) >>> 0;
  }

  /** Product of two finite nonzero normalized values, rounded. */
  multiply(sign: number, exponentA: number, highA: number, lowA: number, exponentB: number, highB: number, lowB: number,
    precision: number, rounding: number, underflowMasked: boolean, overflowMasked: boolean): void {
    highA >>>= 0; lowA >>>= 0; highB >>>= 0; lowB >>>= 0;
    this.multiply32(lowA, lowB);
    const word0 = this.productLow;
    let word1 = this.productHigh;
    this.multiply32(highA, lowB);
    word1 += this.productLow;
    let word2 = this.productHigh;
    this.multiply32(lowA, highB);
    word1 += this.productLow;
    word2 += this.productHigh;
    this.multiply32(highA, highB);
    word2 += this.productLow + Math.floor(word1 / TWO32);
    const word3 = this.productHigh + Math.floor(word2 / TWO32);
    this.workHigh = word3 >>> 0;
    this.workLow = word2 >>> 0;
    this.workExtra = ((word1 >>> 0) | (word0 !== 0 ? 1 : 0)) >>> 0;
    let exponent = exponentA + exponentB - EXPONENT_BIAS + 1;
    if ((this.workHigh & 0x80000000) === 0) {
      exponent -= this.normalizeWork();
    }
    this.round(sign, exponent, this.workHigh | 0, this.workLow | 0, this.workExtra | 0, precision, rounding, 1, 32766,
      underflowMasked, overflowMasked);
  }

  /**
   * Quotient of two finite nonzero normalized values, rounded. Hot path: after the
   * leading quotient bit, five 13-bit quotient digits are estimated in doubles
   * (off by at most one) and corrected against an exact remainder kept in 16-bit limbs.
   * divideReference (extended-arithmetic-reference.ts) is the plain restoring division it must match bit for bit.
   */
  divide(sign: number, exponentA: number, highA: number, lowA: number, exponentB: number, highB: number, lowB: number,
    precision: number, rounding: number, underflowMasked: boolean, overflowMasked: boolean): void {
    highA >>>= 0; lowA >>>= 0; highB >>>= 0; lowB >>>= 0;
    let exponent = exponentA - exponentB + EXPONENT_BIAS;
    const b3 = highB >>> 16, b2 = highB & 0xffff, b1 = lowB >>> 16, b0 = lowB & 0xffff;
    let a3 = highA >>> 16, a2 = highA & 0xffff, a1 = lowA >>> 16, a0 = lowA & 0xffff;
    if (highA < highB || (highA === highB && lowA < lowB)) {
      // Dividend doubled so that B <= A < 2B: the leading quotient bit is 1. Its bit 64
      // is dropped: A - B < 2^64, so the borrow out of the top limb cancels it.
      a3 = ((a3 << 1) | (a2 >>> 15)) & 0xffff; a2 = ((a2 << 1) | (a1 >>> 15)) & 0xffff;
      a1 = ((a1 << 1) | (a0 >>> 15)) & 0xffff; a0 = (a0 << 1) & 0xffff;
      exponent -= 1;
    }
    // R = A - B (< B, fits four limbs).
    let t = a0 - b0; let r0 = t & 0xffff;
    t = a1 - b1 + (t >> 16); let r1 = t & 0xffff;
    t = a2 - b2 + (t >> 16); let r2 = t & 0xffff;
    t = a3 - b3 + (t >> 16); let r3 = t & 0xffff;
    const divisor = b3 * 281474976710656 + b2 * 4294967296 + b1 * 65536 + b0;
    let d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0;
    for (let digitIndex = 0; digitIndex < 5; digitIndex++) {
      // R <<= 13 into five limbs.
      let n4 = r3 >>> 3;
      let n3 = ((r3 << 13) | (r2 >>> 3)) & 0xffff;
      let n2 = ((r2 << 13) | (r1 >>> 3)) & 0xffff;
      let n1 = ((r1 << 13) | (r0 >>> 3)) & 0xffff;
      let n0 = (r0 << 13) & 0xffff;
      const dividend = n4 * 18446744073709551616 + n3 * 281474976710656 + n2 * 4294967296 + n1 * 65536 + n0;
      let digit = Math.floor(dividend / divisor);
      if (digit > 8191) digit = 8191;
      // R -= digit × B exactly; each limb step stays within i32 (digit × limb < 2^29).
      t = n0 - digit * b0; n0 = t & 0xffff;
      t = n1 - digit * b1 + (t >> 16); n1 = t & 0xffff;
      t = n2 - digit * b2 + (t >> 16); n2 = t & 0xffff;
      t = n3 - digit * b3 + (t >> 16); n3 = t & 0xffff;
      n4 = n4 + (t >> 16);
      while (n4 < 0) {
        // Estimate one too large: add B back.
        t = n0 + b0; n0 = t & 0xffff;
        t = n1 + b1 + (t >> 16); n1 = t & 0xffff;
        t = n2 + b2 + (t >> 16); n2 = t & 0xffff;
        t = n3 + b3 + (t >> 16); n3 = t & 0xffff;
        n4 += t >> 16;
        digit -= 1;
      }
      while (n4 > 0 || n3 > b3 || (n3 === b3 && (n2 > b2 || (n2 === b2 && (n1 > b1 || (n1 === b1 && n0 >= b0)))))) {
        // Estimate one too small: subtract B once more.
        t = n0 - b0; n0 = t & 0xffff;
        t = n1 - b1 + (t >> 16); n1 = t & 0xffff;
        t = n2 - b2 + (t >> 16); n2 = t & 0xffff;
        t = n3 - b3 + (t >> 16); n3 = t & 0xffff;
        n4 += t >> 16;
        digit += 1;
      }
      r3 = n3; r2 = n2; r1 = n1; r0 = n0;
      if (digitIndex === 0) d1 = digit; else if (digitIndex === 1) d2 = digit; else if (digitIndex === 2) d3 = digit;
      else if (digitIndex === 3) d4 = digit; else d5 = digit;
    }
    // Quotient bit 65 (the leading 1) goes to bit 95, then d1..d5 at bits 82, 69, 56, 43, 30.
    const sticky = (r3 | r2 | r1 | r0) !== 0 ? 1 : 0;
    this.workHigh = (0x80000000 | (d1 << 18) | (d2 << 5) | (d3 >>> 8)) >>> 0;
    this.workLow = (((d3 & 0xff) << 24) | (d4 << 11) | (d5 >>> 2)) >>> 0;
    this.workExtra = (((d5 & 3) << 30) | sticky) >>> 0;
    this.round(sign, exponent, this.workHigh | 0, this.workLow | 0, this.workExtra | 0, precision, rounding, 1, 32766,
      underflowMasked, overflowMasked);
  }

  // Limbs of the 132-bit radicand for squareRoot, and the root candidate (high part < 2^34, low u32).
  private readonly radicandLimbs = new Float64Array(9);
  private rootHigh = 0;
  private rootLow = 0;

  /**
   * Square root of a finite positive normalized value, rounded. Hot path: the 66-bit
   * root of the 132-bit radicand is estimated with Math.sqrt, refined by one Newton
   * step on the exact remainder and settled by exact comparisons (root² <= N < (root+1)²).
   * squareRootReference (extended-arithmetic-reference.ts) is the digit-by-digit version it must match bit for bit.
   */
  squareRoot(exponent: number, high: number, low: number, precision: number, rounding: number): void {
    high >>>= 0; low >>>= 0;
    const unbiased = exponent - EXPONENT_BIAS;
    let word3 = high, word2 = low, word1 = 0;
    if ((unbiased & 1) === 0) {
      word1 = (word2 << 31) >>> 0;
      word2 = ((word2 >>> 1) | (word3 << 31)) >>> 0;
      word3 = word3 >>> 1;
    }
    // N = (word3:word2:word1:0) << 4 as nine 16-bit limbs; the root is floor(sqrt(N)) with 66 bits.
    const limbs = this.radicandLimbs;
    limbs[0] = 0;
    limbs[1] = 0;
    limbs[2] = (word1 << 4) & 0xffff;
    limbs[3] = (word1 >>> 12) & 0xffff;
    limbs[4] = ((word1 >>> 28) | (word2 << 4)) & 0xffff;
    limbs[5] = (word2 >>> 12) & 0xffff;
    limbs[6] = ((word2 >>> 28) | (word3 << 4)) & 0xffff;
    limbs[7] = (word3 >>> 12) & 0xffff;
    limbs[8] = word3 >>> 28;
    const estimate = Math.sqrt(word3 * 2 ** 100 + word2 * 2 ** 68 + word1 * 2 ** 36);
    this.rootHigh = Math.floor(estimate / TWO32);
    this.rootLow = estimate - this.rootHigh * TWO32;
    // One Newton step: root += (N - root²) / (2 root); the estimate is within 2^14, so this lands within one.
    // Newton's step overshoots sqrt(N) by (sqrt(N) - estimate)² / (2 estimate) < 2^-39, so rounding the step
    // down gives floor(sqrt(N)) itself unless its fraction is within ~2^-34 of an integer (then the loop below).
    this.adjustRoot(Math.floor(this.rootRemainder() / (2 * estimate)));
    // Settled when 0 <= N - root² < 2 root + 1. The remainder's double has an exact sign and zero-ness
    // and, when not negative, a relative error below 2^-49 (nine Horner steps of non-negative terms),
    // so a margin of 2^-40 decides most cases with this one remainder instead of three more.
    const remainder = this.rootRemainder();
    let sticky: number;
    if (remainder >= 0 && remainder < (2 * (this.rootHigh * TWO32 + this.rootLow) + 1) * (1 - 2 ** -40)) {
      sticky = remainder !== 0 ? 1 : 0;
    } else {
      // At most a step or two each way; the bound only guards against an estimate gone wrong.
      let steps = 0;
      while (this.rootRemainder() < 0 && steps < 8) { this.adjustRoot(-1); steps++; }
      for (; steps < 8; steps++) {
        this.adjustRoot(1);
        if (this.rootRemainder() < 0) { this.adjustRoot(-1); break; }
      }
      if (steps >= 8) {
        squareRootReference(this, exponent, high | 0, low | 0, precision, rounding);
        return;
      }
      sticky = this.rootRemainder() !== 0 ? 1 : 0;
    }
    const rootHigh = this.rootHigh, rootLow = this.rootLow;
    // Root bit 65 aligns with bit 95 (shift left by 30).
    this.workHigh = Math.floor(rootHigh / 4) >>> 0;
    this.workLow = ((rootLow >>> 2) | ((rootHigh & 3) << 30)) >>> 0;
    this.workExtra = (((rootLow & 3) << 30) | sticky) >>> 0;
    let resultExponent = (unbiased >> 1) + EXPONENT_BIAS;
    if ((this.workHigh & 0x80000000) === 0) resultExponent -= this.normalizeWork();
    this.round(0, resultExponent, this.workHigh | 0, this.workLow | 0, this.workExtra | 0, precision, rounding, 1, 32766, true, true);
  }

  private adjustRoot(delta: number): void {
    let rootLow = this.rootLow + delta;
    const carry = Math.floor(rootLow / TWO32);
    rootLow -= carry * TWO32;
    this.rootLow = rootLow;
    this.rootHigh += carry;
  }

  /**
   * N - root² computed exactly in 16-bit limb columns (each column sum < 2^35, exact in
   * doubles); returns it as a double: its sign and zero-ness are exact, its size approximate.
   * The value is rebuilt from the top limb down (Horner) so that a small negative remainder
   * in two's complement limbs does not cancel catastrophically.
   */
  private rootRemainder(): number {
    const limbs = this.radicandLimbs;
    const rootLow = this.rootLow, rootHigh = this.rootHigh;
    const l0 = rootLow & 0xffff, l1 = rootLow >>> 16, l2 = rootHigh % 65536;
    const l3 = Math.floor(rootHigh / 65536) % 65536, l4 = Math.floor(rootHigh / TWO32);
    let sum = limbs[0]! - l0 * l0;
    let carry = Math.floor(sum / 65536); const d0 = sum - carry * 65536;
    sum = limbs[1]! - 2 * l0 * l1 + carry;
    carry = Math.floor(sum / 65536); const d1 = sum - carry * 65536;
    sum = limbs[2]! - (2 * l0 * l2 + l1 * l1) + carry;
    carry = Math.floor(sum / 65536); const d2 = sum - carry * 65536;
    sum = limbs[3]! - 2 * (l0 * l3 + l1 * l2) + carry;
    carry = Math.floor(sum / 65536); const d3 = sum - carry * 65536;
    sum = limbs[4]! - (2 * (l0 * l4 + l1 * l3) + l2 * l2) + carry;
    carry = Math.floor(sum / 65536); const d4 = sum - carry * 65536;
    sum = limbs[5]! - 2 * (l1 * l4 + l2 * l3) + carry;
    carry = Math.floor(sum / 65536); const d5 = sum - carry * 65536;
    sum = limbs[6]! - (2 * l2 * l4 + l3 * l3) + carry;
    carry = Math.floor(sum / 65536); const d6 = sum - carry * 65536;
    sum = limbs[7]! - 2 * l3 * l4 + carry;
    carry = Math.floor(sum / 65536); const d7 = sum - carry * 65536;
    sum = limbs[8]! - l4 * l4 + carry;
    carry = Math.floor(sum / 65536); const d8 = sum - carry * 65536;
    let value = carry;
    value = value * 65536 + d8; value = value * 65536 + d7; value = value * 65536 + d6;
    value = value * 65536 + d5; value = value * 65536 + d4; value = value * 65536 + d3;
    value = value * 65536 + d2; value = value * 65536 + d1; value = value * 65536 + d0;
    return value;
  }

}
