/**
 * The "ext2" filesystem type for the VFS (mount -t ext2, root=/dev/hda1): VFS
 * inodes over an Ext2Volume whose block device is the block layer's cache, so
 * file data and metadata both live in the kernel's page cache and reach the disk
 * on sync, fsync and write-back. One VFS Inode per ext2 inode (hard links share
 * it); the VFS's reference is an Ext2Volume reference, dropped at evict, so an
 * unlinked open file lives on the orphan list until its last close.
 * Fields the VFS sets directly (owner after create, times) are pushed to the
 * disk inode by writeInode, fsync, sync and evict. With a PageCache, a regular
 * file's mappings share its cached pages (mm/page-cache.ts): read sees them,
 * write goes to the volume and into them, truncate cuts them, fsync and sync
 * write their stores back.
 */
import { EIO, ENOTBLK } from '../../lib/index.js';
import type { FilePages, PageCache, PageSource } from '../../mm/index.js';
import type { FileSystemType } from '../filesystem-type.js';
import {
  type Attributes, type DirectoryEntry, type FileOps, type FilesystemStatistics, Inode, type InodeOps, type SuperOps, type Superblock,
  S_IFDIR, S_IFMT, S_IFREG, isDirectory, releaseInodeIfUnused,
} from '../inode.js';
import { specialFileOps } from '../tmpfs.js';
import type { BlockDevice } from './block-device.js';
import { EXT2_SUPER_MAGIC } from './constants.js';
import { Ext2Volume } from './volume.js';

interface Ext2Superblock extends Superblock {
  readonly volume: Ext2Volume;
  readonly inodes: Map<number, Inode>;
  /** The page cache of mapped files (null: mappings copy, as in tests and mkimage). */
  readonly pageCache: PageCache | null;
  /** The cached pages of regular files by ino, made at the first mmap. */
  readonly filePages: Map<number, FilePages>;
}

const NS = 1e9;
const superOf = (inode: Inode): Ext2Superblock => inode.superblock as Ext2Superblock;
const volumeOf = (inode: Inode): Ext2Volume => superOf(inode).volume;

/** The VFS inode for ext2 inode `ino` (made once, from the disk inode). */
function inodeFor(superblock: Ext2Superblock, ino: number): Inode | number {
  const cached = superblock.inodes.get(ino);
  if (cached) return cached;
  const stat = superblock.volume.stat(ino);
  if (typeof stat === 'number') return stat;
  const type = stat.mode & S_IFMT;
  const fileOps = type === S_IFREG ? ext2FileOps : type === S_IFDIR ? ext2DirectoryOps : specialFileOps;
  const inode = new Inode(superblock, ino, stat.mode, fileOps);
  inode.ops = ext2InodeOps;
  refresh(inode);
  superblock.volume.acquire(ino);
  superblock.inodes.set(ino, inode);
  return inode;
}

/** Copies the disk inode's fields into the VFS inode. */
function refresh(inode: Inode): void {
  const stat = volumeOf(inode).stat(inode.ino);
  if (typeof stat === 'number') return;
  inode.mode = stat.mode;
  inode.nlink = stat.nlink;
  inode.uid = stat.uid;
  inode.gid = stat.gid;
  inode.size = stat.size;
  inode.blocks = stat.blocks;
  inode.rdev = stat.rdev;
  inode.atime = stat.atime * NS;
  inode.mtime = stat.mtime * NS;
  inode.ctime = stat.ctime * NS;
}

/** Pushes the VFS inode's mode, owner and times to the disk inode when they differ. */
function pushFields(inode: Inode): number {
  const volume = volumeOf(inode);
  if (volume.readOnly) return 0;
  const stat = volume.stat(inode.ino);
  if (typeof stat === 'number') return stat;
  const seconds = (ns: number): number => Math.floor(ns / NS);
  if (stat.mode === inode.mode && stat.uid === inode.uid && stat.gid === inode.gid && stat.atime === seconds(inode.atime)
    && stat.mtime === seconds(inode.mtime) && stat.ctime === seconds(inode.ctime)) return 0;
  return volume.setAttributes(inode.ino, {
    mode: inode.mode, uid: inode.uid, gid: inode.gid, atime: seconds(inode.atime), mtime: seconds(inode.mtime), ctime: seconds(inode.ctime),
  });
}

function made(directory: Inode, ino: number): Inode | number {
  if (ino < 0) return ino;
  const inode = inodeFor(superOf(directory), ino);
  refresh(directory);
  return inode;
}

