/**
 * Reference flag computation for add, adc, sub, sbb, and, or, xor, inc, dec and
 * neg (Intel SDM 2 "ADD" ... "NEG"): the ground truth for the interpreter's lazy
 * flags. Convention (index.ts): operands are unsigned values of `size` bits, the
 * result is returned and the new EFLAGS go to aluOut.flags.
 */
import { aluOut } from './alu-out.js';
import { AF, ARITH_FLAGS, CF, OF, type OperandSize, signBit, signZeroParity, sizeMask } from './flags.js';

/** Flags of `a + b + carry` = result (all reduced to size); carry out of the top in `carryOut`. */
function addFlags(a: number, b: number, result: number, carryOut: boolean, size: OperandSize): number {
  return (carryOut ? CF : 0) | ((a ^ b ^ result) & AF) | ((a ^ result) & (b ^ result) & signBit(size) ? OF : 0) |
    signZeroParity(result, size);
}

/** Flags of `a - b - borrow` = result; borrow out of the top in `borrowOut`. */
function subtractFlags(a: number, b: number, result: number, borrowOut: boolean, size: OperandSize): number {
  return (borrowOut ? CF : 0) | ((a ^ b ^ result) & AF) | ((a ^ b) & (a ^ result) & signBit(size) ? OF : 0) |
    signZeroParity(result, size);
}

/** add: all six flags defined. */
export function add(size: OperandSize, a: number, b: number, flags: number): number {
  const mask = sizeMask(size);
  a = (a & mask) >>> 0; b = (b & mask) >>> 0;
  const sum = a + b;
  const result = (sum & mask) >>> 0;
  aluOut.flags = (flags & ~ARITH_FLAGS) | addFlags(a, b, result, sum > mask, size);
  return result;
}

/** adc: add with the input CF; all six flags defined. */
export function adc(size: OperandSize, a: number, b: number, flags: number): number {
  const mask = sizeMask(size);
  a = (a & mask) >>> 0; b = (b & mask) >>> 0;
  const sum = a + b + (flags & CF);
  const result = (sum & mask) >>> 0;
  aluOut.flags = (flags & ~ARITH_FLAGS) | addFlags(a, b, result, sum > mask, size);
  return result;
}

/** sub (and cmp, which discards the result): all six flags defined. */
export function sub(size: OperandSize, a: number, b: number, flags: number): number {
  const mask = sizeMask(size);
  a = (a & mask) >>> 0; b = (b & mask) >>> 0;
  const result = ((a - b) & mask) >>> 0;
  aluOut.flags = (flags & ~ARITH_FLAGS) | subtractFlags(a, b, result, a < b, size);
  return result;
}

/** sbb: subtract with the input CF as borrow; all six flags defined. */
export function sbb(size: OperandSize, a: number, b: number, flags: number): number {
  const mask = sizeMask(size);
  a = (a & mask) >>> 0; b = (b & mask) >>> 0;
  const borrow = flags & CF;
  const result = ((a - b - borrow) & mask) >>> 0;
  aluOut.flags = (flags & ~ARITH_FLAGS) | subtractFlags(a, b, result, a < b + borrow, size);
  return result;
}

/** Flags of and/or/xor/test: CF = OF = 0; AF undefined (SDM), and 0 on the reference host. */
function logicFlags(result: number, flags: number, size: OperandSize): number {
  return (flags & ~ARITH_FLAGS) | signZeroParity(result, size);
}

/** and (and test): AF undefined. */
export function and(size: OperandSize, a: number, b: number, flags: number): number {
  const result = (a & b & sizeMask(size)) >>> 0;
  aluOut.flags = logicFlags(result, flags, size);
  return result;
}

/** or: AF undefined. */
export function or(size: OperandSize, a: number, b: number, flags: number): number {
  const result = ((a | b) & sizeMask(size)) >>> 0;
  aluOut.flags = logicFlags(result, flags, size);
  return result;
}

/** xor: AF undefined. */
export function xor(size: OperandSize, a: number, b: number, flags: number): number {
  const result = ((a ^ b) & sizeMask(size)) >>> 0;
  aluOut.flags = logicFlags(result, flags, size);
  return result;
}

/** inc: like add 1 but CF is preserved. */
export function inc(size: OperandSize, a: number, flags: number): number {
  const mask = sizeMask(size);
  a = (a & mask) >>> 0;
  const result = ((a + 1) & mask) >>> 0;
  aluOut.flags = (flags & ~(ARITH_FLAGS & ~CF)) | (addFlags(a, 1, result, false, size) & ~CF);
  return result;
}

/** dec: like sub 1 but CF is preserved. */
export function dec(size: OperandSize, a: number, flags: number): number {
  const mask = sizeMask(size);
  a = (a & mask) >>> 0;
  const result = ((a - 1) & mask) >>> 0;
  aluOut.flags = (flags & ~(ARITH_FLAGS & ~CF)) | (subtractFlags(a, 1, result, false, size) & ~CF);
  return result;
}

/** neg: 0 - a; CF = (a != 0). */
export function neg(size: OperandSize, a: number, flags: number): number {
  const mask = sizeMask(size);
  a = (a & mask) >>> 0;
  const result = (-a & mask) >>> 0;
  aluOut.flags = (flags & ~ARITH_FLAGS) | subtractFlags(0, a, result, a !== 0, size);
  return result;
}
