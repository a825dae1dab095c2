/**
 * shld and shrd (Intel SDM 2 "SHLD", "SHRD"): shift the destination, filling the
 * vacated bits from the source. The count is masked to 5 bits; 0 changes nothing.
 * A 16-bit count above 16 leaves result and flags SDM-undefined; these functions
 * then reproduce the reference host, AMD Zen (UNDEFINED_FLAGS.doubleShiftOversize).
 * Convention (index.ts): destination returned, new EFLAGS in aluOut.flags.
 */
import { aluOut } from './alu-out.js';
import { AF, ARITH_FLAGS, OF, type OperandSize, signZeroParity, sizeMask } from './flags.js';

/**
 * shld: CF = last bit shifted out of the destination; OF (count 1) = sign change,
 * MSB(result) XOR CF, which the host applies to every count; SF/ZF/PF from the
 * result; AF undefined (host: set).
 */
export function shld(size: 16 | 32, destination: number, source: number, count: number, flags: number): number {
  count &= 0x1f;
  if (count === 0) {
    aluOut.flags = flags;
    return (destination & sizeMask(size)) >>> 0;
  }
  const mask = sizeMask(size);
  destination = (destination & mask) >>> 0;
  source = (source & mask) >>> 0;
  let result: number;
  let carry: number;
  if (count <= size) {
    result = (((destination << count) | (source >>> (size - count))) & mask) >>> 0;
    carry = (destination >>> (size - count)) & 1;
  } else {
    // 16-bit count 17..31 (SDM-undefined): the host (AMD Zen) gives source rotated
    // left by count - 16, i.e. a shift of source:source, with CF = OF = 0.
    const extra = count - 16;
    result = (((source << extra) | (source >>> (16 - extra))) & 0xffff) >>> 0;
    aluOut.flags = (flags & ~ARITH_FLAGS) | AF | signZeroParity(result, size);
    return result;
  }
  // The host takes MSB(destination << count), which is MSB(result) except at a
  // 16-bit count of 16, where it is 0 and OF = CF.
  const overflow = (((destination << count) >>> (size - 1)) & 1) !== carry;
  aluOut.flags = (flags & ~ARITH_FLAGS) | carry | (overflow ? OF : 0) | AF | signZeroParity(result, size);
  return result;
}

/**
 * shrd: CF = last bit shifted out of the destination; OF (count 1) = sign change,
 * which is MSB(result) XOR MSB-1(result): the host's rule for every count;
 * SF/ZF/PF from the result; AF undefined (host: set).
 */
export function shrd(size: 16 | 32, destination: number, source: number, count: number, flags: number): number {
  count &= 0x1f;
  if (count === 0) {
    aluOut.flags = flags;
    return (destination & sizeMask(size)) >>> 0;
  }
  const mask = sizeMask(size);
  destination = (destination & mask) >>> 0;
  source = (source & mask) >>> 0;
  let result: number;
  let carry: number;
  if (count <= size) {
    result = (((destination >>> count) | (source << (size - count))) & mask) >>> 0;
    carry = (destination >>> (count - 1)) & 1;
  } else {
    // 16-bit count 17..31 (SDM-undefined): the host (AMD Zen) gives source rotated
    // right by count - 16, CF = 0 and OF by the usual rule.
    const extra = count - 16;
    result = (((source >>> extra) | (source << (16 - extra))) & 0xffff) >>> 0;
    carry = 0;
  }
  aluOut.flags = (flags & ~ARITH_FLAGS) | carry | rightShiftOverflow(result, size) | AF | signZeroParity(result, size);
  return result;
}

/** OF after a right shift: MSB(result) XOR MSB-1(result), the sign change at count 1. */
function rightShiftOverflow(result: number, size: OperandSize): number {
  return (result >>> (size - 1)) !== ((result >>> (size - 2)) & 1) ? OF : 0;
}