const ext2InodeOps: InodeOps = {
  lookup(directory, name) {
    const ino = volumeOf(directory).lookup(directory.ino, name);
    if (ino < 0) return ino;
    const inode = inodeFor(superOf(directory), ino);
    if (typeof inode !== 'number' && isDirectory(inode.mode)) inode.parent = directory;
    return inode;
  },
  create: (directory, name, mode) => made(directory, volumeOf(directory).create(directory.ino, name, S_IFREG | (mode & 0o7777), directory.uid, directory.gid)),
  mkdir: (directory, name, mode) => made(directory, volumeOf(directory).mkdir(directory.ino, name, mode & 0o7777, 0, 0)),
  mknod: (directory, name, mode, rdev) => made(directory, volumeOf(directory).create(directory.ino, name, mode, 0, 0, rdev)),
  symlink: (directory, name, target) => made(directory, volumeOf(directory).symlink(directory.ino, name, target, 0, 0)),
  link(inode, directory, name) {
    const status = volumeOf(directory).link(directory.ino, name, inode.ino);
    if (status < 0) return status;
    refresh(inode);
    refresh(directory);
    return 0;
  },
  unlink(directory, name, inode) {
    const status = volumeOf(directory).unlink(directory.ino, name);
    if (status < 0) return status;
    refresh(inode);
    refresh(directory);
    return 0;
  },
  rmdir(directory, name, inode) {
    const status = volumeOf(directory).rmdir(directory.ino, name);
    if (status < 0) return status;
    inode.nlink = 0;
    refresh(directory);
    return 0;
  },
  rename(oldDirectory, oldName, inode, newDirectory, newName, replaced) {
    const status = volumeOf(oldDirectory).rename(oldDirectory.ino, oldName, newDirectory.ino, newName);
    if (status < 0) return status;
    refresh(oldDirectory);
    refresh(newDirectory);
    refresh(inode);
    if (isDirectory(inode.mode)) inode.parent = newDirectory;
    if (replaced) {
      const stat = volumeOf(replaced).stat(replaced.ino);
      replaced.nlink = typeof stat === 'number' ? 0 : stat.nlink;
    }
    return 0;
  },
  readlink(inode) {
    const target = volumeOf(inode).readlink(inode.ino);
    return typeof target === 'number' ? target : new TextDecoder().decode(target);
  },
  setattr(inode, attributes: Attributes) {
    const volume = volumeOf(inode);
    if (attributes.size !== undefined) {
      const oldSize = inode.size;
      const status = volume.truncate(inode.ino, attributes.size);
      if (status < 0) return status;
      inode.size = attributes.size;
      filePagesOf(inode)?.resize(oldSize, attributes.size);
    }
    if (attributes.mode !== undefined) inode.mode = (inode.mode & S_IFMT) | (attributes.mode & 0o7777);
    if (attributes.uid !== undefined) inode.uid = attributes.uid;
    if (attributes.gid !== undefined) inode.gid = attributes.gid;
    if (attributes.atime !== undefined) inode.atime = attributes.atime;
    if (attributes.mtime !== undefined) inode.mtime = attributes.mtime;
    if (attributes.ctime !== undefined) inode.ctime = attributes.ctime;
    const status = pushFields(inode);
    const stat = volume.stat(inode.ino);
    if (typeof stat !== 'number') inode.blocks = stat.blocks;
    return status;
  },
};

function pageSourceOf(inode: Inode, name: string): PageSource {
  const pages = filePagesOf(inode, true);
  if (pages) return pages.source(name, inode);
  return {
    name,
    readAt(offset, dest) {
      const data = volumeOf(inode).read(inode.ino, offset, dest.length);
      if (typeof data === 'number') return data;
      dest.set(data);
      return data.length;
    },
    hold: () => { inode.openCount++; },
    release: () => { inode.openCount--; releaseInodeIfUnused(inode); },
  };
}

/** The file's page cache: made on the first mmap (`create`), else only looked up. */
function filePagesOf(inode: Inode, create = false): FilePages | null {
  const superblock = superOf(inode);
  const existing = superblock.filePages.get(inode.ino);
  if (existing || !create || !superblock.pageCache) return existing ?? null;
  const volume = superblock.volume;
  const pages = superblock.pageCache.create({
    size: () => inode.size,
    read(offset, into) {
      const data = volume.read(inode.ino, offset, into.length);
      if (typeof data === 'number') return data;
      into.set(data);
      return data.length;
    },
    write(offset, data) {
      const written = volume.write(inode.ino, offset, data);
      refresh(inode);
      return written < 0 ? written : 0;
    },
    sync() {
      pushFields(inode);
      return volume.fsync(inode.ino);
    },
    hold: () => { inode.openCount++; },
    release: () => { inode.openCount--; releaseInodeIfUnused(inode); },
  });
  superblock.filePages.set(inode.ino, pages);
  return pages;
}

/** Writes back every file's dirty pages (sync, unmount). */
function writebackFiles(superblock: Ext2Superblock): number {
  let status = 0;
  for (const pages of superblock.filePages.values()) {
    const result = pages.writeback();
    if (status === 0) status = result;
  }
  return status;
}

