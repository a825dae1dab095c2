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

/**
 * The address spaces that map an object, as the object's page cache sees them (Linux's i_mmap
 * reverse map): truncate and write-back reach the page-table entries through it.
 */
export interface MappingSpace {
  /** Unmaps `owner`'s pages from index `fromIndex` on, private copies too (truncate: unmap_mapping_range with even_cows). */
  unmapFilePages(owner: object, fromIndex: number): void;
  /** Write-protects the shared mappings of `owner`'s pages in `indices` so the next store dirties them again (page_mkclean). */
  cleanFilePages(owner: object, indices: ReadonlySet<number>): void;
  /** Unmaps the entries that map `frame`, `owner`'s page `index` (reclaim: try_to_unmap); private copies stay. */
  unmapFilePage(owner: object, index: number, frame: number): void;
}

/** What /proc/PID/maps shows of a mapped file (an Inode has these fields). */
export interface MappedFile {
  readonly ino: number;
  readonly nlink: number;
  readonly superblock: { readonly device: number };
}

/** Where a file-backed VMA's bytes come from (implemented by the filesystem or its page cache). */
export interface PageSource {
  /** Copies up to dest.length bytes at `offset` into dest; bytes past the end of the object stay as they are. */
  readAt(offset: number, dest: Uint8Array): number;
  /** For /proc/PID/maps. */
  readonly name: string;
  /** The object whose pages these are (a file's page cache): the VMAs of one owner are found by it. */
  readonly owner?: object;
  /** The file behind the pages (its Inode), for /proc/PID/maps: device, inode number, " (deleted)". */
  readonly file?: MappedFile;
  /**
   * For MAP_SHARED: the object's own page at `pageIndex`, which the mapping shares instead of
   * copying. Negative: -ENOMEM when out of memory; any other errno (past the end of the file, an
   * I/O error) is SIGBUS. Left out: shared maps as private.
   */
  sharedPage?(pageIndex: number): number;
  /**
   * For MAP_PRIVATE: the cached page to map read-only until the first store copies it, so the
   * mapping sees the file change until it writes the page (errors as sharedPage). Left out: a
   * private mapping copies the bytes at the first fault (readAt).
   */
  privatePage?(pageIndex: number): number;
  /**
   * Write notification (page_mkwrite): a shared page is mapped read-only until the first store,
   * which calls this to mark it dirty; 0 or a negative errno (SIGBUS). Left out: shared pages are
   * writable at once (tmpfs: nothing to write back).
   */
  dirtyPage?(pageIndex: number): number;
  /** msync(2): writes the object's dirty pages back, and when `durable` to stable storage (MS_SYNC); 0 or -errno. */
  writeback?(durable: boolean): number;
  /** Lifetime: each VMA using the source holds it (an unlinked file or shmem object lives while mapped). */
  hold?(space: MappingSpace): void;
  release?(space: MappingSpace): void;
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
  /** False for a shared mapping of a file not open for writing: mprotect may not add PROT_WRITE (no VM_MAYWRITE). */
  mayWrite?: boolean;
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
