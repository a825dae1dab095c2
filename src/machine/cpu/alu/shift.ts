/**
 * shl/sal, shr and sar with exact flags (Intel SDM 2 "SAL/SAR/SHL/SHR"). The
 * count is masked to 5 bits; a masked count of 0 changes nothing, flags included.
 * Otherwise CF is the last bit shifted out, SF/ZF/PF follow the result, OF is
 * defined only for a count of 1 and AF is undefined (UNDEFINED_FLAGS.shift*); the
 * reference host (AMD Zen) sets AF and computes OF by the count-1 rule for all counts.
 * Convention (index.ts): result returned, new EFLAGS in aluOut.flags.
 */
import { aluOut } from './alu-out.js';
import { AF, ARITH_FLAGS, OF, type OperandSize, signBit, signZeroParity, sizeMask } from './flags.js';

/**
 * shl/sal. OF (count 1) = MSB(result) XOR CF; the host computes it the same way
 * for every count. For 8/16-bit counts >= size CF is SDM-undefined and the host
 * gives the bit the shift would have produced (0 beyond size).
 */
export function shl(size: OperandSize, value: number, count: number, flags: number): number {
  count &= 0x1f;
  if (count === 0) {
    aluOut.flags = flags;
    return (value & sizeMask(size)) >>> 0;
  }
  const mask = sizeMask(size);
  value &= mask;
  const result = ((value << count) & mask) >>> 0;
  const carry = count <= size ? (value >>> (size - count)) & 1 : 0;
  const overflow = ((result & signBit(size)) !== 0) !== (carry === 1);
  aluOut.flags = (flags & ~ARITH_FLAGS) | carry | (overflow ? OF : 0) | signZeroParity(result, size) | AF;
  return result;
}

/**
 * shr. OF (count 1) = MSB of the original operand, which is MSB(result) XOR
 * MSB-1(result): the host's rule for every count. CF for counts >= size as for shl.
 */
export function shr(size: OperandSize, value: number, count: number, flags: number): number {
  count &= 0x1f;
  if (count === 0) {
    aluOut.flags = flags;
    return (value & sizeMask(size)) >>> 0;
  }
  value = (value & sizeMask(size)) >>> 0;
  const result = value >>> count;
  const carry = (value >>> (count - 1)) & 1;
  const overflow = (result >>> (size - 1)) !== ((result >>> (size - 2)) & 1);
  aluOut.flags = (flags & ~ARITH_FLAGS) | carry | (overflow ? OF : 0) | signZeroParity(result, size) | AF;
  return result;
}

/** sar. OF = 0 (count 1; the host too for every count); counts >= size fill the operand and CF with the sign bit. */
export function sar(size: OperandSize, value: number, count: number, flags: number): number {
  count &= 0x1f;
  if (count === 0) {
    aluOut.flags = flags;
    return (value & sizeMask(size)) >>> 0;
  }
  const signed = (value << (32 - size)) >> (32 - size);
  const result = ((signed >> count) & sizeMask(size)) >>> 0;
  const carry = (signed >> (count - 1)) & 1;
  aluOut.flags = (flags & ~ARITH_FLAGS) | carry | signZeroParity(result, size) | AF;
  return result;
}
