/**
 * The opcode table: every instruction form the decoder accepts, each with its
 * handler. The decoder's dispatch (../decode-table.ts), the interpreter and the
 * differential-test generator all read OPCODE_FORMS.
 */
import type { OpcodeForm } from '../opcode-form.js';
import type { FormSpec } from './form-spec.js';
import { ARITHMETIC_FORMS } from './arithmetic.js';
import { DATA_MOVE_FORMS } from './data-move.js';
import { CONTROL_FORMS } from './control.js';
import { STACK_FORMS } from './stack.js';
import { SHIFT_ROTATE_FORMS } from './shift-rotate.js';
import { MULTIPLY_DIVIDE_FORMS } from './multiply-divide.js';
import { BIT_FORMS } from './bits.js';
import { ATOMIC_FORMS } from './atomic.js';
import { STRING_FORMS } from './string.js';
import { SEGMENT_FORMS } from './segment.js';
import { SYSTEM_FORMS } from './system.js';
import { X87_FORMS } from './x87.js';

export const FORM_SPECS: readonly FormSpec[] = [
  ...ARITHMETIC_FORMS,
  ...DATA_MOVE_FORMS,
  ...CONTROL_FORMS,
  ...STACK_FORMS,
  ...SHIFT_ROTATE_FORMS,
  ...MULTIPLY_DIVIDE_FORMS,
  ...BIT_FORMS,
  ...ATOMIC_FORMS,
  ...STRING_FORMS,
  ...SEGMENT_FORMS,
  ...SYSTEM_FORMS,
  ...X87_FORMS,
];

export const OPCODE_FORMS: readonly OpcodeForm[] = FORM_SPECS;
export type { FormSpec } from './form-spec.js';
