/**
 * What mount(2), umount2(2), statfs64(2) and sync(2) do in the VFS (fs/namespace.c,
 * fs/statfs.c, fs/sync.c, reduced): new mounts of a registered filesystem type on a
 * directory, bind mounts, remounts changing flags, unmount with EBUSY for mounts in
 * use, filesystem statistics with the mount's flags, and write-back of every
 * superblock and the block cache. The syscall layer supplies the credentials check
 * and whether a superblock is in use (open files, working directories).
 */
import { EACCES, EBUSY, EINVAL, ENODEV, ENOTBLK, ENOTDIR, ENXIO, EPERM, EROFS } from '../lib/index.js';
import type { FilesystemStatistics, Inode, Superblock } from './inode.js';
import { isDirectory, S_IFBLK, S_IFMT } from './inode.js';
import type { Mount } from './mount.js';
import { MNT_DETACH, MNT_EXPIRE, MNT_FORCE, MOUNT_FLAGS, MS_BIND, MS_MOVE, MS_NODEV, MS_NOEXEC, MS_NOSUID, MS_RDONLY, MS_REC, MS_REMOUNT, UMOUNT_NOFOLLOW } from './mount.js';
import type { Vfs } from './vfs.js';

export interface MountCaller {
  readonly root: Inode;
  readonly cwd: Inode;
  /** capable(CAP_SYS_ADMIN): root in this kernel. */
  readonly privileged: boolean;
}

/** Implements the VFS side of mount(2). */
export function mountFilesystem(vfs: Vfs, caller: MountCaller, source: string, targetPath: string, type: string, flags: number, data: string): number {
  if (!caller.privileged) return -EPERM;
  const target = vfs.resolve(caller.root, caller.cwd, targetPath, true);
  if (typeof target === 'number') return target;
  if (flags & MS_REMOUNT) {
    const mount = target.inode.mountRootOf as Mount | null;
    if (!mount || mount.root !== target.inode) return -EINVAL;
    if (flags & MS_BIND) { mount.flags = flags & MOUNT_FLAGS; return 0; }
    const superblock = mount.superblock;
    const wasReadOnly = ((superblock.flags ?? 0) & MS_RDONLY) !== 0;
    const result = superblock.ops?.remount?.(superblock, flags, data) ?? 0;
    if (result < 0) return result;
    if (!wasReadOnly && flags & MS_RDONLY) syncSuperblock(vfs, superblock);
    superblock.flags = ((superblock.flags ?? 0) & ~MS_RDONLY) | (flags & MS_RDONLY);
    mount.flags = flags & MOUNT_FLAGS;
    return 0;
  }
  if (flags & MS_MOVE) return -EINVAL;
  if (!isDirectory(target.inode.mode)) return -ENOTDIR;
  if (flags & MS_BIND) {
    const from = vfs.resolve(caller.root, caller.cwd, source, true);
    if (typeof from === 'number') return from;
    // A bind of a directory onto a non-directory (or the reverse) is ENOTDIR; MS_REC is accepted without recursion.
    if (!isDirectory(from.inode.mode)) return -ENOTDIR;
    void MS_REC;
    vfs.mounts.attach(from.mount.superblock, from.inode, target.inode, target.mount, flags & ~MS_RDONLY, source);
    return 0;
  }
  const filesystem = vfs.filesystems.get(type);
  if (!filesystem) return -ENODEV;
  let deviceNumber = 0;
  let device = null;
  if (filesystem.requiresDevice) {
    const node = vfs.resolve(caller.root, caller.cwd, source, true);
    if (typeof node === 'number') return node;
    if ((node.inode.mode & S_IFMT) !== S_IFBLK) return -ENOTBLK;
    if (node.mount.flags & MS_NODEV) return -EACCES;
    const disk = vfs.disks.get(node.inode.rdev);
    if (!disk) return -ENXIO;
    if (disk.readOnly && !(flags & MS_RDONLY)) return -EACCES;
    deviceNumber = node.inode.rdev;
    device = disk.device;
    // A device mounted twice shares its superblock (sget).
    const existing = vfs.mounts.mounts.find((m) => m.superblock.device === deviceNumber && m.root === m.superblock.root);
    if (existing) {
      vfs.mounts.attach(existing.superblock, existing.superblock.root!, target.inode, target.mount, flags, source);
      return 0;
    }
  }
  const superblock = filesystem.mount({ source, flags, data, device, deviceNumber });
  if (typeof superblock === 'number') return superblock;
  if (!superblock.root) return -EINVAL;
  superblock.flags = (superblock.flags ?? 0) | (flags & MS_RDONLY);
  superblock.root.parent ??= superblock.root;
  vfs.mounts.attach(superblock, superblock.root, target.inode, target.mount, flags, source);
  return 0;
}

