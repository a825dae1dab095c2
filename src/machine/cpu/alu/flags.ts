/**
 * EFLAGS arithmetic bits and the helpers every ALU function shares: operand-size
 * masks, the parity table and the SF/ZF/PF computation. Intel SDM 1 §3.4.3.1.
 */

export const CF = 0x001;
export const PF = 0x004;
export const AF = 0x010;
export const ZF = 0x040;
export const SF = 0x080;
export const OF = 0x800;
/** The six status flags an arithmetic instruction can write. */
export const ARITH_FLAGS = CF | PF | AF | ZF | SF | OF;

export type OperandSize = 8 | 16 | 32;

/** All-ones mask of an operand size: 0xff, 0xffff, 0xffffffff. */
export function sizeMask(size: OperandSize): number {
  return size === 32 ? 0xffffffff : (1 << size) - 1;
}

/** The sign bit of an operand size: 0x80, 0x8000, 0x80000000. */
export function signBit(size: OperandSize): number {
  return size === 32 ? 0x80000000 : 1 << (size - 1);
}

/** PF is set when the low byte of the result has an even number of 1 bits (SDM 1 §3.4.3.1). */
const parityTable = new Uint8Array(256);
for (let value = 0; value < 256; value++) {
  let bits = 0;
  for (let bit = 0; bit < 8; bit++) bits += (value >> bit) & 1;
  parityTable[value] = bits % 2 === 0 ? PF : 0;
}

/** PF of a result (its low byte). */
export function parityFlag(result: number): number {
  return parityTable[result & 0xff];
}

/** SF, ZF and PF of a result already reduced to the operand size. */
export function signZeroParity(result: number, size: OperandSize): number {
  return (result === 0 ? ZF : 0) | ((result & signBit(size)) !== 0 ? SF : 0) | parityTable[result & 0xff];
}
