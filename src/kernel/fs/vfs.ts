/**
 * The VFS: path resolution (namei: the dentry cache, filesystem lookup on a miss,
 * symlinks, "..", mount points crossed both ways), the mount table, the device
 * registry that open uses for device nodes, and the namespace operations every
 * filesystem shares — create, mkdir, mknod, unlink, rmdir, rename, link, symlink,
 * setattr — which check what is generic and call the filesystem's InodeOps.
 * Errors are negative errnos; success values are inodes or 0.
 */
import { EACCES, EBUSY, EROFS, EEXIST, EINVAL, EISDIR, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR, ENOTEMPTY, ENXIO, EPERM, EXDEV } from '../lib/index.js';
import type { PhysicalPages } from '../mm/index.js';
import { PageCache } from '../mm/index.js';
import type { Attributes, FileOps } from './inode.js';
import {
  Inode, isDirectory, isSymlink, releaseInodeIfUnused, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG,
} from './inode.js';
import { pipeOpenOps } from './pipe-reopen.js';
import type { BlockDevice } from '../block/index.js';
import { BlockCache } from '../block/index.js';
import type { FileSystemType } from './filesystem-type.js';
import type { Mount } from './mount.js';
import type { FsCredentials } from './permission.js';
import { inodePermission, MAY_EXEC } from './permission.js';
import { MountTable } from './mount.js';
import { createTmpfs, setattrTmpfs, specialFileOps } from './tmpfs.js';

const MAX_SYMLINKS = 40;
const NAME_MAX = 255;
const PATH_MAX = 4096;

export interface ParentAndName {
  readonly parent: Inode;
  readonly name: string;
}

/** A resolved path: the inode and the mount it was reached through (for per-mount flags). */
export interface ResolvedPath {
  readonly inode: Inode;
  readonly mount: Mount;
}

/** Adds a name to a directory's dentry cache (d_add); a directory child learns its parent. */
export function cacheEntry(directory: Inode, name: string, inode: Inode): void {
  directory.children.set(name, inode);
  directory.childOffsets.set(name, directory.nextChildOffset++);
  if (isDirectory(inode.mode)) inode.parent = directory;
}

/** Drops a name from a directory's dentry cache (d_delete). */
export function uncacheEntry(directory: Inode, name: string): void {
  directory.children.delete(name);
  directory.childOffsets.delete(name);
}

export class Vfs {
  /** The root directory of the system (the root mount's root; `root=` at boot replaces it). */
  root: Inode;
  readonly mounts = new MountTable();
  /** Now, in nanoseconds since the epoch: file times. */
  now: () => number = () => 0;
  /** Device drivers by device number: what open(2) of a device node reaches (chrdev/blkdev maps). */
  readonly characterDevices = new Map<number, FileOps>();
  readonly blockDevices = new Map<number, FileOps>();

  /** The page cache of block devices (buffer cache). */
  readonly blockCache: BlockCache;
  /** The page cache of mapped files on disk filesystems (ext2, vfat). */
  readonly pageCache: PageCache;
  /** Disks and partitions by block device number (3:0 hda, 3:1 hda1...), for mount(2). */
  readonly disks = new Map<number, { readonly name: string; readonly device: BlockDevice; readonly readOnly: boolean }>();
  /** Registered filesystem types (register_filesystem), in registration order. */
  readonly filesystems = new Map<string, FileSystemType>();
  /** The internal tmpfs behind MAP_SHARED|MAP_ANONYMOUS objects (Linux's shm_mnt). */
  readonly shm: Inode;

  constructor(readonly pages: PhysicalPages) {
    this.blockCache = new BlockCache(pages);
    this.pageCache = new PageCache(pages);
    this.shm = createTmpfs(pages, 4, 'tmpfs');
    this.root = createTmpfs(pages, 1, 'rootfs');
    this.mounts.attach(this.root.superblock, this.root, null, null, 0, 'rootfs');
  }

  /** Frees up to `pages` cached pages under memory pressure (the OOM path calls it first); returns how many. */
  reclaim(pages: number): number {
    const files = this.pageCache.reclaim(pages);
    return files + this.blockCache.reclaim(pages - files);
  }

  /** Resolves `path` from `cwd` (absolute paths from `root`); follows a final symlink if `follow`. */
  lookup(root: Inode, cwd: Inode, path: string, follow = true, credentials?: FsCredentials): Inode | number {
    const resolved = this.walk(root, cwd, this.mounts.mountOf(cwd), path, follow, 0, credentials);
    return typeof resolved === 'number' ? resolved : resolved.inode;
  }

