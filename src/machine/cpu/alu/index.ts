/**
 * ir0's ALU: exact EFLAGS semantics of the i686's integer instructions, as pure,
 * allocation-free functions proven against the real CPU (alu.test.ts).
 *
 * Convention, uniform across the folder:
 *  - operands and results are unsigned numbers of the operand size (u8, u16,
 *    u32 via `>>> 0`); the size (8, 16, 32) comes first, EFLAGS last;
 *  - the function returns the main result and writes the complete new EFLAGS
 *    (the input with the written bits replaced) to `aluOut.flags`, and the high
 *    half of double-width results (mul/imul EDX, div/idiv remainder) to
 *    `aluOut.high`; read them right after the call;
 *  - a #DE (divide error) returns DIVIDE_ERROR (-1) instead of a result;
 *  - flags the SDM leaves undefined are listed in UNDEFINED_FLAGS; the functions
 *    set them as the reference host does wherever that is known (alu.test.ts).
 */
export { aluOut, DIVIDE_ERROR } from './alu-out.js';
export { AF, ARITH_FLAGS, CF, OF, PF, SF, ZF, type OperandSize, parityFlag, signBit, signZeroParity, sizeMask } from './flags.js';
export { adc, add, and, dec, inc, neg, or, sbb, sub, xor } from './arithmetic.js';
export { sar, shl, shr } from './shift.js';
export { rcl, rcr, rol, ror } from './rotate.js';
export { shld, shrd } from './double-shift.js';
export { imul, imulTruncated, mul, multiplyHighSigned, multiplyHighUnsigned } from './multiply.js';
export { div, idiv } from './divide.js';
export { aaa, aad, aam, aas, daa, das } from './bcd.js';
export { BitTestOperation, bitTest, bitTestMemoryDelta, bt, btc, btr, bts } from './bit-test.js';
export { bsf, bsr } from './bit-scan.js';
export { UNDEFINED_FLAGS, shiftUndefinedFlags } from './undefined-flags.js';
