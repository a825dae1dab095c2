/**
 * Syscalls that name files by path: open/openat/creat, the stat family,
 * access, readlink, mkdir, rmdir, unlink, rename, link, symlink, chdir,
 * getcwd, chmod/chown, truncate, utimensat. Paths resolve from the task's
 * root and cwd, or from a directory fd (the *at forms, AT_FDCWD = -100).
 */
import { EBADF, EEXIST, EFBIG, EFAULT, EINVAL, EISDIR, ELOOP, ENOENT, ENOTDIR, EPERM, ERANGE, EROFS } from '../lib/index.js';
import type { FsCredentials, Inode } from '../fs/index.js';
import {
  encodeStat64, encodeStatx, isDirectory, isRegular, isSymlink, O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL,
  O_NOFOLLOW, O_PATH, O_RDONLY, O_TRUNC, O_WRONLY, OpenFile, S_IFDIR, S_IFREG, S_ISGID, S_ISUID, MAX_FILE_SIZE,
  checkSticky, inGroup, inodePermission, MAY_EXEC, MAY_READ, MAY_WRITE, ownerOrCapable,
} from '../fs/index.js';
import { copyFromUser, copyToUser } from '../mm/index.js';
import type { SyscallContext } from './entry.js';
import { readPath } from './user-strings.js';

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
export const AT_SYMLINK_FOLLOW = 0x400;
export const AT_EMPTY_PATH = 0x1000;
export const AT_EACCESS = 0x200;

/** The directory a relative path starts from. */
function baseDirectory(context: SyscallContext, dirfd: number): Inode | number {
  if ((dirfd | 0) === AT_FDCWD) return context.task.fs.cwd;
  const file = context.task.files.get(dirfd | 0);
  if (!file) return -EBADF;
  return isDirectory(file.inode.mode) ? file.inode : -ENOTDIR;
}

function resolve(context: SyscallContext, dirfd: number, pathAddress: number, follow: boolean, emptyPath = false, credentials: FsCredentials = context.task.credentials): Inode | number {
  const path = readPath(context.task.mm, pathAddress);
  if (typeof path === 'number') return path;
  if (path === '' && emptyPath) {
    if ((dirfd | 0) === AT_FDCWD) return context.task.fs.cwd;
    return context.task.files.get(dirfd | 0)?.inode ?? -EBADF;
  }
  const base = path.startsWith('/') ? context.task.fs.root : baseDirectory(context, dirfd);
  if (typeof base === 'number') return base;
  return context.kernel.vfs.lookup(context.task.fs.root, base, path, follow, credentials);
}

function resolveParent(context: SyscallContext, dirfd: number, pathAddress: number) {
  const path = readPath(context.task.mm, pathAddress);
  if (typeof path === 'number') return path;
  const base = path.startsWith('/') ? context.task.fs.root : baseDirectory(context, dirfd);
  if (typeof base === 'number') return base;
  return context.kernel.vfs.lookupParent(context.task.fs.root, base, path, context.task.credentials);
}

/** may_create: write and search permission on the directory that gets the new name. */
const mayCreate = (context: SyscallContext, directory: Inode): number => inodePermission(directory, MAY_WRITE | MAY_EXEC, context.task.credentials);

/** may_delete: write and search on the directory, and the sticky rule for the victim. */
function mayDelete(context: SyscallContext, directory: Inode, name: string): number {
  const allowed = mayCreate(context, directory);
  if (allowed < 0) return allowed;
  const victim = context.kernel.vfs.lookupChild(directory, name);
  return typeof victim === 'number' ? 0 : checkSticky(directory, victim, context.task.credentials);
}

