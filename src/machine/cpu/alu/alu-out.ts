/**
 * The ALU's second return channel. Every ALU function returns its main result
 * and writes the new EFLAGS (and, for double-width results, the high half) here,
 * so that the hot path allocates nothing. Read the fields right after the call.
 */
export const aluOut = {
  /** The complete new EFLAGS: the input flags with the instruction's written bits replaced. */
  flags: 0,
  /** High half of a double-width result: mul/imul EDX (DX, AH), div/idiv remainder. */
  high: 0,
};

/**
 * Returned instead of a result when the instruction raises #DE (divide error):
 * div/idiv by zero or with a quotient that does not fit, aam with base 0. No
 * valid result is negative (results are unsigned), so `result < 0` tests for it.
 * aluOut is then unspecified.
 */
export const DIVIDE_ERROR = -1;
