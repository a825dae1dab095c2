/**
 * Syscalls on whole filesystems: mount(2), umount(2)/umount2(2), statfs64(2)/
 * fstatfs64(2) (i386 struct statfs64, 84 bytes), sync(2), syncfs(2) and fallocate(2).
 * The VFS does the work (fs/mount-operations.ts); these decode arguments.
 */
import { EBADF, EFAULT, EINVAL, EISDIR, ENODEV, EOPNOTSUPP, ESPIPE, EFBIG } from '../lib/index.js';
import type { Mount } from '../fs/index.js';
import {
  encodeStatfs64, isDirectory, isRegular, MAX_FILE_SIZE, mountFilesystem, STATFS64_SIZE, statfsOf, syncAll, syncSuperblock, unmountFilesystem,
} from '../fs/index.js';
import { copyToUser, strncpyFromUser } from '../mm/index.js';
import type { SyscallContext } from './entry.js';
import { readPath } from './user-strings.js';

const caller = (context: SyscallContext) => ({ root: context.task.fs.root, cwd: context.task.fs.cwd, privileged: context.task.credentials.euid === 0 });

/** A NULL-able string argument (mount's source, type and data). */
function optionalString(context: SyscallContext, address: number): string | number {
  if (address === 0) return '';
  return readPath(context.task.mm, address);
}

/** Implements mount(2). */
export function sysMount(context: SyscallContext, sourceAddress: number, targetAddress: number, typeAddress: number, flags: number, dataAddress: number): number {
  const target = readPath(context.task.mm, targetAddress);
  if (typeof target === 'number') return target;
  const source = optionalString(context, sourceAddress);
  if (typeof source === 'number') return source;
  const type = optionalString(context, typeAddress);
  if (typeof type === 'number') return type;
  let data = '';
  if (dataAddress !== 0) {
    // The data page is copied whole (copy_mount_options); text stops at the first NUL.
    const bytes = strncpyFromUser(context.task.mm, dataAddress, 4095);
    if (typeof bytes === 'number') return bytes;
    data = new TextDecoder().decode(bytes);
  }
  // MS_MGC_VAL in the top 16 bits is the pre-2.4 magic: ignored (do_mount).
  const cleaned = (flags & 0xffff0000) === 0xc0ed0000 ? flags & 0xffff : flags;
  return mountFilesystem(context.kernel.vfs, caller(context), source, target, type, cleaned >>> 0, data);
}

/** Implements umount2(2). */
export function sysUmount2(context: SyscallContext, targetAddress: number, flags: number): number {
  const target = readPath(context.task.mm, targetAddress);
  if (typeof target === 'number') return target;
  return unmountFilesystem(context.kernel.vfs, caller(context), target, flags, (mount) => mountInUse(context, mount));
}

/** Implements umount(2) (oldumount: umount2 with no flags). */
export const sysUmount = (context: SyscallContext, targetAddress: number): number => sysUmount2(context, targetAddress, 0);

/** Whether a task's open files, working directory or root lie in the mount's filesystem (mnt_count > 1 in Linux). */
function mountInUse(context: SyscallContext, mount: Mount): boolean {
  const superblock = mount.superblock;
  for (const task of context.kernel.tasks.values()) {
    if (task.fs.cwd.superblock === superblock || task.fs.root.superblock === superblock) return true;
    for (const fd of task.files.openFds()) if (task.files.get(fd)?.inode.superblock === superblock) return true;
  }
  return false;
}

function statfsTo(context: SyscallContext, mount: Mount, size: number, address: number): number {
  if (size !== STATFS64_SIZE) return -EINVAL;
  const statistics = statfsOf(mount.superblock);
  if (typeof statistics === 'number') return statistics;
  return copyToUser(context.task.mm, address, encodeStatfs64(statistics, mount)) < 0 ? -EFAULT : 0;
}