/** Implements openat(2). */
export function sysOpenat(context: SyscallContext, dirfd: number, pathAddress: number, flags: number, mode: number): number {
  const { kernel, task } = context;
  const path = readPath(task.mm, pathAddress);
  if (typeof path === 'number') return path;
  let inode = resolve(context, dirfd, pathAddress, (flags & O_NOFOLLOW) === 0);
  if (flags & O_CREAT) {
    if (typeof inode !== 'number' && flags & O_EXCL) return -EEXIST;
    if (inode === -ENOENT) {
      const parent = resolveParent(context, dirfd, pathAddress);
      if (typeof parent === 'number') return parent;
      const allowed = mayCreate(context, parent.parent);
      if (allowed < 0) return allowed;
      inode = kernel.vfs.create(parent.parent, parent.name, S_IFREG | (mode & 0o7777 & ~task.fs.umask));
      if (typeof inode !== 'number') {
        inode.uid = task.credentials.euid;
        // A setgid directory gives new files its group (inode_init_owner).
        inode.gid = parent.parent.mode & S_ISGID ? parent.parent.gid : task.credentials.egid;
      }
    } else if (typeof inode !== 'number' && !(flags & O_PATH)) {
      const allowed = openPermission(context, inode, flags);
      if (allowed < 0) return allowed;
    }
  } else if (typeof inode !== 'number' && !(flags & O_PATH)) {
    const allowed = openPermission(context, inode, flags);
    if (allowed < 0) return allowed;
  }
  if (typeof inode === 'number') return inode;
  if (isSymlink(inode.mode) && !(flags & O_PATH)) return -ELOOP;
  if (flags & O_DIRECTORY && !isDirectory(inode.mode)) return -ENOTDIR;
  if (isDirectory(inode.mode) && (flags & O_ACCMODE) !== O_RDONLY) return -EISDIR;
  // may_open: writing a file of a read-only mount is EROFS (devices and FIFOs excepted).
  if ((flags & O_ACCMODE) !== O_RDONLY && !(flags & O_PATH) && (isRegular(inode.mode) || isDirectory(inode.mode)) && kernel.vfs.readOnly(inode)) return -EROFS;
  const ops = flags & O_PATH ? inode.fileOps : kernel.vfs.openOps(inode, flags);
  if (typeof ops === 'number') return ops;
  if (flags & O_TRUNC && isRegular(inode.mode) && (flags & O_ACCMODE) !== O_RDONLY) {
    const now = kernel.realtime();
    const truncated = kernel.vfs.setattr(inode, { size: 0, mtime: now, ctime: now });
    if (truncated < 0) return truncated;
  }
  return task.files.install(new OpenFile(inode, flags & ~O_CLOEXEC, path, ops), (flags & O_CLOEXEC) !== 0);
}

/** may_open: read for reading, write for writing or O_TRUNC. */
function openPermission(context: SyscallContext, inode: Inode, flags: number): number {
  const access = flags & O_ACCMODE;
  const mask = (access !== O_WRONLY ? MAY_READ : 0) | (access !== O_RDONLY || flags & O_TRUNC ? MAY_WRITE : 0);
  return mask ? inodePermission(inode, mask, context.task.credentials) : 0;
}

/** Implements open(2). */
export function sysOpen(context: SyscallContext, pathAddress: number, flags: number, mode: number): number {
  return sysOpenat(context, AT_FDCWD, pathAddress, flags, mode);
}

/** Implements creat(2). */
export function sysCreat(context: SyscallContext, pathAddress: number, mode: number): number {
  return sysOpenat(context, AT_FDCWD, pathAddress, O_CREAT | O_TRUNC | 1, mode);
}

/** Implements fstatat64(2); stat64 and lstat64 are its AT_FDCWD forms. */
export function sysFstatat64(context: SyscallContext, dirfd: number, pathAddress: number, address: number, flags: number): number {
  const inode = resolve(context, dirfd, pathAddress, (flags & AT_SYMLINK_NOFOLLOW) === 0, (flags & AT_EMPTY_PATH) !== 0);
  if (typeof inode === 'number') return inode;
  return copyToUser(context.task.mm, address, encodeStat64(inode));
}

/** Implements stat64(2). */
export function sysStat64(context: SyscallContext, pathAddress: number, address: number): number {
  return sysFstatat64(context, AT_FDCWD, pathAddress, address, 0);
}

/** Implements lstat64(2). */
export function sysLstat64(context: SyscallContext, pathAddress: number, address: number): number {
  return sysFstatat64(context, AT_FDCWD, pathAddress, address, AT_SYMLINK_NOFOLLOW);
}

/** Implements fstat64(2). */
export function sysFstat64(context: SyscallContext, fd: number, address: number): number {
  const file = context.task.files.get(fd | 0);
  if (!file) return -EBADF;
  return copyToUser(context.task.mm, address, encodeStat64(file.inode));
}

/** Implements statx(2). */
export function sysStatx(context: SyscallContext, dirfd: number, pathAddress: number, flags: number, _mask: number, address: number): number {
  const inode = resolve(context, dirfd, pathAddress, (flags & AT_SYMLINK_NOFOLLOW) === 0, (flags & AT_EMPTY_PATH) !== 0);
  if (typeof inode === 'number') return inode;
  return copyToUser(context.task.mm, address, encodeStatx(inode));
}

