/**
 * A row of the opcode table as the decoder uses it: the public OpcodeForm
 * (../opcode-form.ts) plus its handler and decode hints. `defineForm` fills
 * the defaults so each group file lists only what is particular to a form.
 */
import type { OpcodeForm } from '../opcode-form.js';
import type { Handler } from '../instruction.js';
import { Flag } from '../../../hal/vcpu.js';

export interface FormSpec extends OpcodeForm {
  readonly handler: Handler;
  /** Copied into Instruction.operation (ALU operation, condition code, segment, ...). */
  readonly operation: number;
  /** The lock prefix is allowed with a memory destination (Intel SDM 2B lock). */
  readonly lockable: boolean;
  /** The immediate is a memory offset of the address size (mov moffs). */
  readonly moffs: boolean;
  /** Stores to its memory operand: a CS override then raises #GP(0) (code segments are not writable). */
  readonly writesMemory: boolean;
  /** A branch that may fall through (jcc, loop, jecxz): a compiled block can continue past it. */
  readonly conditionalBranch: boolean;
}

export type FormInput = Partial<FormSpec> & Pick<FormSpec, 'name' | 'opcode' | 'handler'>;

export function defineForm(input: FormInput): FormSpec {
  return {
    mnemonic: input.name.split(' ')[0],
    prefixes: [],
    modrm: 'none',
    immediate: 0,
    operandSize: 0,
    flagsWritten: 0,
    flagsUndefined: 0,
    operation: 0,
    lockable: false,
    moffs: false,
    writesMemory: false,
    conditionalBranch: false,
    ...input,
  };
}

/** Operand-size prefix list for a form of `bits` width. */
export function sizePrefix(bits: number): number[] {
  return bits === 16 ? [0x66] : [];
}

export const OSZAPC = Flag.OF | Flag.SF | Flag.ZF | Flag.AF | Flag.PF | Flag.CF;
export const OSZAP = Flag.OF | Flag.SF | Flag.ZF | Flag.AF | Flag.PF;
export const { CF, PF, AF, ZF, SF, OF, DF } = Flag;
