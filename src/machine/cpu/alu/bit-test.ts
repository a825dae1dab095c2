/**
 * bt, bts, btr, btc (Intel SDM 2 "BT", "BTS", "BTR", "BTC"). CF gets the selected
 * bit, then bts sets, btr clears and btc complements it. ZF is unchanged; OF, SF,
 * AF and PF are SDM-undefined (UNDEFINED_FLAGS.bitTest); the host (AMD Zen) keeps
 * them, and so does ir0.
 *
 * Register destination, or any immediate bit offset: the bit index is the offset
 * mod the operand size. Memory destination with a register offset: the offset
 * is a signed bit string index, so the operand moves by whole operands
 * (bitTestMemoryDelta) and the index within it is offset mod size.
 */
import { aluOut } from './alu-out.js';
import { CF, type OperandSize, sizeMask } from './flags.js';

/** The four operations on the selected bit. */
export enum BitTestOperation { Test = 0, Set = 1, Reset = 2, Complement = 3 }

/**
 * Byte displacement of the memory operand of bt* m16/m32, r16/r32: the register
 * offset taken as signed (i16 for 16-bit) divided by the operand size, rounded
 * down, times the operand's byte count. Add it to the effective address.
 */
export function bitTestMemoryDelta(size: 16 | 32, offset: number): number {
  if (size === 32) return ((offset | 0) >> 5) * 4;
  return (((offset << 16) >> 16) >> 4) * 2;
}

/** Applies `operation` to bit (offset mod size) of value; CF gets the old bit. */
export function bitTest(operation: BitTestOperation, size: OperandSize, value: number, offset: number, flags: number): number {
  const bit = 1 << (offset & (size - 1));
  value = (value & sizeMask(size)) >>> 0;
  aluOut.flags = (flags & ~CF) | ((value & bit) !== 0 ? CF : 0);
  switch (operation) {
    case BitTestOperation.Test: return value;
    case BitTestOperation.Set: return (value | bit) >>> 0;
    case BitTestOperation.Reset: return (value & ~bit) >>> 0;
    case BitTestOperation.Complement: return (value ^ bit) >>> 0;
  }
}

/** bt: returns value unchanged, CF = the bit. */
export function bt(size: OperandSize, value: number, offset: number, flags: number): number {
  return bitTest(BitTestOperation.Test, size, value, offset, flags);
}

/** bts: sets the bit. */
export function bts(size: OperandSize, value: number, offset: number, flags: number): number {
  return bitTest(BitTestOperation.Set, size, value, offset, flags);
}

/** btr: clears the bit. */
export function btr(size: OperandSize, value: number, offset: number, flags: number): number {
  return bitTest(BitTestOperation.Reset, size, value, offset, flags);
}

/** btc: complements the bit. */
export function btc(size: OperandSize, value: number, offset: number, flags: number): number {
  return bitTest(BitTestOperation.Complement, size, value, offset, flags);
}
