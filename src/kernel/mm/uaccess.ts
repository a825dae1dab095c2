/**
 * User memory access for the kernel (ARCHITECTURE.md rule 5, the SMAP
 * discipline): every byte goes through the task's page tables with user
 * permissions. A missing or read-only page is faulted in as the hardware would
 * (demand-zero, COW, stack growth); what cannot be returns EFAULT.
 * Hot path: works page by page on the RAM byte view.
 */
import { EFAULT, ENAMETOOLONG } from '../lib/index.js';
import type { AddressSpace } from './address-space.js';
import { Fault } from './address-space.js';
import { PAGE_SIZE } from './buddy.js';
import { TASK_SIZE } from './page-table.js';

/** The physical address of a user byte, faulting the page in; -1 for EFAULT. */
function userPhysical(mm: AddressSpace, address: number, write: boolean): number {
  if (address < 0 || address >= TASK_SIZE) return -1;
  let physical = mm.translate(address, write);
  if (physical < 0) {
    if (mm.handleFault(address, write) !== Fault.Handled) return -1;
    physical = mm.translate(address, write);
  }
  return physical;
}

/** Copies `length` user bytes at `address` into a new array, or returns -EFAULT. */
export function copyFromUser(mm: AddressSpace, address: number, length: number): Uint8Array | number {
  const out = new Uint8Array(length);
  return copyFromUserInto(mm, address, out) < 0 ? -EFAULT : out;
}

/** Copies of at most this many bytes go byte by byte: cheaper than a subarray view and a set for one-byte pipe reads and writes. */
const SMALL_COPY = 16;

export function copyFromUserInto(mm: AddressSpace, address: number, into: Uint8Array): number {
  const bytes = mm.pages.bytes;
  if (into.length <= SMALL_COPY && ((address & (PAGE_SIZE - 1)) + into.length) <= PAGE_SIZE) {
    // Hot path: within one page.
    if (into.length === 0) return 0;
    const physical = userPhysical(mm, address, false);
    if (physical < 0) return -EFAULT;
    for (let i = 0; i < into.length; i++) into[i] = bytes[physical + i]!;
    return 0;
  }
  for (let done = 0; done < into.length;) {
    const physical = userPhysical(mm, address + done, false);
    if (physical < 0) return -EFAULT;
    const chunk = Math.min(into.length - done, PAGE_SIZE - ((address + done) & (PAGE_SIZE - 1)));
    into.set(bytes.subarray(physical, physical + chunk), done);
    done += chunk;
  }
  return 0;
}

/** Copies `data` to user memory at `address`; 0 or -EFAULT (partial writes may have happened, as on Linux). */
export function copyToUser(mm: AddressSpace, address: number, data: Uint8Array): number {
  const bytes = mm.pages.bytes;
  if (data.length <= SMALL_COPY && ((address & (PAGE_SIZE - 1)) + data.length) <= PAGE_SIZE) {
    // Hot path: within one page.
    if (data.length === 0) return 0;
    const physical = userPhysical(mm, address, true);
    if (physical < 0) return -EFAULT;
    for (let i = 0; i < data.length; i++) bytes[physical + i] = data[i]!;
    mm.pages.hooks.invalidatePhysicalPage(physical - (physical & (PAGE_SIZE - 1)));
    return 0;
  }
  for (let done = 0; done < data.length;) {
    const physical = userPhysical(mm, address + done, true);
    if (physical < 0) return -EFAULT;
    const chunk = Math.min(data.length - done, PAGE_SIZE - ((address + done) & (PAGE_SIZE - 1)));
    bytes.set(data.subarray(done, done + chunk), physical);
    mm.pages.hooks.invalidatePhysicalPage(physical - (physical & (PAGE_SIZE - 1)));
    done += chunk;
  }
  return 0;
}

/** Reads a NUL-terminated string of at most `max` bytes (without the NUL); -EFAULT or -ENAMETOOLONG. */
export function strncpyFromUser(mm: AddressSpace, address: number, max: number): Uint8Array | number {
  const bytes = mm.pages.bytes;
  const out: number[] = [];
  for (let i = 0; i <= max; i++) {
    const physical = userPhysical(mm, address + i, false);
    if (physical < 0) return -EFAULT;
    const byte = bytes[physical]!;
    if (byte === 0) return Uint8Array.from(out);
    out.push(byte);
  }
  return -ENAMETOOLONG;
}

export function getUser32(mm: AddressSpace, address: number): number | null {
  if ((address & (PAGE_SIZE - 1)) <= PAGE_SIZE - 4) {
    // Hot path (futex words, wait statuses, tid addresses): within one page, no allocation.
    const physical = userPhysical(mm, address, false);
    if (physical < 0) return null;
    const bytes = mm.pages.bytes;
    return (bytes[physical]! | (bytes[physical + 1]! << 8) | (bytes[physical + 2]! << 16) | (bytes[physical + 3]! << 24)) >>> 0;
  }
  const data = copyFromUser(mm, address, 4);
  if (typeof data === 'number') return null;
  return (data[0]! | (data[1]! << 8) | (data[2]! << 16) | (data[3]! << 24)) >>> 0;
}

export function putUser32(mm: AddressSpace, address: number, value: number): number {
  if ((address & (PAGE_SIZE - 1)) <= PAGE_SIZE - 4) {
    // Hot path (wait statuses, set/clear_child_tid at fork and exit): within one page, no allocation.
    const physical = userPhysical(mm, address, true);
    if (physical < 0) return -EFAULT;
    const bytes = mm.pages.bytes;
    bytes[physical] = value;
    bytes[physical + 1] = value >>> 8;
    bytes[physical + 2] = value >>> 16;
    bytes[physical + 3] = value >>> 24;
    mm.pages.hooks.invalidatePhysicalPage(physical - (physical & (PAGE_SIZE - 1)));
    return 0;
  }
  const data = new Uint8Array([value, value >>> 8, value >>> 16, value >>> 24]);
  return copyToUser(mm, address, data);
}