/** Implements faccessat2(2) (access and faccessat too): root passes every check but existence. */
export function sysFaccessat2(context: SyscallContext, dirfd: number, pathAddress: number, mode: number, flags: number): number {
  if (mode & ~7) return -EINVAL;
  // access(2) checks with the real ids unless AT_EACCESS (do_faccessat's override_creds).
  const { uid, gid, groups } = context.task.credentials;
  const credentials = flags & AT_EACCESS ? context.task.credentials : { euid: uid, egid: gid, groups };
  const inode = resolve(context, dirfd, pathAddress, (flags & AT_SYMLINK_NOFOLLOW) === 0, (flags & AT_EMPTY_PATH) !== 0, credentials);
  if (typeof inode === 'number') return inode;
  if (mode & MAY_WRITE && context.kernel.vfs.readOnly(inode) && (isRegular(inode.mode) || isDirectory(inode.mode))) return -EROFS;
  return inodePermission(inode, mode, credentials);
}

/** Implements access(2). */
export function sysAccess(context: SyscallContext, pathAddress: number, mode: number): number {
  return sysFaccessat2(context, AT_FDCWD, pathAddress, mode, 0);
}

/** Implements faccessat(2). */
export function sysFaccessat(context: SyscallContext, dirfd: number, pathAddress: number, mode: number): number {
  return sysFaccessat2(context, dirfd, pathAddress, mode, 0);
}

/** Implements readlinkat(2). /proc/self/exe is answered from the task (partial: no procfs yet). */
export function sysReadlinkat(context: SyscallContext, dirfd: number, pathAddress: number, buffer: number, size: number): number {
  if ((size | 0) <= 0) return -EINVAL;
  const path = readPath(context.task.mm, pathAddress);
  if (typeof path === 'number') return path;
  const inode = resolve(context, dirfd, pathAddress, false);
  if (typeof inode === 'number') return inode;
  const link = context.kernel.vfs.readlink(inode);
  if (typeof link === 'number') return link;
  const target = new TextEncoder().encode(link).subarray(0, size);
  return copyToUser(context.task.mm, buffer, target) < 0 ? -EFAULT : target.length;
}

/** Implements readlink(2). */
export function sysReadlink(context: SyscallContext, pathAddress: number, buffer: number, size: number): number {
  return sysReadlinkat(context, AT_FDCWD, pathAddress, buffer, size);
}

/** Implements mkdirat(2). */
export function sysMkdirat(context: SyscallContext, dirfd: number, pathAddress: number, mode: number): number {
  const parent = resolveParent(context, dirfd, pathAddress);
  if (typeof parent === 'number') return parent;
  const allowed = mayCreate(context, parent.parent);
  if (allowed < 0) return allowed;
  const made = context.kernel.vfs.create(parent.parent, parent.name, S_IFDIR | (mode & 0o7777 & ~context.task.fs.umask));
  if (typeof made === 'number') return made;
  made.uid = context.task.credentials.euid;
  made.gid = parent.parent.mode & S_ISGID ? parent.parent.gid : context.task.credentials.egid;
  if (parent.parent.mode & S_ISGID) made.mode |= S_ISGID;
  return 0;
}

/** Implements mkdir(2). */
export function sysMkdir(context: SyscallContext, pathAddress: number, mode: number): number {
  return sysMkdirat(context, AT_FDCWD, pathAddress, mode);
}

/** Implements unlinkat(2). */
export function sysUnlinkat(context: SyscallContext, dirfd: number, pathAddress: number, flags: number): number {
  if (flags & ~AT_REMOVEDIR) return -EINVAL;
  const parent = resolveParent(context, dirfd, pathAddress);
  if (typeof parent === 'number') return parent;
  const allowed = mayDelete(context, parent.parent, parent.name);
  if (allowed < 0) return allowed;
  return context.kernel.vfs.remove(parent.parent, parent.name, (flags & AT_REMOVEDIR) !== 0);
}

/** Implements unlink(2). */
export function sysUnlink(context: SyscallContext, pathAddress: number): number {
  return sysUnlinkat(context, AT_FDCWD, pathAddress, 0);
}

/** Implements rmdir(2). */
export function sysRmdir(context: SyscallContext, pathAddress: number): number {
  return sysUnlinkat(context, AT_FDCWD, pathAddress, AT_REMOVEDIR);
}