const ext2FileOps: FileOps = {
  seekable: true,
  read(file, count, position) {
    const data = volumeOf(file.inode).read(file.inode.ino, position, count);
    if (typeof data !== 'number') filePagesOf(file.inode)?.copyOut(position, data);
    return data;
  },
  write(file, data, position) {
    const inode = file.inode;
    const oldSize = inode.size;
    const written = volumeOf(inode).write(inode.ino, position, data);
    if (written > 0) {
      const stat = volumeOf(inode).stat(inode.ino);
      if (typeof stat !== 'number') { inode.size = stat.size; inode.blocks = stat.blocks; }
      const pages = filePagesOf(inode);
      if (pages) {
        if (position > oldSize) pages.resize(oldSize, inode.size);
        pages.copyIn(position, data.subarray(0, written));
      }
    }
    return written;
  },
  fsync(file) {
    const pages = filePagesOf(file.inode);
    if (pages) return pages.sync();
    pushFields(file.inode);
    return volumeOf(file.inode).fsync(file.inode.ino);
  },
  pageSource: pageSourceOf,
};

/** d_type from the entry's file_type (ext2 FT_* → DT_*). */
const DIRECTORY_TYPES = [0, 8, 4, 2, 6, 1, 12, 10];

const ext2DirectoryOps: FileOps = {
  seekable: true,
  readdir(file, cursor, emit: (entry: DirectoryEntry) => boolean) {
    const entries = volumeOf(file.inode).readDirectory(file.inode.ino);
    if (typeof entries === 'number') return entries;
    for (let i = cursor; i < entries.length; i++) {
      const entry = entries[i]!;
      if (!emit({ name: entry.name, ino: entry.ino, type: DIRECTORY_TYPES[entry.fileType] ?? 0, next: i + 1 })) break;
    }
    return 0;
  },
  fsync: (file) => volumeOf(file.inode).fsync(file.inode.ino),
};

const ext2SuperOps: SuperOps = {
  statfs(superblock): FilesystemStatistics {
    const statfs = (superblock as Ext2Superblock).volume.statfs();
    return { type: EXT2_SUPER_MAGIC, ...statfs };
  },
  sync(superblock) {
    const ext2 = superblock as Ext2Superblock;
    const written = writebackFiles(ext2);
    for (const inode of ext2.inodes.values()) if (inode.nlink > 0) pushFields(inode);
    const synced = ext2.volume.sync();
    return written < 0 ? written : synced;
  },
  putSuper(superblock) {
    const ext2 = superblock as Ext2Superblock;
    writebackFiles(ext2);
    for (const pages of ext2.filePages.values()) pages.drop();
    ext2.filePages.clear();
    for (const inode of ext2.inodes.values()) if (inode.nlink > 0) pushFields(inode);
    ext2.volume.unmount();
  },
  writeInode: (inode) => pushFields(inode),
  evict(inode) {
    const ext2 = superOf(inode);
    ext2.filePages.get(inode.ino)?.drop();
    ext2.filePages.delete(inode.ino);
    ext2.inodes.delete(inode.ino);
    ext2.volume.release(inode.ino);
  },
  remount(superblock, flags) {
    (superblock as { flags?: number }).flags = flags & 1;
    writebackFiles(superblock as Ext2Superblock);
    return (superblock as Ext2Superblock).volume.remount((flags & 1) !== 0) < 0 ? -EIO : 0;
  },
};

export interface Ext2MountRequest {
  device: BlockDevice;
  deviceNumber: number;
  readOnly: boolean;
  /** Nanoseconds since the epoch. */
  realtime: () => number;
  log: (line: string) => void;
  name?: string;
  /** The kernel's page cache, for shared file mappings; left out, mappings are private copies. */
  pageCache?: PageCache;
}

/** Mounts an ext2 volume as a VFS superblock with its root inode; a negative errno when the device holds no usable ext2. */
export function mountExt2(request: Ext2MountRequest): Superblock | number {
  const log = { info: request.log, warn: request.log, error: request.log };
  const mounted = Ext2Volume.mount(request.device, {
    readOnly: request.readOnly, now: () => Math.floor(request.realtime() / NS), log, name: request.name,
  });
  if (!mounted.ok) return -mounted.errno;
  const superblock: Ext2Superblock = {
    type: 'ext2', device: request.deviceNumber, nextIno: 0, ops: ext2SuperOps, flags: request.readOnly ? 1 : 0,
    volume: mounted.value, inodes: new Map(), pageCache: request.pageCache ?? null, filePages: new Map(),
  };
  const root = inodeFor(superblock, mounted.value.rootIno);
  if (typeof root === 'number') return root;
  root.parent = root;
  superblock.root = root;
  return superblock;
}

/** The "ext2" type for the filesystem registry. */
export function ext2FilesystemType(realtime: () => number, log: (line: string) => void, pageCache?: PageCache): FileSystemType {
  return {
    name: 'ext2',
    requiresDevice: true,
    mount(request) {
      if (!request.device) return -ENOTBLK;
      return mountExt2({ device: request.device, deviceNumber: request.deviceNumber, readOnly: (request.flags & 1) !== 0, realtime, log, name: request.source.replace(/^\/dev\//, ''), pageCache });
    },
  };
}
