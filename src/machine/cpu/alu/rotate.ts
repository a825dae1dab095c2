/**
 * rol, ror, rcl, rcr with exact flags (Intel SDM 2 "RCL/RCR/ROL/ROR"). The count
 * is masked to 5 bits; rol/ror then rotate by count mod size, rcl/rcr by count
 * mod 9 (8-bit) or mod 17 (16-bit) because CF is part of the rotated value. Only
 * CF and OF change, and only when the masked count is nonzero; OF is defined for
 * a masked count of 1 (UNDEFINED_FLAGS.rotateMulti otherwise).
 * Convention (index.ts): result returned, new EFLAGS in aluOut.flags.
 */
import { aluOut } from './alu-out.js';
import { CF, OF, type OperandSize, signBit, sizeMask } from './flags.js';

/**
 * rol: CF = LSB(result); OF = MSB(result) XOR CF, which the host also gives for
 * counts > 1 (SDM: undefined).
 */
export function rol(size: OperandSize, value: number, count: number, flags: number): number {
  count &= 0x1f;
  if (count === 0) {
    aluOut.flags = flags;
    return (value & sizeMask(size)) >>> 0;
  }
  const mask = sizeMask(size);
  value &= mask;
  const rotation = count % size;
  const result = rotation === 0 ? value >>> 0 : (((value << rotation) | (value >>> (size - rotation))) & mask) >>> 0;
  const carry = result & 1;
  const overflow = ((result & signBit(size)) !== 0) !== (carry === 1);
  aluOut.flags = (flags & ~(CF | OF)) | carry | (overflow ? OF : 0);
  return result;
}

/**
 * ror: CF = MSB(result); OF = MSB(result) XOR MSB-1(result), which the host also
 * gives for counts > 1 (SDM: undefined).
 */
export function ror(size: OperandSize, value: number, count: number, flags: number): number {
  count &= 0x1f;
  if (count === 0) {
    aluOut.flags = flags;
    return (value & sizeMask(size)) >>> 0;
  }
  const mask = sizeMask(size);
  value &= mask;
  const rotation = count % size;
  const result = rotation === 0 ? value >>> 0 : (((value >>> rotation) | (value << (size - rotation))) & mask) >>> 0;
  const top = result >>> (size - 1);
  const next = (result >>> (size - 2)) & 1;
  aluOut.flags = (flags & ~(CF | OF)) | top | (top !== next ? OF : 0);
  return result;
}

/**
 * rcl: rotates the size+1-bit value CF:value left. OF = MSB(result) XOR new CF
 * (SDM defines it for count 1; the host computes it the same way for all counts).
 */
export function rcl(size: OperandSize, value: number, count: number, flags: number): number {
  count &= 0x1f;
  if (count === 0) {
    aluOut.flags = flags;
    return (value & sizeMask(size)) >>> 0;
  }
  const mask = sizeMask(size);
  value = (value & mask) >>> 0;
  const rotation = count % (size + 1);
  let result = value;
  let carry = flags & CF;
  if (rotation !== 0) {
    // Bits moving out of the top go through CF: bit (size - rotation) of value lands in CF.
    const high = rotation === 1 ? 0 : value >>> (size + 1 - rotation);
    result = ((value << rotation) | (carry << (rotation - 1)) | high) & mask;
    result >>>= 0;
    carry = (value >>> (size - rotation)) & 1;
  }
  const overflow = ((result & signBit(size)) !== 0) !== (carry === 1);
  aluOut.flags = (flags & ~(CF | OF)) | carry | (overflow ? OF : 0);
  return result;
}

/**
 * rcr: rotates CF:value right. OF (count 1) = MSB(original) XOR original CF; the
 * host gives MSB(result) XOR MSB-1(result) for every count, which equals it at 1.
 */
export function rcr(size: OperandSize, value: number, count: number, flags: number): number {
  count &= 0x1f;
  if (count === 0) {
    aluOut.flags = flags;
    return (value & sizeMask(size)) >>> 0;
  }
  const mask = sizeMask(size);
  value = (value & mask) >>> 0;
  const rotation = count % (size + 1);
  let result = value;
  let carry = flags & CF;
  if (rotation !== 0) {
    const low = rotation === 1 ? 0 : value << (size + 1 - rotation);
    result = ((value >>> rotation) | (carry << (size - rotation)) | low) & mask;
    result >>>= 0;
    carry = (value >>> (rotation - 1)) & 1;
  }
  const top = result >>> (size - 1);
  const next = (result >>> (size - 2)) & 1;
  aluOut.flags = (flags & ~(CF | OF)) | carry | (top !== next ? OF : 0);
  return result;
}