/** Implements statfs64(2). */
export function sysStatfs64(context: SyscallContext, pathAddress: number, size: number, address: number): number {
  const path = readPath(context.task.mm, pathAddress);
  if (typeof path === 'number') return path;
  const resolved = context.kernel.vfs.resolve(context.task.fs.root, context.task.fs.cwd, path, true);
  if (typeof resolved === 'number') return resolved;
  return statfsTo(context, resolved.mount, size, address);
}

/** Implements fstatfs64(2). */
export function sysFstatfs64(context: SyscallContext, fd: number, size: number, address: number): number {
  const file = context.task.files.get(fd | 0);
  if (!file) return -EBADF;
  const mounts = context.kernel.vfs.mounts;
  return statfsTo(context, mounts.mountOf(file.inode), size, address);
}

/** Implements statfs(2) and fstatfs(2) (the 32-bit struct statfs, 64 bytes): fields that overflow are EOVERFLOW. */
export function sysStatfs(context: SyscallContext, pathAddress: number, address: number): number {
  const path = readPath(context.task.mm, pathAddress);
  if (typeof path === 'number') return path;
  const resolved = context.kernel.vfs.resolve(context.task.fs.root, context.task.fs.cwd, path, true);
  if (typeof resolved === 'number') return resolved;
  return statfs32To(context, resolved.mount, address);
}

export function sysFstatfs(context: SyscallContext, fd: number, address: number): number {
  const file = context.task.files.get(fd | 0);
  if (!file) return -EBADF;
  return statfs32To(context, context.kernel.vfs.mounts.mountOf(file.inode), address);
}

function statfs32To(context: SyscallContext, mount: Mount, address: number): number {
  const statistics = statfsOf(mount.superblock);
  if (typeof statistics === 'number') return statistics;
  const wide = encodeStatfs64(statistics, mount);
  const view = new DataView(wide.buffer);
  const out = new Uint8Array(64);
  const outView = new DataView(out.buffer);
  outView.setUint32(0, view.getUint32(0, true), true);
  outView.setUint32(4, view.getUint32(4, true), true);
  for (let i = 0; i < 5; i++) {
    const value = view.getBigUint64(8 + i * 8, true);
    if (value > 0xffffffffn) return -75; // EOVERFLOW (put_compat_statfs)
    outView.setUint32(8 + i * 4, Number(value), true);
  }
  outView.setUint32(28, view.getUint32(48, true), true);
  outView.setUint32(36, view.getUint32(56, true), true);
  outView.setUint32(40, view.getUint32(60, true), true);
  outView.setUint32(44, view.getUint32(64, true), true);
  return copyToUser(context.task.mm, address, out) < 0 ? -EFAULT : 0;
}

/** Implements sync(2). */
export function sysSync(context: SyscallContext): number {
  syncAll(context.kernel.vfs);
  return 0;
}

/** Implements syncfs(2). */
export function sysSyncfs(context: SyscallContext, fd: number): number {
  const file = context.task.files.get(fd | 0);
  if (!file) return -EBADF;
  return syncSuperblock(context.kernel.vfs, file.inode.superblock);
}

/** Implements fallocate(2) (i386: offset and length as two 32-bit halves each). Modes: 0 and FALLOC_FL_KEEP_SIZE. */
export function sysFallocate(context: SyscallContext, fd: number, mode: number, offsetLow: number, offsetHigh: number, lengthLow: number, lengthHigh: number): number {
  const offset = (offsetHigh | 0) * 0x100000000 + offsetLow;
  const length = (lengthHigh | 0) * 0x100000000 + lengthLow;
  if (offset < 0 || length <= 0) return -EINVAL;
  const file = context.task.files.get(fd | 0);
  if (!file) return -EBADF;
  if (!file.writable) return -EBADF;
  if (isDirectory(file.inode.mode)) return -EISDIR;
  if (!isRegular(file.inode.mode)) return file.ops.seekable ? -ENODEV : -ESPIPE;
  if (mode & ~1) return -EOPNOTSUPP;
  if (offset + length > MAX_FILE_SIZE) return -EFBIG;
  if (!file.ops.fallocate) return -EOPNOTSUPP;
  return file.ops.fallocate(file, mode, offset, length);
}