/** Implements renameat2(2) (flags: only 0; RENAME_NOREPLACE checked). */
export function sysRenameat2(context: SyscallContext, oldDirfd: number, oldAddress: number, newDirfd: number, newAddress: number, flags: number): number {
  if (flags & ~1) return -EINVAL;
  const from = resolveParent(context, oldDirfd, oldAddress);
  if (typeof from === 'number') return from;
  const to = resolveParent(context, newDirfd, newAddress);
  if (typeof to === 'number') return to;
  if (flags & 1 && typeof context.kernel.vfs.lookupChild(to.parent, to.name) !== 'number') return -EEXIST;
  const allowed = Math.min(mayDelete(context, from.parent, from.name), mayDelete(context, to.parent, to.name));
  if (allowed < 0) return allowed;
  return context.kernel.vfs.rename(from.parent, from.name, to.parent, to.name);
}

/** Implements rename(2). */
export function sysRename(context: SyscallContext, oldAddress: number, newAddress: number): number {
  return sysRenameat2(context, AT_FDCWD, oldAddress, AT_FDCWD, newAddress, 0);
}

/** Implements renameat(2). */
export function sysRenameat(context: SyscallContext, oldDirfd: number, oldAddress: number, newDirfd: number, newAddress: number): number {
  return sysRenameat2(context, oldDirfd, oldAddress, newDirfd, newAddress, 0);
}

/** Implements linkat(2). */
export function sysLinkat(context: SyscallContext, oldDirfd: number, oldAddress: number, newDirfd: number, newAddress: number, flags: number): number {
  const target = resolve(context, oldDirfd, oldAddress, (flags & AT_SYMLINK_FOLLOW) !== 0, (flags & AT_EMPTY_PATH) !== 0);
  if (typeof target === 'number') return target;
  const to = resolveParent(context, newDirfd, newAddress);
  if (typeof to === 'number') return to;
  const allowed = mayCreate(context, to.parent);
  if (allowed < 0) return allowed;
  return context.kernel.vfs.link(target, to.parent, to.name);
}

/** Implements link(2). */
export function sysLink(context: SyscallContext, oldAddress: number, newAddress: number): number {
  return sysLinkat(context, AT_FDCWD, oldAddress, AT_FDCWD, newAddress, 0);
}

/** Implements symlinkat(2). */
export function sysSymlinkat(context: SyscallContext, targetAddress: number, dirfd: number, pathAddress: number): number {
  const target = readPath(context.task.mm, targetAddress);
  if (typeof target === 'number') return target;
  if (target === '') return -ENOENT;
  const at = resolveParent(context, dirfd, pathAddress);
  if (typeof at === 'number') return at;
  const allowed = mayCreate(context, at.parent);
  if (allowed < 0) return allowed;
  const result = context.kernel.vfs.symlink(at.parent, at.name, target);
  const made = result === 0 ? at.parent.children.get(at.name) : undefined;
  if (made) { made.uid = context.task.credentials.euid; made.gid = context.task.credentials.egid; }
  return result;
}

/** Implements symlink(2). */
export function sysSymlink(context: SyscallContext, targetAddress: number, pathAddress: number): number {
  return sysSymlinkat(context, targetAddress, AT_FDCWD, pathAddress);
}

/** Implements chdir(2). */
export function sysChdir(context: SyscallContext, pathAddress: number): number {
  const inode = resolve(context, AT_FDCWD, pathAddress, true);
  if (typeof inode === 'number') return inode;
  if (!isDirectory(inode.mode)) return -ENOTDIR;
  const allowed = inodePermission(inode, MAY_EXEC, context.task.credentials);
  if (allowed < 0) return allowed;
  context.task.fs.cwd = inode;
  return 0;
}

/** Implements fchdir(2). */
export function sysFchdir(context: SyscallContext, fd: number): number {
  const file = context.task.files.get(fd | 0);
  if (!file) return -EBADF;
  if (!isDirectory(file.inode.mode)) return -ENOTDIR;
  context.task.fs.cwd = file.inode;
  return 0;
}

/** Implements getcwd(2): returns the length including the NUL. */
export function sysGetcwd(context: SyscallContext, buffer: number, size: number): number {
  const path = new TextEncoder().encode(context.kernel.vfs.pathOf(context.task.fs.root, context.task.fs.cwd) + '\0');
  if (path.length > size) return -ERANGE;
  return copyToUser(context.task.mm, buffer, path) < 0 ? -EFAULT : path.length;
}