  /** As lookup, with the mount the inode was reached through. */
  resolve(root: Inode, cwd: Inode, path: string, follow = true, credentials?: FsCredentials): ResolvedPath | number {
    return this.walk(root, cwd, this.mounts.mountOf(cwd), path, follow, 0, credentials);
  }

  /** Resolves all but the last component; the last must be a plain name (not "." or ".."). */
  lookupParent(root: Inode, cwd: Inode, path: string, credentials?: FsCredentials): ParentAndName | number {
    if (path.length === 0) return -ENOENT;
    if (path.length >= PATH_MAX) return -ENAMETOOLONG;
    const trimmed = path.replace(/\/+$/, '');
    if (trimmed === '') return -EEXIST;
    const slash = trimmed.lastIndexOf('/');
    const name = trimmed.slice(slash + 1);
    if (name.length > NAME_MAX) return -ENAMETOOLONG;
    const parentPath = slash < 0 ? '.' : slash === 0 ? '/' : trimmed.slice(0, slash);
    const parent = this.lookup(root, cwd, parentPath, true, credentials);
    if (typeof parent === 'number') return parent;
    if (!isDirectory(parent.mode)) return -ENOTDIR;
    if (credentials) {
      // The caller will look the last name up in `parent`: search permission (may_lookup).
      const search = inodePermission(parent, MAY_EXEC, credentials);
      if (search < 0) return search;
    }
    return { parent, name };
  }

  /** One name in a directory: the dentry cache, else the filesystem's lookup (cached on success). */
  lookupChild(directory: Inode, name: string): Inode | number {
    const cached = directory.children.get(name);
    if (cached) return cached;
    if (!directory.ops.lookup) return -ENOENT;
    const found = directory.ops.lookup(directory, name);
    if (typeof found !== 'number') cacheEntry(directory, name, found);
    return found;
  }

  /** The target of a symlink. */
  readlink(inode: Inode): string | number {
    if (!isSymlink(inode.mode)) return -EINVAL;
    return inode.ops.readlink ? inode.ops.readlink(inode) : inode.symlinkTarget;
  }

  /**
   * Creates an inode of `mode` named `name` in `parent`, by the type in mode (create, mkdir,
   * mknod). `fileOps`, when given, replaces the new inode's file ops (in-memory device nodes and
   * generated files of boot).
   */
  create(parent: Inode, name: string, mode: number, fileOps?: FileOps, rdev = 0): Inode | number {
    if (name === '.' || name === '..') return -EEXIST;
    if (name.length > NAME_MAX) return -ENAMETOOLONG;
    if (parent.nlink === 0) return -ENOENT;
    if (this.readOnly(parent)) return -EROFS;
    const existing = this.lookupChild(parent, name);
    if (typeof existing !== 'number') return -EEXIST;
    if (existing !== -ENOENT) return existing;
    const ops = parent.ops;
    let made: Inode | number;
    switch (mode & S_IFMT) {
      case S_IFDIR: made = ops.mkdir ? ops.mkdir(parent, name, mode & 0o7777) : -EPERM; break;
      case S_IFREG: case 0: made = ops.create ? ops.create(parent, name, mode & 0o7777) : -EPERM; break;
      case S_IFLNK: made = ops.symlink ? ops.symlink(parent, name, '') : -EPERM; break;
      default: made = ops.mknod ? ops.mknod(parent, name, mode, rdev) : -EPERM;
    }
    if (typeof made === 'number') return made;
    if (fileOps && !isDirectory(mode)) made.fileOps = fileOps;
    made.atime = made.mtime = made.ctime = this.now();
    cacheEntry(parent, name, made);
    parent.mtime = parent.ctime = made.ctime;
    return made;
  }

  mkdir(parent: Inode, name: string, permissions: number): number {
    const made = this.create(parent, name, S_IFDIR | (permissions & 0o7777));
    return typeof made === 'number' ? made : 0;
  }

  mknod(parent: Inode, name: string, mode: number, rdev: number): Inode | number {
    return this.create(parent, name, mode, undefined, rdev);
  }

  /** Creates a symlink; the fourth argument is accepted for older callers and ignored. */
  symlink(parent: Inode, name: string, target: string, _fileOps?: FileOps): number {
    if (name === '.' || name === '..') return -EEXIST;
    if (name.length > NAME_MAX) return -ENAMETOOLONG;
    const existing = this.lookupChild(parent, name);
    if (typeof existing !== 'number') return -EEXIST;
    if (existing !== -ENOENT) return existing;
    if (this.readOnly(parent)) return -EROFS;
    if (!parent.ops.symlink) return -EPERM;
    const made = parent.ops.symlink(parent, name, target);
    if (typeof made === 'number') return made;
    made.atime = made.mtime = made.ctime = this.now();
    cacheEntry(parent, name, made);
    parent.mtime = parent.ctime = made.ctime;
    return 0;
  }

