/**
 * Conversions between the memory formats the x87 loads and stores (single and
 * double real, 16/32/64-bit integers, 18-digit packed BCD) and the 80-bit
 * register format (Intel SDM 1 §4.2, §4.7, §8.2). Loads are exact; they leave
 * the value in `signExponent`/`high`/`low` and say whether the source was a
 * denormal (the instruction raises #D) or a signaling NaN (the NaN is kept
 * signaling here so arithmetic can apply the NaN rules; fld quiets it).
 */

export class MemoryFormats {
  signExponent = 0;
  high = 0;
  low = 0;
  /** The source was a single/double denormal (#D for the instruction). */
  denormal = false;

  loadFloat32(bits: number): void {
    bits >>>= 0;
    const sign = bits >>> 31;
    const exponent = (bits >>> 23) & 0xff;
    const fraction = bits & 0x7fffff;
    this.denormal = false;
    if (exponent === 0xff) {
      this.signExponent = (sign << 15) | 0x7fff;
      this.high = (0x80000000 | (fraction << 8)) >>> 0;
      this.low = 0;
    } else if (exponent === 0) {
      if (fraction === 0) {
        this.signExponent = sign << 15; this.high = 0; this.low = 0;
        return;
      }
      this.denormal = true;
      const shift = Math.clz32(fraction) - 0; // fraction < 2^23: leading zeros >= 9
      this.high = (fraction << shift) >>> 0;
      this.low = 0;
      // value = fraction × 2^-149 = (fraction << shift) × 2^(-149 - shift); register value = high × 2^(e - bias - 31)
      this.signExponent = (sign << 15) | (16383 - 149 - shift + 31);
    } else {
      this.signExponent = (sign << 15) | (exponent - 127 + 16383);
      this.high = (0x80000000 | (fraction << 8)) >>> 0;
      this.low = 0;
    }
  }

  loadFloat64(lowBits: number, highBits: number): void {
    lowBits >>>= 0; highBits >>>= 0;
    const sign = highBits >>> 31;
    const exponent = (highBits >>> 20) & 0x7ff;
    const fractionHigh = highBits & 0xfffff;
    this.denormal = false;
    if (exponent === 0x7ff) {
      this.signExponent = (sign << 15) | 0x7fff;
      this.high = (0x80000000 | (fractionHigh << 11) | (lowBits >>> 21)) >>> 0;
      this.low = (lowBits << 11) >>> 0;
    } else if (exponent === 0) {
      if (fractionHigh === 0 && lowBits === 0) {
        this.signExponent = sign << 15; this.high = 0; this.low = 0;
        return;
      }
      this.denormal = true;
      // value = fraction × 2^-1074 with fraction = fractionHigh:lowBits (52 bits).
      let high = fractionHigh, low = lowBits >>> 0;
      let shift = 0;
      if (high === 0) { high = low; low = 0; shift = 32; }
      const leading = Math.clz32(high);
      if (leading > 0) {
        high = ((high << leading) | (low >>> (32 - leading))) >>> 0;
        low = (low << leading) >>> 0;
      }
      shift += leading;
      this.high = high >>> 0; this.low = low;
      // The 64-bit significand now equals fraction << shift: value = sig × 2^(-1074 - shift).
      this.signExponent = (sign << 15) | (16383 - 1074 - shift + 63);
    } else {
      this.signExponent = (sign << 15) | (exponent - 1023 + 16383);
      this.high = (0x80000000 | (fractionHigh << 11) | (lowBits >>> 21)) >>> 0;
      this.low = (lowBits << 11) >>> 0;
    }
  }

  /** Loads sign × (high:low) as an exact 80-bit value. */
  loadInteger(sign: number, high: number, low: number): void {
    this.denormal = false;
    if (high === 0 && low === 0) {
      this.signExponent = sign << 15; this.high = 0; this.low = 0;
      return;
    }
    let exponent = 16383 + 63;
    if (high === 0) { high = low; low = 0; exponent -= 32; }
    const leading = Math.clz32(high);
    if (leading > 0) {
      high = ((high << leading) | (low >>> (32 - leading))) >>> 0;
      low = (low << leading) >>> 0;
    }
    this.signExponent = (sign << 15) | (exponent - leading);
    this.high = high >>> 0;
    this.low = low >>> 0;
  }

  /** Loads a two's complement integer given as high:low words. */
  loadSignedInteger(high: number, low: number): void {
    if ((high & 0x80000000) !== 0) {
      // Negate the 64-bit value.
      const negatedLow = (0 - low) >>> 0;
      const negatedHigh = (~high + (low === 0 ? 1 : 0)) >>> 0;
      this.loadInteger(1, negatedHigh, negatedLow);
    } else {
      this.loadInteger(0, high >>> 0, low >>> 0);
    }
  }

  /** Packed BCD (Intel SDM 1 §4.7): 18 digits in bytes 0..8, sign in bit 7 of byte 9. */
  loadBcd(bytes: Uint8Array): void {
    let high = 0, low = 0;
    for (let index = 8; index >= 0; index--) {
      const byte = bytes[index];
      for (const digit of [byte >> 4, byte & 15]) {
        const lowProduct = low * 10 + digit;
        low = lowProduct % 4294967296;
        high = (high * 10 + Math.floor(lowProduct / 4294967296)) % 4294967296;
      }
    }
    this.loadInteger(bytes[9] >> 7, high >>> 0, low >>> 0);
  }
}
