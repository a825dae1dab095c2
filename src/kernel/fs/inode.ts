/**
 * The VFS core types (Linux's include/linux/fs.h, reduced): Inode, Dentry,
 * Superblock and the ops interfaces filesystems and devices implement.
 * An ops method left out means "not supported": the VFS answers with the
 * errno Linux gives (EINVAL for read on a directory file op, ENOTTY for ioctl...).
 */
import type { WaitQueue, Waiter } from '../lib/index.js';

export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;

export const isDirectory = (mode: number): boolean => (mode & S_IFMT) === S_IFDIR;
export const isSymlink = (mode: number): boolean => (mode & S_IFMT) === S_IFLNK;
export const isRegular = (mode: number): boolean => (mode & S_IFMT) === S_IFREG;

/** The open-file state ops see (implemented by OpenFile in file.ts; declared here to keep imports acyclic). */
export interface OpenFile {
  readonly inode: Inode;
  flags: number;
  position: number;
  readonly path: string;
}

/** What a blocking file operation needs from the caller: the waiter to queue, whether to block at all. */
export interface IoContext {
  readonly waiter: Waiter;
  /** Called when the operation would block: queues the waiter; returns -ERESTARTSYS. */
  block(queue: WaitQueue): number;
  /** Writes to a pipe with no readers raise SIGPIPE. */
  sendSigpipe(): void;
}

/** The user-memory access an ioctl needs; supplied by the syscall layer. */
export interface UserAccess {
  copyToUser(address: number, data: Uint8Array): number;
  copyFromUser(address: number, length: number): Uint8Array | number;
}

export interface FileOps {
  /** Returns the bytes read (empty at end of file) or a negative errno (-EAGAIN, -ERESTARTSYS...). */
  read?(file: OpenFile, count: number, position: number, io: IoContext): Uint8Array | number;
  /** Returns the number of bytes written or a negative errno. */
  write?(file: OpenFile, data: Uint8Array, position: number, io: IoContext): number;
  /** If left out, ioctl fails with ENOTTY. */
  ioctl?(file: OpenFile, request: number, argument: number, user: UserAccess): number;
  /** Poll readiness: POLLIN / POLLOUT / POLLHUP bits, and the queue to wait on. */
  poll?(file: OpenFile): { events: number; queue: WaitQueue | null };
  release?(file: OpenFile): void;
  /** Regular files are seekable; devices that leave this out report ESPIPE for pipes, 0 otherwise. */
  seekable?: boolean;
}

export interface Superblock {
  readonly type: string;
  readonly device: number;
  nextIno: number;
}

export class Inode {
  nlink = 1;
  uid = 0;
  gid = 0;
  size = 0;
  atime = 0;
  mtime = 0;
  ctime = 0;
  /** Device number (major << 8 | minor) of device files. */
  rdev = 0;
  /** Directory entries, for directories. */
  readonly children = new Map<string, Inode>();
  /** Parent directory, for directories (getcwd, ".."). */
  parent: Inode | null = null;
  /** File data as RAM page addresses by page index (absent = hole), for tmpfs regular files. */
  readonly pages = new Map<number, number>();
  symlinkTarget = '';
  /** Directory holding a mounted filesystem's root. */
  mounted: Inode | null = null;
  /** Open file descriptions: an unlinked file keeps its data until the last closes. */
  openCount = 0;
  /** For named pipes and other objects with private state. */
  private_: unknown = null;

  constructor(readonly superblock: Superblock, readonly ino: number, public mode: number, public fileOps: FileOps) {}
}