/** Implements the VFS side of umount2(2); `inUse` tells whether open files or working directories hold the superblock. */
export function unmountFilesystem(vfs: Vfs, caller: MountCaller, targetPath: string, flags: number, inUse: (mount: Mount) => boolean): number {
  if (!caller.privileged) return -EPERM;
  if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)) return -EINVAL;
  if (flags & MNT_EXPIRE && flags & (MNT_FORCE | MNT_DETACH)) return -EINVAL;
  const target = vfs.resolve(caller.root, caller.cwd, targetPath, (flags & UMOUNT_NOFOLLOW) === 0);
  if (typeof target === 'number') return target;
  const mount = target.inode.mountRootOf as Mount | null;
  if (!mount || mount.root !== target.inode || !mount.mountpoint) return mount && !mount.mountpoint ? -EBUSY : -EINVAL;
  if (flags & MNT_EXPIRE) return -EAGAIN_EXPIRE;
  if (!(flags & MNT_DETACH) && (vfs.mounts.childrenOf(mount).length > 0 || inUse(mount))) return -EBUSY;
  for (const child of vfs.mounts.childrenOf(mount)) unmountTree(vfs, child);
  release(vfs, mount);
  return 0;
}

/** MNT_EXPIRE on a mount not marked expired yet: EAGAIN, and it is now marked (here: never expires). */
const EAGAIN_EXPIRE = 11;

function unmountTree(vfs: Vfs, mount: Mount): void {
  for (const child of vfs.mounts.childrenOf(mount)) unmountTree(vfs, child);
  release(vfs, mount);
}

function release(vfs: Vfs, mount: Mount): void {
  if (vfs.mounts.detach(mount)) {
    syncSuperblock(vfs, mount.superblock);
    mount.superblock.ops?.putSuper?.(mount.superblock);
  }
}

/** Writes a superblock back: its own dirty state, then its disk's cache pages and FLUSH CACHE. */
export function syncSuperblock(vfs: Vfs, superblock: Superblock): number {
  const own = superblock.ops?.sync?.(superblock) ?? 0;
  const disk = vfs.disks.get(superblock.device);
  const flushed = disk ? disk.device.flush() : 0;
  return own < 0 ? own : flushed;
}

/** sync(2): every mounted filesystem, then every disk. */
export function syncAll(vfs: Vfs): number {
  const seen = new Set<Superblock>();
  for (const mount of vfs.mounts.mounts) {
    if (seen.has(mount.superblock)) continue;
    seen.add(mount.superblock);
    mount.superblock.ops?.sync?.(mount.superblock);
  }
  return vfs.blockCache.sync();
}

/** statfs flags (include/linux/statfs.h ST_*): the mount's, plus ST_VALID. */
const ST_RDONLY = 1, ST_NOSUID = 2, ST_NODEV = 4, ST_NOEXEC = 8, ST_VALID = 0x20;

/** struct statfs64 of i386 (asm-generic/statfs.h, packed to 4): 84 bytes. */
export const STATFS64_SIZE = 84;

export function encodeStatfs64(statistics: FilesystemStatistics, mount: Mount): Uint8Array {
  const out = new Uint8Array(STATFS64_SIZE);
  const view = new DataView(out.buffer);
  const flags = mount.flags | (mount.superblock.flags ?? 0);
  view.setUint32(0, statistics.type >>> 0, true);
  view.setUint32(4, statistics.blockSize, true);
  view.setBigUint64(8, BigInt(statistics.blocks), true);
  view.setBigUint64(16, BigInt(statistics.freeBlocks), true);
  view.setBigUint64(24, BigInt(statistics.availableBlocks), true);
  view.setBigUint64(32, BigInt(statistics.files), true);
  view.setBigUint64(40, BigInt(statistics.freeFiles), true);
  view.setUint32(48, mount.superblock.device, true);
  view.setUint32(56, statistics.nameLength, true);
  view.setUint32(60, statistics.blockSize, true);
  view.setUint32(64, ST_VALID | (flags & MS_RDONLY ? ST_RDONLY : 0) | (flags & MS_NOSUID ? ST_NOSUID : 0)
    | (flags & MS_NODEV ? ST_NODEV : 0) | (flags & MS_NOEXEC ? ST_NOEXEC : 0), true);
  return out;
}

/** The statistics of a superblock; filesystems without statfs report zeros with their magic (simple_statfs). */
export function statfsOf(superblock: Superblock, magic = 0): FilesystemStatistics | number {
  const statistics = superblock.ops?.statfs?.(superblock);
  if (statistics !== undefined) return statistics;
  return { type: magic, blockSize: 4096, blocks: 0, freeBlocks: 0, availableBlocks: 0, files: 0, freeFiles: 0, nameLength: 255 };
}

/** EROFS when the inode's mount or superblock is read-only (mnt_want_write). */
export function checkWritable(mount: Mount): number {
  return mount.readOnly ? -EROFS : 0;
}
