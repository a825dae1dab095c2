/**
 * The VFS core types (Linux's include/linux/fs.h, reduced): Inode, Superblock
 * and the ops tables filesystems and devices implement (SuperOps, InodeOps,
 * FileOps). An ops method left out means "not supported": the VFS answers with
 * the errno Linux gives (EPERM for mkdir, EINVAL for read on a directory, ENOTTY for ioctl...).
 *
 * ── For filesystem writers (engineer "ext2", vfat, procfs) ─────────────────────
 * A filesystem is a FileSystemType (filesystem-type.ts) whose mount(source, flags, data)
 * returns a Superblock with `root` set: a directory Inode whose `ops` (InodeOps) and
 * `fileOps` (FileOps) do the rest. Make inodes with `new Inode(superblock, ino, mode, fileOps)`
 * and set `inode.ops`; keep fs-private state in `inode.private_`; keep your own ino → Inode
 * cache in the superblock so that hard links give one Inode (the VFS compares inodes by identity).
 * - Path walk: `dir.children` is the dentry cache (name → Inode, positive entries only). The VFS
 *   looks there first and calls `dir.ops.lookup(dir, name)` on a miss, then caches the answer and
 *   sets `child.parent = dir` for directories. Namespace ops (create, mkdir, mknod, symlink, link,
 *   unlink, rmdir, rename) change the disk only: the VFS updates the dentry cache and nlink of
 *   directories is the filesystem's business (set it in your ops as ext2 stores it).
 * - Data: FileOps.read/write (position given; return bytes or -errno), readdir (emit entries from
 *   a cursor you define, e.g. a byte offset in the directory), fsync, fallocate, and pageSource
 *   (mmap and exec read file pages through it). Block I/O goes through MountRequest.device, a
 *   BlockDevice (readBlock/writeBlock/flush) backed by the page cache of src/kernel/block, which
 *   writes dirty pages back every 5 s, on sync/fsync/umount and under memory pressure.
 * - SuperOps.evict(inode) is called when the last link and the last open file/mapping are gone
 *   (free the blocks then); writeInode when inode fields changed (chmod, utimes, size);
 *   sync on sync(2)/syncfs/umount; statfs for statfs64; putSuper at umount.
 * - Errors are negative errnos; a corrupt disk answers -EIO or -EUCLEAN (and logs), never throws.
 * Mounts (mount.ts): a Mount joins a superblock's root (or a bind-mounted directory) to a
 * mountpoint directory; `inode.mountedHere` is crossed going down, `inode.mountRootOf` going up.
 */
import type { WaitQueue, Waiter } from '../lib/index.js';
import type { PageSource, ReverseMap } from '../mm/index.js';
import type { InodeLocks } from './locks.js';

export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;
export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ISVTX = 0o1000;

export const isDirectory = (mode: number): boolean => (mode & S_IFMT) === S_IFDIR;
export const isSymlink = (mode: number): boolean => (mode & S_IFMT) === S_IFLNK;
export const isRegular = (mode: number): boolean => (mode & S_IFMT) === S_IFREG;
export const isDeviceNode = (mode: number): boolean => (mode & S_IFMT) === S_IFCHR || (mode & S_IFMT) === S_IFBLK;

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
  /**
   * The same for a wait no signal may interrupt (a disk transfer, Linux's TASK_UNINTERRUPTIBLE): signals stay
   * pending until the queue wakes the task, so a read of a regular file never fails with EINTR.
   */
  blockUninterruptible(queue: WaitQueue): number;
  /** Writes to a pipe with no readers raise SIGPIPE. */
  sendSigpipe(): void;
}

/** The user-memory access an ioctl needs; supplied by the syscall layer. */
export interface UserAccess {
  copyToUser(address: number, data: Uint8Array): number;
  copyFromUser(address: number, length: number): Uint8Array | number;
}

/** One directory entry handed to a readdir `emit` callback; `next` is the cursor just after it. */
export interface DirectoryEntry {
  readonly name: string;
  readonly ino: number;
  /** d_type (DT_REG = 8, DT_DIR = 4, ...; 0 = unknown). */
  readonly type: number;
  readonly next: number;
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
  /** write() copies the bytes it takes before it returns and keeps no reference to `data` (the caller may reuse it). */
  writeCopies?: boolean;
  /**
   * Directories (iterate_shared): emits entries from `cursor` ("." and ".." included) until
   * `emit` returns false (the user buffer is full); returns 0 or a negative errno.
   */
  readdir?(file: OpenFile, cursor: number, emit: (entry: DirectoryEntry) => boolean): number;
  /** fsync(2)/fdatasync(2): data (and metadata unless dataOnly) on stable storage. Left out: nothing to do. */
  fsync?(file: OpenFile, dataOnly: boolean): number;
  /** fallocate(2) mode 0 / FALLOC_FL_KEEP_SIZE: reserves blocks. Left out: EOPNOTSUPP. */
  fallocate?(file: OpenFile, mode: number, offset: number, length: number): number;
  /** The file's bytes for mmap and exec (Linux's address_space). Left out: ENODEV for mmap, EACCES for exec. */
  pageSource?(inode: Inode, name: string): PageSource;
}

/** Attribute changes for InodeOps.setattr (struct iattr); absent fields stay. Times in ns since the epoch. */
export interface Attributes {
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  atime?: number;
  mtime?: number;
  ctime?: number;
}