/** Implements fchmodat(2); chmod and fchmod share it. */
export function sysFchmodat(context: SyscallContext, dirfd: number, pathAddress: number, mode: number): number {
  const inode = resolve(context, dirfd, pathAddress, true);
  if (typeof inode === 'number') return inode;
  return chmod(context, inode, mode);
}

/** chmod: the owner or root; a non-member of the file's group cannot set S_ISGID (attr.c setattr_prepare). */
function chmod(context: SyscallContext, inode: Inode, mode: number): number {
  const credentials = context.task.credentials;
  if (!ownerOrCapable(inode, credentials)) return -EPERM;
  let bits = mode & 0o7777;
  if (credentials.euid !== 0 && !inGroup(credentials, inode.gid)) bits &= ~S_ISGID;
  return context.kernel.vfs.setattr(inode, { mode: bits });
}

export function sysChmod(context: SyscallContext, pathAddress: number, mode: number): number {
  return sysFchmodat(context, AT_FDCWD, pathAddress, mode);
}

/** Implements fchmod(2). */
export function sysFchmod(context: SyscallContext, fd: number, mode: number): number {
  const file = context.task.files.get(fd | 0);
  if (!file) return -EBADF;
  return chmod(context, file.inode, mode);
}

/** Implements fchownat(2) (the chown family share it); -1 leaves an id unchanged. */
export function sysFchownat(context: SyscallContext, dirfd: number, pathAddress: number, uid: number, gid: number, flags: number): number {
  const inode = resolve(context, dirfd, pathAddress, (flags & AT_SYMLINK_NOFOLLOW) === 0, (flags & AT_EMPTY_PATH) !== 0);
  if (typeof inode === 'number') return inode;
  return chown(context, inode, uid, gid);
}

/** utimensat(2): tv_nsec values that mean "now" and "leave unchanged" (include/uapi/linux/stat.h). */
const UTIME_NOW = 0x3fffffff;
const UTIME_OMIT = 0x3ffffffe;

/**
 * Implements utimensat(2) and utimensat_time64: times is null (both now) or
 * two timespecs — 32-bit {tv_sec, tv_nsec} or, `wide`, 64-bit ones — each of
 * which may be UTIME_NOW or UTIME_OMIT. A change also sets ctime to now.
 */
export function utimensat(context: SyscallContext, dirfd: number, pathAddress: number, timesAddress: number, flags: number, wide: boolean): number {
  const now = context.kernel.realtime();
  const times = [now, now];
  let explicit = false;
  if (timesAddress !== 0) {
    const size = wide ? 16 : 8;
    const bytes = copyFromUser(context.task.mm, timesAddress, 2 * size);
    if (typeof bytes === 'number') return -EFAULT;
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < 2; i++) {
      const at = i * size;
      const seconds = wide ? view.getUint32(at, true) + view.getInt32(at + 4, true) * 0x100000000 : view.getInt32(at, true);
      const nanoseconds = wide ? view.getUint32(at + 8, true) + view.getInt32(at + 12, true) * 0x100000000 : view.getInt32(at + 4, true);
      if (nanoseconds === UTIME_OMIT) times[i] = -1;
      else if (nanoseconds === UTIME_NOW) times[i] = now;
      else if (nanoseconds < 0 || nanoseconds >= 1e9) return -EINVAL;
      else { times[i] = seconds * 1e9 + nanoseconds; explicit = true; }
    }
  }
  const inode = pathAddress === 0 ? context.task.files.get(dirfd | 0)?.inode ?? -EBADF
    : resolve(context, dirfd, pathAddress, (flags & AT_SYMLINK_NOFOLLOW) === 0);
  if (typeof inode === 'number') return inode;
  if (times[0] === -1 && times[1] === -1) return 0;
  // Explicit times need ownership; "now" also allows anyone who may write (utimes_common).
  const credentials = context.task.credentials;
  if (!ownerOrCapable(inode, credentials)) {
    if (explicit) return -EPERM;
    const allowed = inodePermission(inode, MAY_WRITE, credentials);
    if (allowed < 0) return allowed;
  }
  return context.kernel.vfs.setattr(inode, {
    ...(times[0] !== -1 ? { atime: times[0] } : {}), ...(times[1] !== -1 ? { mtime: times[1] } : {}), ctime: now,
  });
}

export const sysUtimensat = (c: SyscallContext, dirfd: number, path: number, times: number, flags: number): number => utimensat(c, dirfd, path, times, flags, false);
export const sysUtimensatTime64 = (c: SyscallContext, dirfd: number, path: number, times: number, flags: number): number => utimensat(c, dirfd, path, times, flags, true);

