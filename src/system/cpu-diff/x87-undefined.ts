/**
 * The x87 condition codes (C0..C3 of the status word) the Intel SDM leaves
 * undefined after each instruction ("FPU Flags Affected" in SDM vol. 2 for
 * each mnemonic). The opcode table's flagsUndefined covers EFLAGS only, so the
 * differential comparison masks these from the status word here.
 */
import type { OpcodeForm } from '../../machine/cpu/opcode-form.js';

export const C0 = 0x0100, C1 = 0x0200, C2 = 0x0400, C3 = 0x4000;

/** "C0, C1, C2, C3 undefined": control and environment stores, ffree, fnop, fnclex. */
const ALL_UNDEFINED = /^(ffreep?|fnop|fldcw|fn?stcw|fn?stsw|fn?stenv|fn?clex|fneni|fndisi|fnsetpm)$/;
/** "C0, C3 undefined" (C2 reports an out-of-range operand). */
const C0_C3_UNDEFINED = /^(fsin|fcos|fsincos|fptan)$/;
/** Defined by the instruction (comparisons, classification, partial remainders, whole-state loads). */
const ALL_DEFINED = /^(fu?comp{0,2}[0-9]?|fu?comip?|fucompp|ficomp?|ftst|fxam|fprem1?|fn?init|fn?save|frstor|fldenv|fwait)$/;

/** Status-word bits to ignore when comparing after `form`. */
export function x87UndefinedStatus(form: OpcodeForm): number {
  const mnemonic = form.mnemonic;
  if (ALL_UNDEFINED.test(mnemonic)) return C0 | C1 | C2 | C3;
  if (C0_C3_UNDEFINED.test(mnemonic)) return C0 | C3;
  if (ALL_DEFINED.test(mnemonic)) return 0;
  // Loads, stores, arithmetic, constants, fxch, fcmovcc, fincstp/fdecstp, f2xm1, fyl2x...: "C0, C2, C3 undefined".
  return C0 | C2 | C3;
}
