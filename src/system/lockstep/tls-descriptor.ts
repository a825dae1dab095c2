/**
 * Turns a TLS slot as PTRACE_GET_THREAD_AREA reports it (struct user_desc,
 * asm/ldt.h) into the two GDT descriptor words Linux writes for it
 * (arch/x86/include/asm/desc.h fill_ldt; Intel SDM 3A §3.4.5), for
 * vcpu.setGdtEntry.
 */
import type { UserDesc } from './tracer-client.js';

/** user_desc bitfield flags, in declaration order. */
const SEG_32BIT = 1, CONTENTS_SHIFT = 1, READ_EXEC_ONLY = 8, LIMIT_IN_PAGES = 16, SEG_NOT_PRESENT = 32, USEABLE = 64;

export function descriptorWords(desc: UserDesc): { low: number; high: number } {
  const flags = desc.flags;
  // LDT_empty: a cleared slot is the null descriptor.
  if (desc.base === 0 && desc.limit === 0 && (flags & 0x7f) === (READ_EXEC_ONLY | SEG_NOT_PRESENT)) return { low: 0, high: 0 };
  const base = desc.base >>> 0, limit = desc.limit >>> 0;
  const low = ((base & 0xffff) << 16) | (limit & 0xffff);
  const high = (base & 0xff000000) | ((base & 0x00ff0000) >>> 16) | (limit & 0xf0000) |
    ((flags & READ_EXEC_ONLY ? 0 : 1) << 9) | (((flags >> CONTENTS_SHIFT) & 3) << 10) |
    ((flags & SEG_NOT_PRESENT ? 0 : 1) << 15) | ((flags & SEG_32BIT ? 1 : 0) << 22) |
    ((flags & LIMIT_IN_PAGES ? 1 : 0) << 23) | ((flags & USEABLE ? 1 : 0) << 20) | 0x7000;
  return { low: low | 0, high: high | 0 };
}
