/**
 * Thread-local storage descriptors (arch/x86/kernel/tls.c): set_thread_area
 * and get_thread_area translate a struct user_desc into the two GDT descriptor
 * words of TLS entries 6..8 (asm/desc.h fill_ldt) that the vcpu resolves %gs with.
 */
import { EFAULT, EINVAL, ESRCH } from '../lib/index.js';
import type { AddressSpace } from '../mm/index.js';
import { copyFromUser, copyToUser } from '../mm/index.js';
import type { Task } from './task.js';

export const GDT_ENTRY_TLS_MIN = 6;
export const GDT_ENTRY_TLS_ENTRIES = 3;

/** struct user_desc (asm/ldt.h), 16 bytes. */
export interface UserDesc {
  entryNumber: number;
  readonly base: number;
  readonly limit: number;
  readonly seg32bit: number;
  readonly contents: number;
  readonly readExecOnly: number;
  readonly limitInPages: number;
  readonly segNotPresent: number;
  readonly useable: number;
}

export function decodeUserDesc(mm: AddressSpace, address: number): UserDesc | number {
  const bytes = copyFromUser(mm, address, 16);
  if (typeof bytes === 'number') return -EFAULT;
  const view = new DataView(bytes.buffer);
  const flags = view.getUint32(12, true);
  return {
    entryNumber: view.getInt32(0, true), base: view.getUint32(4, true), limit: view.getUint32(8, true),
    seg32bit: flags & 1, contents: (flags >>> 1) & 3, readExecOnly: (flags >>> 3) & 1, limitInPages: (flags >>> 4) & 1,
    segNotPresent: (flags >>> 5) & 1, useable: (flags >>> 6) & 1,
  };
}

/** The descriptor words of a user_desc (fill_ldt), or [0, 0] for an "empty" one (LDT_empty / LDT_zero). */
export function descriptorWords(d: UserDesc): [number, number] {
  const empty = d.base === 0 && d.limit === 0 && d.contents === 0 && d.seg32bit === 0 && d.limitInPages === 0 && d.useable === 0
    && ((d.readExecOnly === 1 && d.segNotPresent === 1) || (d.readExecOnly === 0 && d.segNotPresent === 0));
  if (empty) return [0, 0];
  const low = (((d.base & 0xffff) << 16) | (d.limit & 0xffff)) >>> 0;
  const high = ((d.base & 0xff000000) | ((d.base & 0x00ff0000) >>> 16) | (d.limit & 0xf0000) | ((d.readExecOnly ^ 1) << 9)
    | (d.contents << 10) | ((d.segNotPresent ^ 1) << 15) | (d.seg32bit << 22) | (d.limitInPages << 23) | (d.useable << 20)
    | 0x7000) >>> 0;
  return [low, high];
}

/**
 * Stores a descriptor in the task's TLS array (entry -1 picks the first free slot and reports it
 * back through `writeBack`); returns 0 or a negative errno. The caller reloads the vcpu's GDT.
 */
export function installTls(task: Task, desc: UserDesc, writeBack: ((entry: number) => number) | null): number {
  let entry = desc.entryNumber;
  if (entry === -1) {
    const free = task.tls.findIndex(([low, high]) => low === 0 && high === 0);
    if (free < 0) return -ESRCH;
    entry = GDT_ENTRY_TLS_MIN + free;
    if (writeBack && writeBack(entry) < 0) return -EFAULT;
  }
  if (entry < GDT_ENTRY_TLS_MIN || entry >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES) return -EINVAL;
  task.tls[entry - GDT_ENTRY_TLS_MIN] = descriptorWords(desc);
  return entry;
}

/** get_thread_area: the user_desc of a TLS entry, decoded back from the descriptor words. */
export function readTls(mm: AddressSpace, task: Task, address: number, entry: number): number {
  if (entry < GDT_ENTRY_TLS_MIN || entry >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES) return -EINVAL;
  const [low, high] = task.tls[entry - GDT_ENTRY_TLS_MIN]!;
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  view.setInt32(0, entry, true);
  view.setUint32(4, ((low >>> 16) | ((high & 0xff) << 16) | (high & 0xff000000)) >>> 0, true);
  view.setUint32(8, ((low & 0xffff) | (high & 0xf0000)) >>> 0, true);
  const flags = ((high >>> 22) & 1) | (((high >>> 10) & 3) << 1) | ((((high >>> 9) & 1) ^ 1) << 3) | (((high >>> 23) & 1) << 4)
    | ((((high >>> 15) & 1) ^ 1) << 5) | (((high >>> 20) & 1) << 6);
  view.setUint32(12, flags, true);
  return copyToUser(mm, address, out);
}