/** Namespace operations on directories and attributes (struct inode_operations). */
export interface InodeOps {
  /** Finds `name` in `directory` (not in the dentry cache yet); -ENOENT if absent. */
  lookup?(directory: Inode, name: string): Inode | number;
  /** Creates a regular file. */
  create?(directory: Inode, name: string, mode: number): Inode | number;
  /** Creates a directory (nlink 2; the parent's nlink goes up). */
  mkdir?(directory: Inode, name: string, mode: number): Inode | number;
  /** Creates a device node, FIFO or socket. */
  mknod?(directory: Inode, name: string, mode: number, rdev: number): Inode | number;
  symlink?(directory: Inode, name: string, target: string): Inode | number;
  /** Adds a name for `inode` (a non-directory of the same superblock). */
  link?(inode: Inode, directory: Inode, name: string): number;
  /** Removes the name of a non-directory; the fs drops nlink (evict comes later from the VFS). */
  unlink?(directory: Inode, name: string, inode: Inode): number;
  /** Removes an empty directory. */
  rmdir?(directory: Inode, name: string, inode: Inode): number;
  /** Moves a name; `replaced` is the inode the new name had (already checked compatible and empty). */
  rename?(oldDirectory: Inode, oldName: string, inode: Inode, newDirectory: Inode, newName: string, replaced: Inode | null): number;
  readlink?(inode: Inode): string | number;
  /**
   * Magic links (procfs fd/N, cwd, exe, root): the object the link stands for, which path walks
   * jump to instead of resolving the readlink text (nd_jump_link); null: follow the text.
   */
  followLink?(inode: Inode): Inode | number | null;
  /** Applies attribute changes (size = truncate or extend); the VFS has checked permissions. */
  setattr?(inode: Inode, attributes: Attributes): number;
  /** Refreshes the inode's fields before a stat (procfs); left out: fields are current. */
  getattr?(inode: Inode): void;
}

/** statfs64 figures (struct kstatfs). */
export interface FilesystemStatistics {
  readonly type: number;
  readonly blockSize: number;
  readonly blocks: number;
  readonly freeBlocks: number;
  readonly availableBlocks: number;
  readonly files: number;
  readonly freeFiles: number;
  readonly nameLength: number;
}

/** Whole-filesystem operations (struct super_operations). */
export interface SuperOps {
  statfs?(superblock: Superblock): FilesystemStatistics | number;
  /** Writes back everything dirty (sync(2), syncfs(2), umount). */
  sync?(superblock: Superblock): number;
  /** Unmount: the last mount of the superblock went away (after sync). */
  putSuper?(superblock: Superblock): void;
  /** The inode's fields changed (times, mode, owner, size). */
  writeInode?(inode: Inode): number;
  /** Last link and last user gone: free the inode and its data. */
  evict?(inode: Inode): void;
  /** MS_REMOUNT with new superblock flags (MS_RDONLY...); -errno to refuse. */
  remount?(superblock: Superblock, flags: number, data: string): number;
}

export interface Superblock {
  readonly type: string;
  /** st_dev of its inodes. */
  readonly device: number;
  /** The next inode number, for in-memory filesystems. */
  nextIno: number;
  ops?: SuperOps;
  /** The filesystem's root directory (set by mount). */
  root?: Inode;
  /** Superblock flags: MS_RDONLY (1) when mounted read-only everywhere. */
  flags?: number;
  /** Mounts using this superblock (umount puts the superblock when it reaches 0). */
  mountCount?: number;
}

export const noInodeOps: InodeOps = {};

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
  /** 512-byte blocks allocated (st_blocks), for filesystems that count them; tmpfs derives it from pages. */
  blocks = 0;
  ops: InodeOps = noInodeOps;
  /** The dentry cache of a directory: name → inode for names looked up or created (all of tmpfs's). */
  readonly children = new Map<string, Inode>();
  /** readdir cursors of in-memory directories: name → sequence number when the entry was added. */
  readonly childOffsets = new Map<string, number>();
  /** The next readdir cursor of an in-memory directory (0 and 1 are "." and ".."). */
  nextChildOffset = 2;
  /** Parent directory, for directories (getcwd, ".."); a filesystem root is its own parent. */
  parent: Inode | null = null;
  /** File data as RAM page addresses by page index (absent = hole), for tmpfs regular files. */
  readonly pages = new Map<number, number>();
  /** The address spaces mapping `pages` (i_mmap), made at the first mmap of a tmpfs file. */
  mappings: ReverseMap | null = null;
  /** The target of an in-memory symlink (filesystems with readlink ops leave it empty). */
  symlinkTarget = '';
  /** The topmost filesystem mounted on this directory. */
  mountedHere: MountLink | null = null;
  /** The mount whose root this directory is ("..": go to its mountpoint first). */
  mountRootOf: MountLink | null = null;
  /** Open file descriptions and mappings: an unlinked file keeps its data until the last goes. */
  openCount = 0;
  /** Filesystem-private state (ext2's block map, a pipe...). */
  private_: unknown = null;
  /** Advisory locks on the file (locks.ts; Linux's i_flctx), made on first use. */
  fileLocks: InodeLocks | null = null;

  constructor(readonly superblock: Superblock, readonly ino: number, public mode: number, public fileOps: FileOps) {}
}

/** Frees an inode once its last link and last user are gone (iput → evict). */
export function releaseInodeIfUnused(inode: Inode): void {
  if (inode.nlink === 0 && inode.openCount === 0) inode.superblock.ops?.evict?.(inode);
}

/** What an inode knows of a mount (the Mount class in mount.ts implements it). */
export interface MountLink {
  readonly root: Inode;
  readonly mountpoint: Inode | null;
  flags: number;
}
