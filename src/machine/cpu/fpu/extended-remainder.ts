/**
 * The exact partial remainder of fprem and fprem1 (Intel SDM 2A FPREM, FPREM1)
 * on ExtendedArithmetic's result fields: A - Q×B computed bit by bit, never
 * rounded (the remainder of two extended values is exact).
 */
import type { ExtendedArithmetic } from './extended-arithmetic.js';

/**
 * Exact partial remainder A - Q×B of two finite nonzero normalized values for
 * fprem (truncating) or fprem1 (round to nearest), Intel SDM 2A FPREM/FPREM1.
 * The caller limits the exponent difference (the partial case of fprem).
 * Leaves the exact (unrounded) result normalized and `quotient` low bits.
 */
export function partialRemainder(math: ExtendedArithmetic, signA: number, exponentA: number, highA: number, lowA: number,
  exponentB: number, highB: number, lowB: number, nearest: boolean): void {
  let difference = exponentA - exponentB;
  if (difference < 0) {
    // |A| < |B|: the quotient is 0, except that fprem1 rounds it to 1 when |A| > |B|/2 (Intel SDM 2A FPREM1).
    if (nearest && difference === -1 && (highA > highB || (highA === highB && lowA > lowB))) {
      // |B| - |A| = (2 sB - sA) × 2^(eA): exact and below 2^64 because sA > sB.
      const doubledLowB = (lowB << 1) >>> 0;
      const doubledHighB = ((highB << 1) | (lowB >>> 31)) >>> 0;
      const lowDifference = doubledLowB - lowA;
      const highDifference = (doubledHighB - highA - (lowDifference < 0 ? 1 : 0)) >>> 0;
      finishRemainder(math, signA ^ 1, exponentA, highDifference, lowDifference >>> 0, 1);
      return;
    }
    finishRemainder(math, signA, exponentA, highA, lowA, 0);
    return;
  }
  let remainderTop = 0, remainderHigh = highA, remainderLow = lowA;
  let quotient = 0;
  for (; difference >= 0; difference--) {
    quotient = (quotient << 1) & 0x7fffffff;
    if (remainderTop !== 0 || remainderHigh > highB || (remainderHigh === highB && remainderLow >= lowB)) {
      const lowDifference = remainderLow - lowB;
      remainderLow = lowDifference >>> 0;
      remainderHigh = (remainderHigh - highB - (lowDifference < 0 ? 1 : 0)) >>> 0;
      remainderTop = 0;
      quotient |= 1;
    }
    if (difference > 0) {
      remainderTop = remainderHigh >>> 31;
      remainderHigh = ((remainderHigh << 1) | (remainderLow >>> 31)) >>> 0;
      remainderLow = (remainderLow << 1) >>> 0;
    }
  }
  let sign = signA;
  if (nearest) {
    // Round the quotient to nearest, ties to even: compare 2R with B.
    const doubledTop = remainderHigh >>> 31;
    const doubledHigh = ((remainderHigh << 1) | (remainderLow >>> 31)) >>> 0;
    const doubledLow = (remainderLow << 1) >>> 0;
    const greater = doubledTop !== 0 || doubledHigh > highB || (doubledHigh === highB && doubledLow > lowB);
    const equal = doubledTop === 0 && doubledHigh === highB && doubledLow === lowB;
    if (greater || (equal && (quotient & 1) === 1)) {
      const lowDifference = lowB - remainderLow;
      remainderLow = lowDifference >>> 0;
      remainderHigh = (highB - remainderHigh - (lowDifference < 0 ? 1 : 0)) >>> 0;
      quotient += 1;
      sign ^= 1;
    }
  }
  finishRemainder(math, sign, exponentB, remainderHigh, remainderLow, quotient);
}

function finishRemainder(math: ExtendedArithmetic, sign: number, exponent: number, high: number, low: number, quotient: number): void {
math.quotient = quotient & 7;
math.sign = sign;
if (high === 0 && low === 0) {
  math.exponent = 0; math.high = 0; math.low = 0;
  return;
}
if (high === 0) { high = low; low = 0; exponent -= 32; }
const leading = Math.clz32(high);
if (leading > 0) {
  high = ((high << leading) | (low >>> (32 - leading))) >>> 0;
  low = (low << leading) >>> 0;
  exponent -= leading;
}
math.exponent = exponent; math.high = high >>> 0; math.low = low >>> 0;
}
