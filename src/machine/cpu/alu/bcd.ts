/**
 * The BCD adjustments daa, das, aaa, aas, aam and aad (Intel SDM 2, each
 * instruction's Operation section). They work on AL (daa, das) or AX; the new
 * value is returned and the new EFLAGS go to aluOut.flags. aam with base 0
 * returns DIVIDE_ERROR (#DE).
 */
import { aluOut, DIVIDE_ERROR } from './alu-out.js';
import { AF, ARITH_FLAGS, CF, OF, SF, ZF, parityFlag } from './flags.js';

/** SF, ZF, PF of an 8-bit value. */
function byteFlags(value: number): number {
  return (value === 0 ? ZF : 0) | (value & 0x80 ? SF : 0) | parityFlag(value);
}

/** SF, ZF, PF of a 16-bit value (PF from its low byte). */
function wordFlags(value: number): number {
  return (value === 0 ? ZF : 0) | (value & 0x8000 ? SF : 0) | parityFlag(value);
}

/** daa on AL: CF, AF, SF, ZF, PF defined; OF undefined (UNDEFINED_FLAGS.daa), host: signed overflow of the adds. */
export function daa(al: number, flags: number): number {
  const oldAl = al & 0xff;
  const oldCarry = flags & CF;
  let result = oldAl;
  let newFlags = 0;
  if ((oldAl & 0x0f) > 9 || flags & AF) {
    result = (result + 6) & 0xff;
    newFlags |= AF;
  }
  if (oldAl > 0x99 || oldCarry) {
    result = (result + 0x60) & 0xff;
    newFlags |= CF;
  }
  aluOut.flags = (flags & ~ARITH_FLAGS) | newFlags | byteFlags(result) | ((~oldAl & result & 0x80) !== 0 ? OF : 0);
  return result;
}

/** das on AL: CF, AF, SF, ZF, PF defined; OF undefined (UNDEFINED_FLAGS.das), host: signed overflow of the subtractions. */
export function das(al: number, flags: number): number {
  const oldAl = al & 0xff;
  const oldCarry = flags & CF;
  let result = oldAl;
  let newFlags = 0;
  if ((oldAl & 0x0f) > 9 || flags & AF) {
    // CF <- old CF or the borrow of AL - 6.
    if (result < 6) newFlags |= CF;
    result = (result - 6) & 0xff;
    newFlags |= AF;
  }
  if (oldAl > 0x99 || oldCarry) {
    result = (result - 0x60) & 0xff;
    newFlags |= CF;
  }
  aluOut.flags = (flags & ~ARITH_FLAGS) | newFlags | byteFlags(result) | ((oldAl & ~result & 0x80) !== 0 ? OF : 0);
  return result;
}

/**
 * aaa on AX: AX += 0x106 when adjusting (modern SDM; AH can gain 2). AF, CF
 * defined; OF, SF, ZF, PF undefined (UNDEFINED_FLAGS.aaa): the host sets them
 * from the 16-bit sum AX + 0x106 (or AX + 0) before AL is masked.
 */
export function aaa(ax: number, flags: number): number {
  ax &= 0xffff;
  const adjust = (ax & 0x0f) > 9 || (flags & AF) !== 0;
  const sum = (ax + (adjust ? 0x106 : 0)) & 0xffff;
  const overflow = (~ax & sum & 0x8000) !== 0;
  aluOut.flags = (flags & ~ARITH_FLAGS) | (adjust ? AF | CF : 0) | wordFlags(sum) | (overflow ? OF : 0);
  return sum & 0xff0f;
}

/**
 * aas on AX: AX -= 6, AH -= 1 when adjusting, i.e. AX -= 0x106. AF, CF defined;
 * OF, SF, ZF, PF undefined (UNDEFINED_FLAGS.aas): the host sets them from the
 * 16-bit difference AX - 0x106 (or AX - 0) before AL is masked.
 */
export function aas(ax: number, flags: number): number {
  ax &= 0xffff;
  const adjust = (ax & 0x0f) > 9 || (flags & AF) !== 0;
  const difference = (ax - (adjust ? 0x106 : 0)) & 0xffff;
  const overflow = (ax & ~difference & 0x8000) !== 0;
  aluOut.flags = (flags & ~ARITH_FLAGS) | (adjust ? AF | CF : 0) | wordFlags(difference) | (overflow ? OF : 0);
  return difference & 0xff0f;
}

/** aam imm8 on AX: AH = AL / base, AL = AL % base; SF, ZF, PF defined; OF, AF, CF undefined (host: cleared). */
export function aam(ax: number, base: number, flags: number): number {
  base &= 0xff;
  if (base === 0) return DIVIDE_ERROR;
  const al = ax & 0xff;
  const quotient = Math.floor(al / base);
  const remainder = al - quotient * base;
  aluOut.flags = (flags & ~ARITH_FLAGS) | byteFlags(remainder);
  return (quotient << 8) | remainder;
}

/**
 * aad imm8 on AX: AL = AL + AH * base, AH = 0; SF, ZF, PF defined; OF, AF, CF
 * undefined: the host sets them as for the byte add AL + (AH * base & 0xff).
 */
export function aad(ax: number, base: number, flags: number): number {
  const al = ax & 0xff;
  const product = (((ax >>> 8) & 0xff) * (base & 0xff)) & 0xff;
  const sum = al + product;
  const result = sum & 0xff;
  const overflow = ((al ^ result) & (product ^ result) & 0x80) !== 0;
  aluOut.flags = (flags & ~ARITH_FLAGS) | byteFlags(result) | ((al ^ product ^ result) & AF) | (sum > 0xff ? CF : 0) |
    (overflow ? OF : 0);
  return result;
}
