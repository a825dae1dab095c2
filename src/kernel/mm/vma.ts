/**
 * A virtual memory area: a page-aligned range [start, end) of one address
 * space with protections and an optional backing object (a file's pages).
 * VMAs describe what may be mapped; the page tables hold what is mapped now.
 */

export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_GROWSDOWN = 0x100;
export const MAP_DENYWRITE = 0x800;
export const MAP_EXECUTABLE = 0x1000;
export const MAP_NORESERVE = 0x4000;
export const MAP_POPULATE = 0x8000;
export const MAP_STACK = 0x20000;
export const MAP_FIXED_NOREPLACE = 0x100000;

/** Where a file-backed VMA's bytes come from (implemented by the filesystem). */
export interface PageSource {
  /** Copies up to dest.length bytes at `offset` into dest; bytes past the end of the object stay as they are. */
  readAt(offset: number, dest: Uint8Array): number;
  /** For /proc/PID/maps. */
  readonly name: string;
  /**
   * For MAP_SHARED: the object's own page at `pageIndex` (allocated if it is a hole), which the
   * mapping shares instead of copying; -1 when out of memory. Left out: shared maps as private.
   */
  sharedPage?(pageIndex: number): number;
  /** Lifetime: each VMA using the source holds it (an unlinked file or shmem object lives while mapped). */
  hold?(): void;
  release?(): void;
}

export interface Vma {
  start: number;
  end: number;
  prot: number;
  /** MAP_SHARED / MAP_PRIVATE / MAP_GROWSDOWN bits. */
  flags: number;
  source: PageSource | null;
  /** File offset of `start`. */
  offset: number;
  /** Bytes at or above this address are zero, not file data (the bss part of a segment's last file page). */
  fileLimit: number;
  name: string;
}

export function cloneVma(vma: Vma): Vma {
  return { ...vma };
}

/** Splits `vma` at `address` (page-aligned, strictly inside); returns the upper part. */
export function splitVma(vma: Vma, address: number): Vma {
  const upper = cloneVma(vma);
  upper.start = address;
  if (vma.source) upper.offset = vma.offset + (address - vma.start);
  vma.end = address;
  return upper;
}
