/**
 * Condition codes (jcc, cmovcc, setcc; Intel SDM 2 Appendix B.1.4.7) as
 * JavaScript expressions for compiled blocks: through the core's lazy-flag
 * readers in general, or straight from the lazy operands when the instruction
 * before is an inlined flag writer of a known kind.
 */
import { LazyOp } from './cpu-core.js';
import type { Instruction } from './instruction.js';
import { JCC32 } from './opcodes/control.js';
import { KIND_INC_DEC, type InlineForm } from './inline-form.js';

/** The conditions through the core's readers, as the JCC32 handlers test them. */
const GENERIC_CONDITION = [
  'cpu.getOF()', '!cpu.getOF()', 'cpu.getCF() !== 0', 'cpu.getCF() === 0', 'cpu.getZF()', '!cpu.getZF()',
  'cpu.belowOrEqual()', '!cpu.belowOrEqual()', 'cpu.getSF()', '!cpu.getSF()', 'cpu.getPF()', '!cpu.getPF()',
  'cpu.lessSigned()', '!cpu.lessSigned()', 'cpu.lessOrEqualSigned()', '!cpu.lessOrEqualSigned()',
];

/**
 * Condition `cc` right after an operation of a known lazy kind (lazyCarry 0,
 * every flag lazy but CF for inc/dec): for a subtraction a - b, CF is a < b
 * unsigned and SF != OF is a < b signed; for logic, CF = OF = 0 (Intel SDM 2A
 * and, or, xor, test). 8-bit operands are held zero-extended, the result unmasked.
 * undefined: use the generic reader (PF, and CF/OF after inc/dec).
 */
function knownCondition(kind: number, bits: number, cc: number): string | undefined {
  const a = 'cpu.lazyA', b = 'cpu.lazyB', r = 'cpu.lazyResult';
  const wide = bits === 32;
  if (!wide && bits !== 8) return undefined;
  const zero = wide ? `${r} === 0` : `(${r} & 255) === 0`;
  const sign = wide ? `${r} < 0` : `(${r} & 128) !== 0`;
  const signBit = wide ? '' : ' & 128';
  let test: string | undefined;
  const base = cc >> 1;
  if (base === 2) test = zero;
  else if (base === 4) test = sign;
  else if (kind === LazyOp.Sub) {
    switch (base) {
      case 0: test = wide ? `((${a} ^ ${b}) & (${a} ^ ${r})) < 0` : `((${a} ^ ${b}) & (${a} ^ ${r})${signBit}) !== 0`; break;
      case 1: test = wide ? `(${a} >>> 0) < (${b} >>> 0)` : `${a} < ${b}`; break;
      case 3: test = wide ? `(${a} >>> 0) <= (${b} >>> 0)` : `${a} <= ${b}`; break;
      case 6: test = wide ? `${a} < ${b}` : `(${a} << 24) < (${b} << 24)`; break;
      case 7: test = wide ? `${a} <= ${b}` : `(${a} << 24) <= (${b} << 24)`; break;
    }
  } else if (kind === LazyOp.Logic) {
    switch (base) {
      case 0: test = 'false'; break;
      case 1: test = 'false'; break;
      case 3: test = zero; break;
      case 6: test = sign; break;
      case 7: test = `${zero} || ${sign}`; break;
    }
  } else if (kind === LazyOp.Add) {
    switch (base) {
      case 0: test = wide ? `((${a} ^ ${r}) & (${b} ^ ${r})) < 0` : `((${a} ^ ${r}) & (${b} ^ ${r})${signBit}) !== 0`; break;
      case 1: test = wide ? `(${r} >>> 0) < (${a} >>> 0)` : `(${r} & 255) < ${a}`; break;
    }
  } else if (kind !== KIND_INC_DEC) {
    return undefined;
  }
  if (test === undefined) return undefined;
  return (cc & 1) === 0 ? `(${test})` : `!(${test})`;
}

/** Condition `cc` as an expression; `previous` is the inline form that ran just before (undefined: unknown). */
export function conditionSource(cc: number, previous: InlineForm | undefined): string {
  if (previous !== undefined && previous.lazyKind >= 0) {
    const known = knownCondition(previous.lazyKind, previous.lazyBits, cc);
    if (known !== undefined) return known;
  }
  return GENERIC_CONDITION[cc];
}

/**
 * The condition of a 32-bit jcc as a JavaScript expression, or undefined when
 * `ins` is not one; `previous` is the inline form of the instruction before it
 * in the block (its lazy kind lets the test skip the lazy-flag dispatch).
 */
export function branchCondition(ins: Instruction, previous: InlineForm | undefined): string | undefined {
  const cc = ins.operation;
  if (cc < 0 || cc > 15 || ins.handler !== JCC32[cc]) return undefined;
  return conditionSource(cc, previous);
}
