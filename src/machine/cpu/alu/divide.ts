/**
 * div and idiv (Intel SDM 2 "DIV", "IDIV"). The dividend is high:low (AH:AL for
 * 8-bit, DX:AX, EDX:EAX); the quotient is returned and the remainder goes to
 * aluOut.high. A zero divisor or a quotient that does not fit the operand size
 * returns DIVIDE_ERROR, which the caller turns into #DE. All six status flags
 * are SDM-undefined (UNDEFINED_FLAGS.divide); aluOut.flags gets what the host does.
 */
import { aluOut, DIVIDE_ERROR } from './alu-out.js';
import { AF, type OperandSize, PF, SF, sizeMask, ZF } from './flags.js';

/**
 * Unsigned (high * 2^size + low) / divisor with high < divisor, so the quotient
 * fits in `size` bits. The 32-bit case is long division in 16-bit digits to stay
 * exact in doubles. Remainder in aluOut.high.
 */
function divideUnsigned(size: OperandSize, low: number, high: number, divisor: number): number {
  if (size !== 32) {
    const dividend = high * (1 << size) + low;
    const quotient = Math.floor(dividend / divisor);
    aluOut.high = dividend - quotient * divisor;
    return quotient;
  }
  const upper = high * 0x10000 + (low >>> 16);
  const quotientUpper = Math.floor(upper / divisor);
  const lower = (upper - quotientUpper * divisor) * 0x10000 + (low & 0xffff);
  const quotientLower = Math.floor(lower / divisor);
  aluOut.high = lower - quotientLower * divisor;
  return quotientUpper * 0x10000 + quotientLower;
}

/** div: unsigned. #DE when divisor = 0 or high >= divisor (the quotient would not fit). */
export function div(size: OperandSize, low: number, high: number, divisor: number, flags: number): number {
  const mask = sizeMask(size);
  low = (low & mask) >>> 0;
  high = (high & mask) >>> 0;
  divisor = (divisor & mask) >>> 0;
  if (divisor === 0 || high >= divisor) return DIVIDE_ERROR;
  const quotient = divideUnsigned(size, low, high, divisor);
  aluOut.flags = divideFlags(flags);
  return quotient;
}

/**
 * idiv: signed, quotient rounded towards zero, remainder with the dividend's
 * sign. #DE when divisor = 0 or the quotient is outside [-2^(size-1), 2^(size-1)-1]
 * (so INT_MIN / -1 faults).
 */
export function idiv(size: OperandSize, low: number, high: number, divisor: number, flags: number): number {
  const mask = sizeMask(size);
  low = (low & mask) >>> 0;
  high = (high & mask) >>> 0;
  divisor = (divisor & mask) >>> 0;
  if (divisor === 0) return DIVIDE_ERROR;
  const sign = size === 32 ? 0x80000000 : 1 << (size - 1);
  const dividendNegative = high >= sign;
  const divisorNegative = divisor >= sign;
  // Magnitudes: negate the double-width dividend (two's complement over high:low).
  if (dividendNegative) {
    low = (-low & mask) >>> 0;
    high = ((~high + (low === 0 ? 1 : 0)) & mask) >>> 0;
  }
  if (divisorNegative) divisor = (-divisor & mask) >>> 0;
  if (high >= divisor) return DIVIDE_ERROR;
  let quotient = divideUnsigned(size, low, high, divisor);
  let remainder = aluOut.high;
  const quotientNegative = dividendNegative !== divisorNegative;
  if (quotientNegative ? quotient > sign : quotient >= sign) return DIVIDE_ERROR;
  if (quotientNegative) quotient = (-quotient & mask) >>> 0;
  if (dividendNegative) remainder = (-remainder & mask) >>> 0;
  aluOut.high = remainder;
  aluOut.flags = divideFlags(flags);
  return quotient;
}

/** Flags after div/idiv: all SDM-undefined; the host (AMD Zen) keeps CF and OF, clears SF, ZF, PF and sets AF. */
function divideFlags(flags: number): number {
  return (flags & ~(SF | ZF | PF)) | AF;
}
