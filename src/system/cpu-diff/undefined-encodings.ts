/**
 * Encodings the decoder must reject with #UD, as forms the generator can run:
 * reserved opcodes and unused group digits that are #UD on every processor
 * since the P6 (Intel SDM 2D appendix A, opcode maps; AMD APM 3 appendix A).
 * Opcodes that some vendor gave a meaning (SALC, 3DNow!, VEX/XOP, RTM, Padlock)
 * are left out on purpose: the host would run them.
 */
import type { OpcodeForm } from '../../machine/cpu/opcode-form.js';

function undefinedForm(opcode: number[], modrm: OpcodeForm['modrm'], digit?: number): OpcodeForm {
  const bytes = opcode.map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return {
    name: `undefined ${bytes}${digit === undefined ? '' : ' /' + digit}`, mnemonic: '(undefined)', prefixes: [], opcode,
    modrm, digit, immediate: 0, operandSize: 0, flagsWritten: 0, flagsUndefined: 0,
  };
}

export const UNDEFINED_ENCODINGS: readonly OpcodeForm[] = [
  undefinedForm([0x0f, 0xff], 'none'), // UD0
  undefinedForm([0x0f, 0xb9], 'both'), // UD1
  undefinedForm([0x0f, 0x04], 'none'),
  undefinedForm([0x0f, 0x0a], 'none'),
  undefinedForm([0x0f, 0x0c], 'none'),
  undefinedForm([0x0f, 0x24], 'reg'), // mov r32, tr: removed after the i486
  undefinedForm([0x0f, 0x26], 'reg'), // mov tr, r32
  undefinedForm([0x0f, 0x36], 'none'),
  undefinedForm([0x0f, 0xa6], 'both'), // xbts: removed after the i386 B-step
  undefinedForm([0x0f, 0x00], 'both', 6),
  undefinedForm([0x0f, 0x00], 'both', 7),
  ...[2, 3, 4, 5, 6, 7].map((digit) => undefinedForm([0xfe], 'both', digit)),
  undefinedForm([0xff], 'both', 7),
  ...[1, 2, 3, 4, 5, 6, 7].map((digit) => undefinedForm([0x8f], 'mem', digit)),
  ...[1, 2, 3, 4, 5, 6].map((digit) => undefinedForm([0xc6], 'both', digit)),
  ...[1, 2, 3, 4, 5, 6].map((digit) => undefinedForm([0xc7], 'both', digit)),
];
