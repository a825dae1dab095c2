/**
 * mul and imul (Intel SDM 2 "MUL", "IMUL"). The one-operand forms produce a
 * double-width product: low half returned (AL, AX, EAX), high half in
 * aluOut.high (AH, DX, EDX). The two- and three-operand imul forms keep the
 * truncated product. CF = OF = "the high half is significant"; SF, ZF, AF and PF
 * are SDM-undefined (UNDEFINED_FLAGS.multiply): the host (AMD Zen) leaves them
 * unchanged, and so does ir0.
 */
import { aluOut } from './alu-out.js';
import { CF, OF, type OperandSize, sizeMask } from './flags.js';

/** High 32 bits of the unsigned 64-bit product a * b (a, b u32), exact in doubles. */
export function multiplyHighUnsigned(a: number, b: number): number {
  const product = a * b;
  // Fast path: the product is exact in a double below 2^53.
  if (product <= Number.MAX_SAFE_INTEGER) return Math.floor(product / 0x100000000) >>> 0;
  const aLow = a & 0xffff, aHigh = a >>> 16, bLow = b & 0xffff, bHigh = b >>> 16;
  const lowLow = aLow * bLow;
  const middle1 = aHigh * bLow + Math.floor(lowLow / 0x10000);
  const middle2 = aLow * bHigh + (middle1 % 0x10000);
  return (aHigh * bHigh + Math.floor(middle1 / 0x10000) + Math.floor(middle2 / 0x10000)) >>> 0;
}

/** High 32 bits of the signed 64-bit product a * b (a, b taken as i32). */
export function multiplyHighSigned(a: number, b: number): number {
  const product = (a | 0) * (b | 0);
  // Fast path: exact below 2^53 in magnitude; floor(p / 2^32) is the two's-complement high word.
  if (Math.abs(product) <= Number.MAX_SAFE_INTEGER) return Math.floor(product / 0x100000000) >>> 0;
  // mulhs(a, b) = mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)   (mod 2^32)
  let high = multiplyHighUnsigned(a >>> 0, b >>> 0);
  if ((a | 0) < 0) high -= b >>> 0;
  if ((b | 0) < 0) high -= a >>> 0;
  return high >>> 0;
}

/** Flags after a multiply: CF = OF = `significant`; SF/ZF/AF/PF unchanged, as on the host (AMD Zen). */
function multiplyFlags(flags: number, significant: boolean): number {
  return (flags & ~(CF | OF)) | (significant ? CF | OF : 0);
}

/** mul: unsigned accumulator * source; CF = OF = (high half != 0). */
export function mul(size: OperandSize, accumulator: number, source: number, flags: number): number {
  const mask = sizeMask(size);
  accumulator = (accumulator & mask) >>> 0;
  source = (source & mask) >>> 0;
  let low: number, high: number;
  if (size === 32) {
    low = Math.imul(accumulator, source) >>> 0;
    high = multiplyHighUnsigned(accumulator, source);
  } else {
    const product = accumulator * source;
    low = product & mask;
    high = product >>> size;
  }
  aluOut.high = high;
  aluOut.flags = multiplyFlags(flags, high !== 0);
  return low;
}

/** Sign-extends an operand of `size` bits to i32. */
function signed(value: number, size: OperandSize): number {
  return (value << (32 - size)) >> (32 - size);
}

/** One-operand imul: signed accumulator * source; CF = OF = (high half is not the sign extension of low). */
export function imul(size: OperandSize, accumulator: number, source: number, flags: number): number {
  const mask = sizeMask(size);
  let low: number, high: number;
  if (size === 32) {
    low = Math.imul(accumulator, source) >>> 0;
    high = multiplyHighSigned(accumulator, source);
  } else {
    const product = signed(accumulator, size) * signed(source, size);
    low = product & mask;
    high = (product >> size) & mask;
  }
  aluOut.high = high;
  const extension = (low & (1 << (size - 1))) !== 0 ? mask : 0;
  aluOut.flags = multiplyFlags(flags, high !== (extension >>> 0));
  return low;
}

/**
 * Two- and three-operand imul (0F AF, 69, 6B): the product truncated to 16 or 32
 * bits; CF = OF = (the full signed product differs from the truncated one).
 */
export function imulTruncated(size: 16 | 32, a: number, b: number, flags: number): number {
  let result: number;
  let significant: boolean;
  if (size === 32) {
    result = Math.imul(a, b) >>> 0;
    const high = multiplyHighSigned(a, b);
    significant = high !== ((result & 0x80000000) !== 0 ? 0xffffffff : 0);
  } else {
    const product = signed(a, 16) * signed(b, 16);
    result = product & 0xffff;
    significant = product !== signed(result, 16);
  }
  aluOut.flags = multiplyFlags(flags, significant);
  return result;
}
