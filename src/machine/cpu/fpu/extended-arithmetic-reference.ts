/**
 * Simple reference versions of the hot-path ExtendedArithmetic routines: restoring
 * division and digit-by-digit square root, one quotient/root bit per step. The fast
 * versions are tested against these bit for bit (extended-arithmetic.test.ts); the
 * square root also falls back on its reference if its estimate ever fails to settle.
 */
import type { ExtendedArithmetic } from './extended-arithmetic.js';

const EXPONENT_BIAS = 16383;

/** Reference for divide: restoring division, 66 quotient bits, one per step. */
export function divideReference(math: ExtendedArithmetic, sign: number, exponentA: number, highA: number, lowA: number, exponentB: number, highB: number, lowB: number,
  precision: number, rounding: number, underflowMasked: boolean, overflowMasked: boolean): void {
  highA >>>= 0; lowA >>>= 0; highB >>>= 0; lowB >>>= 0;
  let exponent = exponentA - exponentB + EXPONENT_BIAS;
  let remainderTop = 0, remainderHigh = highA, remainderLow = lowA;
  if (highA < highB || (highA === highB && lowA < lowB)) {
    remainderTop = highA >>> 31;
    remainderHigh = ((highA << 1) | (lowA >>> 31)) >>> 0;
    remainderLow = (lowA << 1) >>> 0;
    exponent -= 1;
  }
  let quotientHigh = 0, quotientLow = 0, quotientExtra = 0;
  for (let bit = 0; bit < 66; bit++) {
    let quotientBit = 0;
    if (remainderTop !== 0 || remainderHigh > highB || (remainderHigh === highB && remainderLow >= lowB)) {
      const lowDifference = remainderLow - lowB;
      remainderLow = lowDifference >>> 0;
      const highDifference = remainderHigh - highB - (lowDifference < 0 ? 1 : 0);
      remainderHigh = highDifference >>> 0;
      remainderTop = 0;
      quotientBit = 1;
    }
    quotientHigh = ((quotientHigh << 1) | (quotientLow >>> 31)) >>> 0;
    quotientLow = ((quotientLow << 1) | (quotientExtra >>> 31)) >>> 0;
    quotientExtra = ((quotientExtra << 1) | quotientBit) >>> 0;
    remainderTop = remainderHigh >>> 31;
    remainderHigh = ((remainderHigh << 1) | (remainderLow >>> 31)) >>> 0;
    remainderLow = (remainderLow << 1) >>> 0;
  }
  // 66 bits sit in quotientHigh(0..1):quotientLow:quotientExtra; align bit 65 to bit 95.
  const sticky = remainderTop !== 0 || remainderHigh !== 0 || remainderLow !== 0 ? 1 : 0;
  const workHigh = ((quotientHigh << 30) | (quotientLow >>> 2)) >>> 0;
  const workLow = ((quotientLow << 30) | (quotientExtra >>> 2)) >>> 0;
  const workExtra = ((quotientExtra << 30) | sticky) >>> 0;
  math.round(sign, exponent, workHigh | 0, workLow | 0, workExtra | 0, precision, rounding, 1, 32766,
    underflowMasked, overflowMasked);
}

/** Reference for squareRoot: digit-by-digit, 66 root bits, one per step. */
export function squareRootReference(math: ExtendedArithmetic, exponent: number, high: number, low: number, precision: number, rounding: number): void {
  high >>>= 0; low >>>= 0;
  // value = sig × 2^(u - 63), u = exponent - bias. The digit loop takes the root of
  // W × 2^4 with W = sig << 64 (u odd) or sig << 63 (u even): a 66-bit root with bit 65 set.
  const unbiased = exponent - EXPONENT_BIAS;
  let word3 = high, word2 = low, word1 = 0;
  const word0 = 0;
  if ((unbiased & 1) === 0) {
    word1 = (word2 << 31) >>> 0;
    word2 = ((word2 >>> 1) | (word3 << 31)) >>> 0;
    word3 = word3 >>> 1;
  }
  // radicand = (word3:word2:word1:word0) / 2^126 in [0.5, 4); root in [0.7, 2) with 66 bits (1 integer).
  let remainderTop = 0, remainderHigh = 0, remainderLow = 0; // up to ~68 bits
  let rootHigh = 0, rootLow = 0, rootExtra = 0; // 66 bits accumulate
  for (let step = 0; step < 66; step++) {
    // Bring down the next two radicand bits.
    const pair = word3 >>> 30;
    word3 = ((word3 << 2) | (word2 >>> 30)) >>> 0;
    word2 = ((word2 << 2) | (word1 >>> 30)) >>> 0;
    word1 = ((word1 << 2) | (word0 >>> 30)) >>> 0;
    remainderTop = ((remainderTop << 2) | (remainderHigh >>> 30)) >>> 0;
    remainderHigh = ((remainderHigh << 2) | (remainderLow >>> 30)) >>> 0;
    remainderLow = ((remainderLow << 2) | pair) >>> 0;
    // trial = (root << 2) | 1
    const trialTop = ((rootHigh << 2) | (rootLow >>> 30)) >>> 0;
    const trialHigh = ((rootLow << 2) | (rootExtra >>> 30)) >>> 0;
    const trialLow = ((rootExtra << 2) | 1) >>> 0;
    const fits = remainderTop > trialTop || (remainderTop === trialTop && (remainderHigh > trialHigh
      || (remainderHigh === trialHigh && remainderLow >= trialLow)));
    rootHigh = ((rootHigh << 1) | (rootLow >>> 31)) >>> 0;
    rootLow = ((rootLow << 1) | (rootExtra >>> 31)) >>> 0;
    rootExtra = (rootExtra << 1) >>> 0;
    if (fits) {
      const lowDifference = remainderLow - trialLow;
      remainderLow = lowDifference >>> 0;
      const highDifference = remainderHigh - trialHigh - (lowDifference < 0 ? 1 : 0);
      remainderHigh = highDifference >>> 0;
      remainderTop = (remainderTop - trialTop - (highDifference < 0 ? 1 : 0)) >>> 0;
      rootExtra = (rootExtra | 1) >>> 0;
    }
  }
  const sticky = remainderTop !== 0 || remainderHigh !== 0 || remainderLow !== 0 ? 1 : 0;
  // Root has 66 bits: bit 65 in rootHigh bit 1. Align bit 65 to bit 95 (shift left by 30).
  const workHigh = ((rootHigh << 30) | (rootLow >>> 2)) >>> 0;
  const workLow = ((rootLow << 30) | (rootExtra >>> 2)) >>> 0;
  const workExtra = ((rootExtra << 30) | sticky) >>> 0;
  const resultExponent = (unbiased >> 1) + EXPONENT_BIAS;
  // The root is at least sqrt(0.5) × 2^65, so bit 64 is set: at most one normalizing shift (sticky stays nonzero).
  if ((workHigh & 0x80000000) === 0) {
    math.round(0, resultExponent - 1, (workHigh << 1) | (workLow >>> 31), (workLow << 1) | (workExtra >>> 31), workExtra << 1,
      precision, rounding, 1, 32766, true, true);
    return;
  }
  math.round(0, resultExponent, workHigh | 0, workLow | 0, workExtra | 0, precision, rounding, 1, 32766, true, true);
}