  link(target: Inode, parent: Inode, name: string): number {
    if (isDirectory(target.mode)) return -EPERM;
    if (target.superblock !== parent.superblock) return -EXDEV;
    const existing = this.lookupChild(parent, name);
    if (typeof existing !== 'number') return -EEXIST;
    if (existing !== -ENOENT) return existing;
    if (target.nlink === 0) return -ENOENT;
    if (this.readOnly(parent)) return -EROFS;
    if (!parent.ops.link) return -EPERM;
    const result = parent.ops.link(target, parent, name);
    if (result < 0) return result;
    cacheEntry(parent, name, target);
    target.ctime = parent.mtime = parent.ctime = this.now();
    return 0;
  }

  /** unlink(2) when `directory` is false, rmdir(2) when true. */
  remove(parent: Inode, name: string, directory: boolean): number {
    if (name === '.') return -EINVAL;
    if (name === '..') return -ENOTEMPTY;
    const inode = this.lookupChild(parent, name);
    if (typeof inode === 'number') return inode;
    if (this.readOnly(parent)) return -EROFS;
    if (directory) {
      if (!isDirectory(inode.mode)) return -ENOTDIR;
      if (inode === this.root || inode.mountedHere || inode.mountRootOf) return -EBUSY;
      if (inode.children.size > 0) return -ENOTEMPTY;
      if (!parent.ops.rmdir) return -EPERM;
      const result = parent.ops.rmdir(parent, name, inode);
      if (result < 0) return result;
    } else {
      if (isDirectory(inode.mode)) return -EISDIR;
      if (!parent.ops.unlink) return -EPERM;
      const result = parent.ops.unlink(parent, name, inode);
      if (result < 0) return result;
    }
    uncacheEntry(parent, name);
    inode.ctime = parent.mtime = parent.ctime = this.now();
    releaseInodeIfUnused(inode);
    return 0;
  }

  rename(oldParent: Inode, oldName: string, newParent: Inode, newName: string): number {
    if (oldName === '.' || oldName === '..' || newName === '.' || newName === '..') return -EBUSY;
    const inode = this.lookupChild(oldParent, oldName);
    if (typeof inode === 'number') return inode;
    if (oldParent.superblock !== newParent.superblock || this.mounts.mountOf(oldParent) !== this.mounts.mountOf(newParent)) return -EXDEV;
    if (this.readOnly(oldParent)) return -EROFS;
    const found = this.lookupChild(newParent, newName);
    if (typeof found === 'number' && found !== -ENOENT) return found;
    const existing = typeof found === 'number' ? null : found;
    if (existing === inode) return 0;
    if (inode.mountedHere || inode.mountRootOf || existing?.mountedHere || existing?.mountRootOf) return -EBUSY;
    if (isDirectory(inode.mode)) {
      // A directory cannot move below itself (man 2 rename: EINVAL).
      for (let at: Inode = newParent; ; at = at.parent!) {
        if (at === inode) return -EINVAL;
        if (at.parent === at || !at.parent) break;
      }
    }
    if (existing) {
      if (isDirectory(existing.mode)) {
        if (!isDirectory(inode.mode)) return -EISDIR;
        if (existing.children.size > 0) return -ENOTEMPTY;
      } else if (isDirectory(inode.mode)) {
        return -ENOTDIR;
      }
    }
    if (!oldParent.ops.rename) return -EPERM;
    const result = oldParent.ops.rename(oldParent, oldName, inode, newParent, newName, existing);
    if (result < 0) return result;
    uncacheEntry(oldParent, oldName);
    if (existing) uncacheEntry(newParent, newName);
    cacheEntry(newParent, newName, inode);
    inode.ctime = oldParent.mtime = newParent.mtime = oldParent.ctime = newParent.ctime = this.now();
    if (existing) { existing.ctime = inode.ctime; releaseInodeIfUnused(existing); }
    return 0;
  }

  /** Changes attributes through the filesystem (chmod, chown, utimes, truncate); ctime follows. */
  setattr(inode: Inode, attributes: Attributes): number {
    if (this.readOnly(inode) && (inode.mode & S_IFMT) !== S_IFCHR && (inode.mode & S_IFMT) !== S_IFBLK) return -EROFS;
    // Inodes of pseudo filesystems (pipes) have no setattr: in-memory fields change, as simple_setattr.
    const result = (inode.ops.setattr ?? setattrTmpfs)(inode, { ctime: this.now(), ...attributes });
    if (result < 0) return result;
    inode.superblock.ops?.writeInode?.(inode);
    return 0;
  }

