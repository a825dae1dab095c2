/**
 * Which EFLAGS bits an instruction leaves undefined (Intel SDM vol. 2, "Flags
 * Affected"), looked up in the vcpu's opcode table from the instruction's
 * bytes. The real processor and the vcpu may both be right and still differ
 * there (this host's imul keeps ZF and PF; the SDM leaves them undefined), so
 * single-step comparisons mask them until an instruction defines them again.
 */
import { DECODE_TABLE } from '../../machine/cpu/decode-table.js';

const PREFIXES = new Set([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3]);

export interface FlagEffect {
  written: number;
  undefined: number;
}

export function flagEffect(bytes: Uint8Array): FlagEffect {
  let i = 0;
  let size16 = 0;
  while (i < bytes.length && PREFIXES.has(bytes[i])) {
    if (bytes[i] === 0x66) size16 = 1;
    i++;
  }
  let map = 0;
  if (bytes[i] === 0x0f) {
    map = 1;
    i++;
  }
  const entry = DECODE_TABLE[(map << 9) | (size16 << 8) | bytes[i]];
  if (!entry) return { written: 0, undefined: 0 };
  let slot = 0;
  if (entry.needsModrm) {
    const modrm = bytes[i + 1];
    slot = ((modrm >> 3) & 7) * 2 + ((modrm >> 6) === 3 ? 1 : 0);
  }
  const form = entry.slots[slot];
  return form ? { written: form.flagsWritten, undefined: form.flagsUndefined } : { written: 0, undefined: 0 };
}
