/**
 * Mounts (fs/namespace.c, reduced to one namespace): a Mount joins a
 * superblock's root, or a bind-mounted directory, to a mountpoint directory.
 * The path walk crosses `mountpoint.mountedHere` going down and
 * `root.mountRootOf` going up (".." at a mount root). Mounts stack: a new mount
 * on a busy mountpoint hides the previous one (`covered`) until it is unmounted.
 * Limitation: a directory that is the root of two mounts (bind mounts) remembers the latest.
 */
import type { Inode, MountLink, Superblock } from './inode.js';

// include/uapi/linux/mount.h
export const MS_RDONLY = 1;
export const MS_NOSUID = 2;
export const MS_NODEV = 4;
export const MS_NOEXEC = 8;
export const MS_SYNCHRONOUS = 16;
export const MS_REMOUNT = 32;
export const MS_MANDLOCK = 64;
export const MS_DIRSYNC = 128;
export const MS_NOSYMFOLLOW = 256;
export const MS_NOATIME = 1024;
export const MS_NODIRATIME = 2048;
export const MS_BIND = 4096;
export const MS_MOVE = 8192;
export const MS_REC = 16384;
export const MS_SILENT = 32768;
export const MS_RELATIME = 1 << 21;
export const MS_STRICTATIME = 1 << 24;
export const MS_LAZYTIME = 1 << 25;
/** The flags a mount (not its superblock) carries: what /proc/mounts lists per mount. */
export const MOUNT_FLAGS = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOSYMFOLLOW | MS_NOATIME | MS_NODIRATIME | MS_RELATIME;
// umount2 flags
export const MNT_FORCE = 1;
export const MNT_DETACH = 2;
export const MNT_EXPIRE = 4;
export const UMOUNT_NOFOLLOW = 8;

export class Mount implements MountLink {
  /** The mount this one hides on the same mountpoint. */
  covered: Mount | null = null;

  constructor(
    readonly id: number,
    readonly superblock: Superblock,
    readonly root: Inode,
    readonly mountpoint: Inode | null,
    /** The mount the mountpoint belongs to (null for the root mount). */
    readonly parent: Mount | null,
    public flags: number,
    /** What was mounted ("/dev/hda1", "proc", "tmpfs"), for /proc/mounts. */
    readonly source: string,
  ) {}

  get readOnly(): boolean { return ((this.flags | (this.superblock.flags ?? 0)) & MS_RDONLY) !== 0; }
}

/** The mount table, in mount order (the order of /proc/mounts). */
export class MountTable {
  readonly mounts: Mount[] = [];
  private nextId = 21;

  /** The first mount: the root filesystem. */
  get rootMount(): Mount { return this.mounts[0]!; }

  /** Attaches `root` (of `superblock`) on `mountpoint` (null for the root mount). */
  attach(superblock: Superblock, root: Inode, mountpoint: Inode | null, parent: Mount | null, flags: number, source: string): Mount {
    const mount = new Mount(this.nextId++, superblock, root, mountpoint, parent, flags & MOUNT_FLAGS, source);
    if (mountpoint) {
      mount.covered = mountpoint.mountedHere as Mount | null;
      mountpoint.mountedHere = mount;
    }
    root.mountRootOf = mount;
    superblock.mountCount = (superblock.mountCount ?? 0) + 1;
    this.mounts.push(mount);
    return mount;
  }

  /** Detaches a mount (the caller checked it is not busy); returns true when its superblock has no mounts left. */
  detach(mount: Mount): boolean {
    const index = this.mounts.indexOf(mount);
    if (index >= 0) this.mounts.splice(index, 1);
    if (mount.mountpoint && mount.mountpoint.mountedHere === mount) mount.mountpoint.mountedHere = mount.covered;
    if (mount.root.mountRootOf === mount) mount.root.mountRootOf = [...this.mounts].reverse().find((m) => m.root === mount.root) ?? null;
    mount.superblock.mountCount = (mount.superblock.mountCount ?? 1) - 1;
    return mount.superblock.mountCount === 0;
  }

  /** Mounts whose mountpoint lies in `mount` (a busy mount cannot be unmounted without MNT_DETACH). */
  childrenOf(mount: Mount): Mount[] {
    return this.mounts.filter((m) => m.parent === mount);
  }

  /** The mount an inode is reached through: the nearest mount root above it (see the class comment's limitation). */
  mountOf(inode: Inode): Mount {
    for (let at: Inode | null = inode, depth = 0; at && depth < 4096; depth++) {
      if (at.mountRootOf) return at.mountRootOf as Mount;
      if (at.parent === at) break;
      at = at.parent;
    }
    return this.mountOfSuperblock(inode.superblock) ?? this.rootMount;
  }

  /** The first mount of a superblock (non-directories whose parent is unknown). */
  mountOfSuperblock(superblock: Superblock): Mount | null {
    return this.mounts.find((m) => m.superblock === superblock) ?? null;
  }
}
