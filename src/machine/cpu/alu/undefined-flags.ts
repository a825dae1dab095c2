/**
 * The EFLAGS bits the Intel SDM (vol. 2, each instruction's "Flags Affected")
 * leaves undefined after an instruction, for the opcode table's flagsUndefined
 * and for masking differential comparisons. "Multi" = masked count > 1.
 * Whether ir0 matches the reference host on these bits anyway: see alu.test.ts.
 */
import { AF, ARITH_FLAGS, CF, OF, PF, SF, ZF } from './flags.js';

export const UNDEFINED_FLAGS = {
  /** and, or, xor, test: AF. */
  logic: AF,
  /** add, adc, sub, sbb, cmp, inc, dec, neg: none. */
  arithmetic: 0,
  /** shl/shr/sar, count 1: AF. */
  shiftSingle: AF,
  /** shl/shr/sar, masked count > 1: OF and AF. */
  shiftMulti: OF | AF,
  /**
   * shl/shr 8/16-bit with a masked count >= the operand size: CF too
   * (SDM: "CF is undefined ... where the count is greater than or equal to the size").
   */
  shiftOversize: CF | OF | AF,
  /** rol/ror/rcl/rcr, masked count 1: none (only CF and OF are written). */
  rotateSingle: 0,
  /** rol/ror/rcl/rcr, masked count > 1: OF. */
  rotateMulti: OF,
  /** shld/shrd, count 1: AF. */
  doubleShiftSingle: AF,
  /** shld/shrd, count > 1: OF and AF. */
  doubleShiftMulti: OF | AF,
  /** shld/shrd 16-bit with a count > 16: the result and every status flag. */
  doubleShiftOversize: ARITH_FLAGS,
  /** mul, imul (all forms): SF, ZF, AF, PF. */
  multiply: SF | ZF | AF | PF,
  /** div, idiv: all six status flags. */
  divide: ARITH_FLAGS,
  /** daa, das: OF. */
  daa: OF,
  das: OF,
  /** aaa, aas: OF, SF, ZF, PF. */
  aaa: OF | SF | ZF | PF,
  aas: OF | SF | ZF | PF,
  /** aam, aad: OF, AF, CF. */
  aam: OF | AF | CF,
  aad: OF | AF | CF,
  /** bt, bts, btr, btc: OF, SF, AF, PF (ZF is unchanged, CF defined). */
  bitTest: OF | SF | AF | PF,
  /** bsf, bsr: CF, OF, SF, AF, PF (and the destination when the source is 0). */
  bitScan: CF | OF | SF | AF | PF,
} as const;

/**
 * Undefined flags of a shift/rotate/double-shift given its count, for comparisons
 * that know the count (the opcode table can only use the "Multi" masks).
 * 'shift' is shl/shr; sar has no oversize rule.
 */
export function shiftUndefinedFlags(kind: 'shift' | 'sar' | 'rotate' | 'doubleShift', size: 8 | 16 | 32, count: number): number {
  count &= 0x1f;
  if (count === 0) return 0;
  switch (kind) {
    case 'rotate':
      return count === 1 ? UNDEFINED_FLAGS.rotateSingle : UNDEFINED_FLAGS.rotateMulti;
    case 'doubleShift':
      if (size === 16 && count > 16) return UNDEFINED_FLAGS.doubleShiftOversize;
      return count === 1 ? UNDEFINED_FLAGS.doubleShiftSingle : UNDEFINED_FLAGS.doubleShiftMulti;
    case 'shift':
      if (size !== 32 && count >= size) return UNDEFINED_FLAGS.shiftOversize;
      return count === 1 ? UNDEFINED_FLAGS.shiftSingle : UNDEFINED_FLAGS.shiftMulti;
    case 'sar':
      return count === 1 ? UNDEFINED_FLAGS.shiftSingle : UNDEFINED_FLAGS.shiftMulti;
  }
}
