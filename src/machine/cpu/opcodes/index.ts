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

export const FORM_SPECS: readonly FormSpec[] = [
  ...ARITHMETIC_FORMS,
  ...DATA_MOVE_FORMS,
  ...CONTROL_FORMS,
  ...STACK_FORMS,
];

export const OPCODE_FORMS: readonly OpcodeForm[] = FORM_SPECS;
export type { FormSpec } from './form-spec.js';
