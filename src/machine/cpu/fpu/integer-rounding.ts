/**
 * Rounding an 80-bit value to an integer magnitude (at most 64 bits) under a
 * rounding mode, for fist/fistp/fisttp, fbstp and frndint (Intel SDM 1 §4.8.4).
 * Leaves the magnitude in `high`:`low`, `inexact` and `roundedUp` (C1).
 */
import { EXPONENT_BIAS, Rounding } from './extended-arithmetic.js';

export class IntegerRounding {
  high = 0;
  low = 0;
  inexact = false;
  roundedUp = false;

  /**
   * Rounds |value| = sig × 2^(exponent - bias - 63) to an integer magnitude in
   * high:low. Returns false when the magnitude needs more than 64 bits.
   */
  roundMagnitude(sign: number, exponent: number, high: number, low: number, rounding: number): boolean {
    this.inexact = false;
    this.roundedUp = false;
    const shift = EXPONENT_BIAS + 63 - exponent;
    if (shift <= 0) {
      this.high = high; this.low = low;
      return shift === 0 || (high === 0 && low === 0);
    }
    let extra = 0;
    let keptHigh = high, keptLow = low;
    if (shift >= 64) {
      extra = shift === 64 ? keptHigh : 0;
      if (shift === 64 ? keptLow !== 0 : (keptHigh !== 0 || keptLow !== 0)) extra = (extra | 1) >>> 0;
      if (shift > 64 && extra === 0 && (keptHigh !== 0 || keptLow !== 0)) extra = 1;
      keptHigh = 0; keptLow = 0;
    } else if (shift >= 32) {
      const bits = shift - 32;
      extra = bits === 0 ? keptLow : (((keptHigh << (32 - bits)) | (keptLow >>> bits)) >>> 0);
      if (bits > 0 && (keptLow << (32 - bits)) !== 0) extra = (extra | 1) >>> 0;
      keptLow = bits === 0 ? keptHigh : keptHigh >>> bits;
      keptHigh = 0;
    } else {
      extra = (keptLow << (32 - shift)) >>> 0;
      keptLow = ((keptHigh << (32 - shift)) | (keptLow >>> shift)) >>> 0;
      keptHigh = keptHigh >>> shift;
    }
    if (extra !== 0) {
      this.inexact = true;
      let increment = false;
      switch (rounding) {
        case Rounding.Nearest: increment = extra > 0x80000000 || (extra === 0x80000000 && (keptLow & 1) === 1); break;
        case Rounding.Down: increment = sign === 1; break;
        case Rounding.Up: increment = sign === 0; break;
        default: break;
      }
      if (increment) {
        this.roundedUp = true;
        keptLow = (keptLow + 1) >>> 0;
        if (keptLow === 0) keptHigh = (keptHigh + 1) >>> 0;
      }
    }
    this.high = keptHigh; this.low = keptLow;
    return true;
  }
}
