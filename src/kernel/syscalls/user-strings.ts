/**
 * Reading syscall arguments from user memory: paths (PATH_MAX), string
 * vectors (argv/envp), iovecs, and writing small structs back.
 */
import { EFAULT, E2BIG } from '../lib/index.js';
import { copyFromUser, getUser32, strncpyFromUser } from '../mm/index.js';
import type { AddressSpace } from '../mm/index.js';

const PATH_MAX = 4096;
const MAX_ARG_STRINGS = 0x7fffffff;
const MAX_ARG_STRLEN = 32 * 4096;

export function readPath(mm: AddressSpace, address: number): string | number {
  const bytes = strncpyFromUser(mm, address, PATH_MAX - 1);
  if (typeof bytes === 'number') return bytes;
  return new TextDecoder().decode(bytes);
}

/** A NULL-terminated array of string pointers (argv, envp). */
export function readStringVector(mm: AddressSpace, address: number): Uint8Array[] | number {
  const out: Uint8Array[] = [];
  if (address === 0) return out;
  for (let i = 0; i < MAX_ARG_STRINGS; i++) {
    const pointer = getUser32(mm, address + i * 4);
    if (pointer === null) return -EFAULT;
    if (pointer === 0) return out;
    const bytes = strncpyFromUser(mm, pointer, MAX_ARG_STRLEN);
    if (typeof bytes === 'number') return bytes;
    out.push(bytes);
    if (out.length > 0x20000) return -E2BIG;
  }
  return -E2BIG;
}

export interface IoVector {
  readonly base: number;
  readonly length: number;
}

/** struct iovec[count] (8 bytes each on i386). */
export function readIoVectors(mm: AddressSpace, address: number, count: number): IoVector[] | number {
  const bytes = copyFromUser(mm, address, count * 8);
  if (typeof bytes === 'number') return bytes;
  const view = new DataView(bytes.buffer);
  const out: IoVector[] = [];
  for (let i = 0; i < count; i++) out.push({ base: view.getUint32(i * 8, true), length: view.getUint32(i * 8 + 4, true) });
  return out;
}

/** Little-endian 32-bit words as bytes, for small result structs. */
export function words32(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setUint32(i * 4, v >>> 0, true));
  return out;
}
