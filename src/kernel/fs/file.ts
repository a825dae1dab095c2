/**
 * An open file description (Linux's struct file): shared by dup'ed fds and
 * across fork, it holds the position and status flags. `path` is the name it
 * was opened by, for /proc/PID/fd and readlink.
 */
import type { FileOps, Inode, OpenFile as OpenFileState } from './inode.js';
import { releaseInodeIfUnused } from './inode.js';
import { releaseFileLocks } from './locks.js';
import type { LockOwner } from './locks.js';

export const O_ACCMODE = 0o3;
export const O_RDONLY = 0o0;
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_NOCTTY = 0o400;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_CLOEXEC = 0o2000000;
export const O_PATH = 0o10000000;
export const O_LARGEFILE = 0o100000;

export class OpenFile implements OpenFileState {
  position = 0;
  references = 1;
  /** As FdTable.lockWaitsFor, for OFD locks (which never take part in deadlock detection). */
  lockWaitsFor: LockOwner | null = null;

  constructor(readonly inode: Inode, public flags: number, readonly path: string, readonly ops: FileOps = inode.fileOps) {
    inode.openCount++;
  }

  get readable(): boolean { return (this.flags & O_ACCMODE) !== O_WRONLY && (this.flags & O_PATH) === 0; }
  get writable(): boolean { return (this.flags & O_ACCMODE) !== O_RDONLY && (this.flags & O_PATH) === 0; }
}

/** Drops one reference; the last one releases the description (and an unlinked file's data). */
export function putFile(file: OpenFile): void {
  if (--file.references > 0) return;
  file.ops.release?.(file);
  const inode = file.inode;
  releaseFileLocks(inode, file);
  inode.openCount--;
  releaseInodeIfUnused(inode);
}