/** Implements ftruncate64(2). */
export function sysFtruncate64(context: SyscallContext, fd: number, low: number, high: number): number {
  const file = context.task.files.get(fd | 0);
  if (!file) return -EBADF;
  if (!isRegular(file.inode.mode) || !file.writable) return -EINVAL;
  return truncateOrExtend(context, file.inode, (high | 0) * 0x100000000 + low);
}

/** Implements truncate64(2). */
export function sysTruncate64(context: SyscallContext, pathAddress: number, low: number, high: number): number {
  const inode = resolve(context, AT_FDCWD, pathAddress, true);
  if (typeof inode === 'number') return inode;
  if (isDirectory(inode.mode)) return -EISDIR;
  const allowed = inodePermission(inode, MAY_WRITE, context.task.credentials);
  if (allowed < 0) return allowed;
  if (context.kernel.vfs.readOnly(inode)) return -EROFS;
  return truncateOrExtend(context, inode, (high | 0) * 0x100000000 + low);
}

function truncateOrExtend(context: SyscallContext, inode: Inode, size: number): number {
  if (size < 0) return -EINVAL;
  if (size > MAX_FILE_SIZE) return -EFBIG;
  const now = context.kernel.realtime();
  return context.kernel.vfs.setattr(inode, { size, mtime: now, ctime: now });
}

/** chown: -1 leaves an id unchanged. */
function chown(context: SyscallContext, inode: Inode, uid: number, gid: number): number {
  const credentials = context.task.credentials;
  const changeUid = uid !== 0xffffffff && uid !== inode.uid;
  const changeGid = gid !== 0xffffffff && gid !== inode.gid;
  // chown_ok/chgrp_ok: only root gives a file away; the owner may pick one of its own groups.
  if (credentials.euid !== 0) {
    if (changeUid) return -EPERM;
    if ((changeGid || gid !== 0xffffffff) && (credentials.euid !== inode.uid || (changeGid && !inGroup(credentials, gid)))) return -EPERM;
    if (uid !== 0xffffffff && credentials.euid !== inode.uid) return -EPERM;
  }
  let mode = inode.mode & 0o7777;
  // A chown of a non-directory drops set-user-ID, and set-group-ID when group-executable (notify_change).
  if (!isDirectory(inode.mode) && (uid !== 0xffffffff || gid !== 0xffffffff)) {
    mode &= ~S_ISUID;
    if (mode & 0o010) mode &= ~S_ISGID;
  }
  return context.kernel.vfs.setattr(inode, {
    ...(uid !== 0xffffffff ? { uid } : {}), ...(gid !== 0xffffffff ? { gid } : {}), ...(mode !== (inode.mode & 0o7777) ? { mode } : {}),
  });
}

/** Implements umask(2). */
export function sysUmask(context: SyscallContext, mask: number): number {
  const old = context.task.fs.umask;
  context.task.fs.umask = mask & 0o777;
  return old;
}

/** Implements ftruncate(2), the 32-bit length form. */
export function sysFtruncate(context: SyscallContext, fd: number, length: number): number {
  return sysFtruncate64(context, fd, (length | 0) >>> 0, (length | 0) < 0 ? 0xffffffff : 0);
}

/** Implements truncate(2), the 32-bit length form. */
export function sysTruncate(context: SyscallContext, pathAddress: number, length: number): number {
  return sysTruncate64(context, pathAddress, (length | 0) >>> 0, (length | 0) < 0 ? 0xffffffff : 0);
}

/** Implements fchown32(2) (and fchown). */
export function sysFchown(context: SyscallContext, fd: number, uid: number, gid: number): number {
  const file = context.task.files.get(fd | 0);
  if (!file) return -EBADF;
  return chown(context, file.inode, uid, gid);
}

/** Implements fsync(2): the file's filesystem writes its data and metadata back. */
export function sysFsync(context: SyscallContext, fd: number): number {
  const file = context.task.files.get(fd | 0);
  if (!file) return -EBADF;
  return file.ops.fsync ? file.ops.fsync(file, false) : 0;
}

/** Implements fdatasync(2). */
export function sysFdatasync(context: SyscallContext, fd: number): number {
  const file = context.task.files.get(fd | 0);
  if (!file) return -EBADF;
  return file.ops.fsync ? file.ops.fsync(file, true) : 0;
}
