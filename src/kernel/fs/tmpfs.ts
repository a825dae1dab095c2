/**
 * tmpfs: a filesystem whose file data lives in RAM pages from the buddy
 * allocator (inode.pages maps page index to physical address; a missing page is a hole that
 * reads as zeros), so file data counts in memory figures as on Linux.
 * Interface: createTmpfs(pages) → root inode; tmpfsFileOps; tmpfs helpers
 * for truncate and for mapping a file (PageSource).
 */
import { EFBIG, ENOSPC } from '../lib/index.js';
import type { PageSource, PhysicalPages } from '../mm/index.js';
import { PAGE_SIZE } from '../mm/index.js';
import type { FileOps, Superblock } from './inode.js';
import { Inode, S_IFDIR, S_IFREG } from './inode.js';

export interface TmpfsSuperblock extends Superblock {
  readonly pages: PhysicalPages;
}

export function createTmpfs(pages: PhysicalPages, device: number): Inode {
  const superblock: TmpfsSuperblock = { type: 'tmpfs', device, nextIno: 2, pages };
  return new Inode(superblock, 1, S_IFDIR | 0o755, directoryFileOps);
}

export function physicalPagesOf(inode: Inode): PhysicalPages {
  return (inode.superblock as TmpfsSuperblock).pages;
}

/** Directories answer read(2) with EISDIR, via the VFS; getdents64 walks inode.children. */
export const directoryFileOps: FileOps = { seekable: true };

/** Reads file bytes [position, position+count) clipped to the size. */
export function readTmpfs(inode: Inode, position: number, count: number): Uint8Array {
  const end = Math.min(inode.size, position + count);
  if (end <= position) return new Uint8Array(0);
  const out = new Uint8Array(end - position);
  const bytes = physicalPagesOf(inode).bytes;
  for (let at = position; at < end;) {
    const index = Math.floor(at / PAGE_SIZE);
    const within = at % PAGE_SIZE;
    const chunk = Math.min(end - at, PAGE_SIZE - within);
    const page = inode.pages.get(index);
    if (page) out.set(bytes.subarray(page + within, page + within + chunk), at - position);
    at += chunk;
  }
  return out;
}

/** The largest file size of 32-bit Linux (MAX_LFS_FILESIZE = ULONG_MAX << PAGE_SHIFT). */
export const MAX_FILE_SIZE = 2 ** 44 - PAGE_SIZE;

/** Writes data at position, allocating pages; returns bytes written, -ENOSPC if nothing could be written, -EFBIG past the limit. */
export function writeTmpfs(inode: Inode, data: Uint8Array, position: number): number {
  if (position + data.length > MAX_FILE_SIZE) return -EFBIG;
  const pages = physicalPagesOf(inode);
  let done = 0;
  while (done < data.length) {
    const at = position + done;
    const index = Math.floor(at / PAGE_SIZE);
    const within = at % PAGE_SIZE;
    const chunk = Math.min(data.length - done, PAGE_SIZE - within);
    let page = inode.pages.get(index);
    if (page === undefined) {
      page = pages.allocZeroedPage();
      if (page < 0) break;
      inode.pages.set(index, page);
    }
    pages.bytes.set(data.subarray(done, done + chunk), page + within);
    pages.hooks.invalidatePhysicalPage(page);
    done += chunk;
  }
  if (done === 0 && data.length > 0) return -ENOSPC;
  inode.size = Math.max(inode.size, position + done);
  return done;
}

/** Sets the size, freeing whole pages past the end and zeroing the tail of the last one. */
export function truncateTmpfs(inode: Inode, size: number): void {
  const pages = physicalPagesOf(inode);
  const keep = Math.ceil(size / PAGE_SIZE);
  for (const [index, page] of [...inode.pages]) {
    if (index < keep) continue;
    inode.pages.delete(index);
    pages.buddy.putPage(page);
  }
  const tail = size % PAGE_SIZE;
  const last = inode.pages.get(keep - 1);
  if (tail && last) pages.bytes.fill(0, last + tail, last + PAGE_SIZE);
  inode.size = size;
}

export const tmpfsFileOps: FileOps = {
  seekable: true,
  read: (file, count, position) => readTmpfs(file.inode, position, count),
  write: (file, data, position) => writeTmpfs(file.inode, data, position),
};

/** The bytes of a tmpfs file as a mmap/exec page source; MAP_SHARED maps the file's own pages. */
export function tmpfsPageSource(inode: Inode, name: string): PageSource {
  const pages = physicalPagesOf(inode);
  return {
    name,
    readAt: (offset, dest) => {
      const data = readTmpfs(inode, offset, dest.length);
      dest.set(data);
      return data.length;
    },
    sharedPage: (index) => {
      let page = inode.pages.get(index);
      if (page === undefined) {
        page = pages.allocZeroedPage();
        if (page < 0) return -1;
        inode.pages.set(index, page);
      }
      return page;
    },
    // A mapping keeps the file's data alive like an open file does (an unlinked file, or an anonymous shmem object).
    hold: () => { inode.openCount++; },
    release: () => {
      inode.openCount--;
      if (inode.openCount === 0 && inode.nlink === 0) truncateTmpfs(inode, 0);
    },
  };
}

/** An unlinked tmpfs file backing MAP_SHARED | MAP_ANONYMOUS (mm/shmem.c shmem_zero_setup). */
export function createShmemObject(superblock: Superblock, size: number): Inode {
  const inode = new Inode(superblock, superblock.nextIno++, S_IFREG | 0o600, tmpfsFileOps);
  inode.nlink = 0;
  inode.size = size;
  return inode;
}
