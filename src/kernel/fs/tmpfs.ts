/**
 * tmpfs: a filesystem whose file data lives in RAM pages from the buddy
 * allocator (inode.pages maps page index to physical address; a missing page is a hole that
 * reads as zeros), so file data counts in memory figures as on Linux. Its directories live
 * only in the dentry cache (inode.children), as Linux's ramfs/shmem do (simple_lookup).
 * Interface: createTmpfs(pages, device) → root inode; tmpfsInodeOps, tmpfsFileOps; helpers
 * for truncate and for mapping a file (PageSource).
 */
import { EFBIG, EIO, ENOMEM, ENOSPC } from '../lib/index.js';
import type { PageSource, PhysicalPages } from '../mm/index.js';
import { PAGE_SIZE, ReverseMap } from '../mm/index.js';
import type { Attributes, DirectoryEntry, FileOps, FilesystemStatistics, InodeOps, OpenFile, SuperOps, Superblock } from './inode.js';
import { Inode, isDirectory, releaseInodeIfUnused, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from './inode.js';

export interface TmpfsSuperblock extends Superblock {
  readonly pages: PhysicalPages;
}

/** TMPFS_MAGIC (include/uapi/linux/magic.h). */
export const TMPFS_MAGIC = 0x01021994;

const BOGO_DIRENT_SIZE = 20;

export function createTmpfs(pages: PhysicalPages, device: number, type = 'tmpfs'): Inode {
  const superblock: TmpfsSuperblock = { type, device, nextIno: 2, pages, ops: tmpfsSuperOps };
  const root = new Inode(superblock, 1, S_IFDIR | 0o755, directoryFileOps);
  root.ops = tmpfsInodeOps;
  root.parent = root;
  root.nlink = 2;
  superblock.root = root;
  return root;
}

export function physicalPagesOf(inode: Inode): PhysicalPages {
  return (inode.superblock as TmpfsSuperblock).pages;
}

/** readdir over an in-memory directory: ".", "..", then the dentry cache in insertion order (dcache_readdir). */
export function memoryReaddir(file: OpenFile, cursor: number, emit: (entry: DirectoryEntry) => boolean): number {
  const directory = file.inode;
  if (cursor < 1 && !emit({ name: '.', ino: directory.ino, type: 4, next: 1 })) return 0;
  if (cursor < 2 && !emit({ name: '..', ino: (directory.parent ?? directory).ino, type: 4, next: 2 })) return 0;
  for (const [name, child] of directory.children) {
    const offset = directory.childOffsets.get(name) ?? 0;
    if (offset < cursor) continue;
    if (!emit({ name, ino: child.ino, type: (child.mode & S_IFMT) >>> 12, next: offset + 1 })) return 0;
  }
  return 0;
}

/** Directories answer read(2) with EISDIR, via the VFS; getdents64 lists the dentry cache. */
export const directoryFileOps: FileOps = { seekable: true, readdir: memoryReaddir };

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

/**
 * Sets the size, freeing whole pages past the end and zeroing the tail of the last one; mappings
 * of the freed pages go first, so a later access past the end is SIGBUS (shmem_setattr).
 */
export function truncateTmpfs(inode: Inode, size: number): void {
  if (inode.pages.size === 0) { inode.size = size; return; }
  const pages = physicalPagesOf(inode);
  const keep = Math.ceil(size / PAGE_SIZE);
  inode.mappings?.unmapFrom(inode, keep);
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

/**
 * The bytes of a tmpfs file as a mmap/exec page source: both kinds of mapping map the file's own
 * pages (a private one read-only until its first store copies the page), a hole gets its page at
 * the first fault, and a page wholly past the end of the file is SIGBUS (shmem_fault).
 */
export function tmpfsPageSource(inode: Inode, name: string): PageSource {
  const pages = physicalPagesOf(inode);
  const page = (index: number): number => {
    if (index * PAGE_SIZE >= inode.size) return -EIO;
    let frame = inode.pages.get(index);
    if (frame === undefined) {
      frame = pages.allocZeroedPage();
      if (frame < 0) return -ENOMEM;
      inode.pages.set(index, frame);
    }
    return frame;
  };
  return {
    name,
    owner: inode,
    file: inode,
    readAt: (offset, dest) => {
      const data = readTmpfs(inode, offset, dest.length);
      dest.set(data);
      return data.length;
    },
    sharedPage: page,
    privatePage: page,
    // A mapping keeps the file's data alive like an open file does (an unlinked file, or an anonymous shmem object).
    hold: (space) => {
      inode.openCount++;
      (inode.mappings ??= new ReverseMap()).add(space);
    },
    release: (space) => {
      inode.mappings?.remove(space);
      inode.openCount--;
      releaseInodeIfUnused(inode);
    },
  };
}

export const tmpfsFileOps: FileOps = {
  seekable: true,
  read: (file, count, position) => readTmpfs(file.inode, position, count),
  write: (file, data, position) => writeTmpfs(file.inode, data, position),
  pageSource: tmpfsPageSource,
  // shmem_fallocate: pages are allocated on write; reserving them ahead is not needed for correctness.
  fallocate: (file, mode, offset, length) => {
    if ((mode & 1) === 0 && offset + length > file.inode.size) file.inode.size = offset + length;
    return 0;
  },
};

/** Device nodes, FIFOs and sockets made by mknod: open finds their driver by rdev (see Vfs.openOps). */
export const specialFileOps: FileOps = {};

function newTmpfsInode(directory: Inode, mode: number, fileOps: FileOps): Inode {
  const superblock = directory.superblock;
  const inode = new Inode(superblock, superblock.nextIno++, mode, fileOps);
  inode.ops = tmpfsInodeOps;
  return inode;
}

/** The namespace ops of tmpfs: the dentry cache is the directory, so they only keep nlink. */
export const tmpfsInodeOps: InodeOps = {
  lookup: () => -2, // ENOENT: every name of tmpfs is in the dentry cache
  create: (directory, _name, mode) => newTmpfsInode(directory, S_IFREG | (mode & 0o7777), tmpfsFileOps),
  mkdir: (directory, _name, mode) => {
    const inode = newTmpfsInode(directory, S_IFDIR | (mode & 0o7777), directoryFileOps);
    inode.nlink = 2;
    directory.nlink++;
    return inode;
  },
  mknod: (directory, _name, mode, rdev) => {
    const inode = newTmpfsInode(directory, mode, specialFileOps);
    inode.rdev = rdev;
    return inode;
  },
  symlink: (directory, _name, target) => {
    const inode = newTmpfsInode(directory, S_IFLNK | 0o777, tmpfsFileOps);
    inode.symlinkTarget = target;
    inode.size = new TextEncoder().encode(target).length;
    return inode;
  },
  link: (inode) => { inode.nlink++; return 0; },
  unlink: (_directory, _name, inode) => { inode.nlink = Math.max(0, inode.nlink - 1); return 0; },
  rmdir: (directory, _name, inode) => { directory.nlink--; inode.nlink = 0; return 0; },
  rename: (oldDirectory, _oldName, inode, newDirectory, _newName, replaced) => {
    if (replaced) {
      if (isDirectory(replaced.mode)) { replaced.nlink = 0; newDirectory.nlink--; } else replaced.nlink = Math.max(0, replaced.nlink - 1);
    }
    if (isDirectory(inode.mode) && oldDirectory !== newDirectory) { oldDirectory.nlink--; newDirectory.nlink++; }
    return 0;
  },
  readlink: (inode) => inode.symlinkTarget,
  // tmpfs reports a directory's size as 20 bytes per entry, "." and ".." included (mm/shmem.c BOGO_DIRENT_SIZE).
  getattr: (inode) => {
    if (isDirectory(inode.mode)) inode.size = BOGO_DIRENT_SIZE * (inode.children.size + 2);
    inode.blocks = inode.pages.size * (PAGE_SIZE / 512);
  },
  setattr: (inode, attributes) => setattrTmpfs(inode, attributes),
};

/** Applies attributes to an in-memory inode (simple_setattr): a smaller size frees pages. */
export function setattrTmpfs(inode: Inode, attributes: Attributes): number {
  if (attributes.size !== undefined) {
    if (attributes.size > MAX_FILE_SIZE) return -EFBIG;
    if (attributes.size < inode.size) truncateTmpfs(inode, attributes.size);
    else inode.size = attributes.size;
  }
  if (attributes.mode !== undefined) inode.mode = (inode.mode & S_IFMT) | (attributes.mode & 0o7777);
  if (attributes.uid !== undefined) inode.uid = attributes.uid;
  if (attributes.gid !== undefined) inode.gid = attributes.gid;
  if (attributes.atime !== undefined) inode.atime = attributes.atime;
  if (attributes.mtime !== undefined) inode.mtime = attributes.mtime;
  if (attributes.ctime !== undefined) inode.ctime = attributes.ctime;
  return 0;
}

export const tmpfsSuperOps: SuperOps = {
  evict: (inode) => { if (!isDirectory(inode.mode)) truncateTmpfs(inode, 0); },
  // kill_litter_super: the last unmount frees every file; ones still open go with their last close.
  putSuper: (superblock) => { if (superblock.root) dropTree(superblock.root); },
  statfs: (superblock): FilesystemStatistics => {
    const buddy = (superblock as TmpfsSuperblock).pages.buddy;
    // shmem_statfs with the default size: half of RAM, free pages as available.
    const blocks = Math.floor(buddy.totalPageCount / 2);
    const free = Math.min(blocks, buddy.freePageCount);
    return { type: TMPFS_MAGIC, blockSize: PAGE_SIZE, blocks, freeBlocks: free, availableBlocks: free, files: blocks, freeFiles: blocks - superblock.nextIno + 1, nameLength: 255 };
  },
};

function dropTree(directory: Inode): void {
  for (const child of directory.children.values()) {
    if (isDirectory(child.mode)) dropTree(child);
    child.nlink = 0;
    releaseInodeIfUnused(child);
  }
  directory.children.clear();
  directory.childOffsets.clear();
}

/** An unlinked tmpfs file backing MAP_SHARED | MAP_ANONYMOUS (mm/shmem.c shmem_zero_setup). */
export function createShmemObject(superblock: Superblock, size: number): Inode {
  const inode = new Inode(superblock, superblock.nextIno++, S_IFREG | 0o600, tmpfsFileOps);
  inode.ops = tmpfsInodeOps;
  inode.nlink = 0;
  inode.size = size;
  return inode;
}

