/**
 * bsf and bsr (Intel SDM 2 "BSF", "BSR"): the index of the lowest or highest set
 * bit. A zero source sets ZF and leaves the destination unchanged: the SDM calls
 * the destination undefined, but Intel and AMD hardware keep it and Linux code
 * relies on that. CF, OF, SF, AF, PF are SDM-undefined (UNDEFINED_FLAGS.bitScan).
 * Convention (index.ts): the new destination is returned, EFLAGS in aluOut.flags.
 */
import { aluOut } from './alu-out.js';
import { ARITH_FLAGS, type OperandSize, parityFlag, PF, sizeMask, ZF } from './flags.js';

/** bsf: index of the lowest set bit of source, or destination when source is 0. */
export function bsf(size: 16 | 32, destination: number, source: number, flags: number): number {
  source = (source & sizeMask(size as OperandSize)) >>> 0;
  if (source === 0) {
    aluOut.flags = bitScanFlags(flags, 0, true);
    return (destination & sizeMask(size as OperandSize)) >>> 0;
  }
  const index = 31 - Math.clz32(source & -source);
  aluOut.flags = bitScanFlags(flags, index, false);
  return index;
}

/** bsr: index of the highest set bit of source, or destination when source is 0. */
export function bsr(size: 16 | 32, destination: number, source: number, flags: number): number {
  source = (source & sizeMask(size as OperandSize)) >>> 0;
  if (source === 0) {
    aluOut.flags = bitScanFlags(flags, 0, true);
    return (destination & sizeMask(size as OperandSize)) >>> 0;
  }
  const index = 31 - Math.clz32(source);
  aluOut.flags = bitScanFlags(flags, index, false);
  return index;
}

/**
 * ZF from the source; the undefined flags as the host (AMD Zen) sets them: CF, OF,
 * SF, AF cleared, PF the parity of the bit index (set for a zero source).
 */
function bitScanFlags(flags: number, index: number, zero: boolean): number {
  return (flags & ~ARITH_FLAGS) | (zero ? ZF | PF : parityFlag(index));
}
