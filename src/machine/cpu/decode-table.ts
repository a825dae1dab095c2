/**
 * The decoder's dispatch, built once from the opcode table: for each opcode
 * map (one-byte, 0F), operand size (32, or 16 after 0x66) and opcode byte, the
 * forms by ModRM digit and register/memory operand. Forms whose operand size
 * does not matter serve both sizes. Forms listed with a 0x67, 0xF2 or 0xF3
 * prefix are aliases of their prefixless form (the prefix is read at run time).
 */
import { FORM_SPECS, type FormSpec } from './opcodes/index.js';

export class DecodeEntry {
  needsModrm = false;
  /** Indexed by digit * 2 + (register form ? 1 : 0); slot 0 when there is no ModRM. */
  readonly slots: (FormSpec | undefined)[] = new Array<FormSpec | undefined>(16).fill(undefined);
}

/** Key: map (0 one-byte, 1 two-byte 0F) << 9 | operand-size-16 << 8 | opcode byte. */
export const DECODE_TABLE: (DecodeEntry | undefined)[] = new Array<DecodeEntry | undefined>(1024).fill(undefined);
/** Forms that collided while building (a table bug; a test checks it is empty). */
export const DECODE_CONFLICTS: string[] = [];

function place(form: FormSpec, sizes: number[], owned: Map<number, FormSpec>, overwrite: boolean): void {
  const map = form.opcode[0] === 0x0f ? 1 : 0;
  const byte = form.opcode[map];
  for (const size16 of sizes) {
    const key = (map << 9) | (size16 << 8) | byte;
    let entry = DECODE_TABLE[key];
    if (!entry) DECODE_TABLE[key] = entry = new DecodeEntry();
    entry.needsModrm = form.modrm !== 'none';
    const digits = form.digit === undefined ? [0, 1, 2, 3, 4, 5, 6, 7] : [form.digit];
    const kinds = form.modrm === 'none' ? [0] : form.modrm === 'reg' ? [1] : form.modrm === 'mem' ? [0] : [0, 1];
    for (const digit of form.modrm === 'none' ? [0] : digits) {
      for (const kind of kinds) {
        const slot = digit * 2 + kind;
        const slotKey = key * 16 + slot;
        const previous = owned.get(slotKey);
        // x87 forms share one handler; the unit itself tells register encodings apart.
        if (previous && form.fpu && previous.fpu) continue;
        if (previous && !overwrite) DECODE_CONFLICTS.push(`${form.name} / ${previous.name}`);
        owned.set(slotKey, form);
        entry.slots[slot] = form;
      }
    }
  }
}

function build(): void {
  const generic = new Map<number, FormSpec>();
  const specific = new Map<number, FormSpec>();
  const isAlias = (form: FormSpec) => form.prefixes.some((p) => p === 0x67 || p === 0xf2 || p === 0xf3);
  for (const form of FORM_SPECS) {
    if (isAlias(form) || form.operandSize === 16 || form.operandSize === 32) continue;
    place(form, [0, 1], generic, false);
  }
  for (const form of FORM_SPECS) {
    if (isAlias(form) || !(form.operandSize === 16 || form.operandSize === 32)) continue;
    const size16 = form.prefixes.includes(0x66) ? 1 : 0;
    place(form, [size16], specific, true);
    if (specific.get(-1)) DECODE_CONFLICTS.push(form.name);
  }
  // Report true collisions among size-specific forms.
  const seen = new Map<string, string>();
  for (const form of FORM_SPECS) {
    if (isAlias(form) || !(form.operandSize === 16 || form.operandSize === 32)) continue;
    const digits = form.digit === undefined ? ['*'] : [String(form.digit)];
    const key = `${form.prefixes.includes(0x66)}:${form.opcode.join(',')}:${digits}:${form.modrm}`;
    const other = seen.get(key);
    if (other !== undefined) DECODE_CONFLICTS.push(`${form.name} / ${other}`);
    seen.set(key, form.name);
  }
}

build();