  /** Whether the inode's filesystem is mounted read-only where it is reached (__mnt_is_readonly). */
  readOnly(inode: Inode): boolean {
    return this.mounts.mountOf(inode).readOnly;
  }

  /**
   * The file ops an open of `inode` with `flags` gets: device nodes reach their driver by number
   * (chrdev_open); a pipe reached through /proc/PID/fd opens a new end of it (fifo_open).
   */
  openOps(inode: Inode, flags = 0): FileOps | number {
    const type = inode.mode & S_IFMT;
    if (type === S_IFIFO) return pipeOpenOps(inode, flags) ?? inode.fileOps;
    if (type !== S_IFCHR && type !== S_IFBLK) return inode.fileOps;
    const driver = (type === S_IFCHR ? this.characterDevices : this.blockDevices).get(inode.rdev);
    if (driver) return driver;
    return inode.fileOps === specialFileOps ? -ENXIO : inode.fileOps;
  }

  /** Reads `count` bytes at `position` of a regular file through its page source (exec headers, scripts). */
  readBytes(inode: Inode, position: number, count: number): Uint8Array | number {
    const source = inode.fileOps.pageSource?.(inode, '');
    if (!source) return -EACCES;
    const out = new Uint8Array(Math.max(0, Math.min(count, inode.size - position)));
    const got = source.readAt(position, out);
    return got < 0 ? got : out.subarray(0, got);
  }

  /** The absolute path of a directory (getcwd, /proc/PID/cwd), walking parents and mountpoints up to `root`. */
  pathOf(root: Inode, directory: Inode): string {
    const parts: string[] = [];
    let at = directory;
    for (let guard = 0; at !== root && guard < 4096; guard++) {
      const mountpoint = at.mountRootOf?.mountpoint;
      if (mountpoint) { at = mountpoint; continue; }
      const parent = at.parent;
      if (!parent || parent === at) break;
      let found = '';
      for (const [name, child] of parent.children) if (child === at) { found = name; break; }
      parts.unshift(found);
      at = parent;
    }
    return '/' + parts.join('/');
  }

  private walk(root: Inode, start: Inode, startMount: Mount, path: string, follow: boolean, depth: number, credentials?: FsCredentials): ResolvedPath | number {
    if (path.length === 0) return -ENOENT;
    if (path.length >= PATH_MAX) return -ENAMETOOLONG;
    const absolute = path.charCodeAt(0) === 47;
    let at = absolute ? root : start;
    let mount = absolute ? this.mounts.mountOf(root) : startMount;
    const parts = path.split('/');
    let last = parts.length - 1;
    while (last > 0 && parts[last] === '') last--;
    for (let i = 0; i <= last; i++) {
      const part = parts[i]!;
      if (part === '' || part === '.') {
        if (!isDirectory(at.mode)) return -ENOTDIR;
        continue;
      }
      if (!isDirectory(at.mode)) return -ENOTDIR;
      if (part.length > NAME_MAX) return -ENAMETOOLONG;
      if (credentials) {
        const search = inodePermission(at, MAY_EXEC, credentials);
        if (search < 0) return search;
      }
      if (part === '..') {
        // follow_dotdot: at a mount root, step to the mountpoint first (repeatedly for stacked mounts).
        while (at !== root && at.mountRootOf?.mountpoint) {
          at = at.mountRootOf.mountpoint;
          mount = mount.parent ?? this.mounts.mountOf(at);
        }
        if (at !== root) at = at.parent ?? at;
        continue;
      }
      const found = this.lookupChild(at, part);
      if (typeof found === 'number') return found;
      let next = found;
      while (next.mountedHere) {
        mount = next.mountedHere as Mount;
        next = mount.root;
      }
      if (isSymlink(next.mode) && (i < last || follow || path.endsWith('/'))) {
        if (depth >= MAX_SYMLINKS) return -ELOOP;
        // A magic link names an object, not a path: an unlinked file or a pipe is reached all the same.
        const object = next.ops.followLink?.(next) ?? null;
        if (object !== null) {
          if (typeof object === 'number') return object;
          at = object;
          mount = this.mounts.mountOf(object);
          continue;
        }
        const target = this.readlink(next);
        if (typeof target === 'number') return target;
        const resolved = this.walk(root, at, mount, target, true, depth + 1, credentials);
        if (typeof resolved === 'number') return resolved;
        at = resolved.inode;
        mount = resolved.mount;
      } else {
        at = next;
      }
    }
    if (path.endsWith('/') && !isDirectory(at.mode)) return -ENOTDIR;
    return { inode: at, mount };
  }
}
