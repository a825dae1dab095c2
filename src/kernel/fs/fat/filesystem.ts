/**
 * The vfat filesystem type: VFS inodes over a FatVolume (fs/fat in Linux).
 * FAT has no inodes: an Inode stands for a directory entry, numbered by the
 * entry's position as Linux's i_pos is (the root is ino 1), and cached so
 * that one entry is one Inode. Permissions are synthesised as Linux's
 * defaults (uid/gid of the mount, 0755 & ~umask; read-only attribute clears
 * the write bits); symlinks, device nodes, hard links and chown are refused
 * with EPERM as on Linux. With a PageCache, a mapped file's pages are shared
 * (mm/page-cache.ts): read sees them, write and truncate update them, fsync and
 * sync write their stores back.
 */
import { EIO, EISDIR, ENOTBLK, ENOTEMPTY, EPERM, EROFS } from '../../lib/index.js';
import type { FileSystemType } from '../filesystem-type.js';
import type { FilePages, PageCache, PageSource } from '../../mm/index.js';
import type { Attributes, DirectoryEntry, FileOps, FilesystemStatistics, InodeOps, OpenFile, SuperOps, Superblock } from '../inode.js';
import { Inode, releaseInodeIfUnused, S_IFDIR, S_IFREG } from '../inode.js';
import { ATTR_ARCHIVE, ATTR_READ_ONLY } from './dirent.js';
import { FatVolume, isDirectoryNode } from './volume.js';
import { prefetchFileData } from './prefetch.js';
import type { FatNode, SectorDevice } from './volume.js';

/** statfs f_type of msdos/vfat. */
export const MSDOS_SUPER_MAGIC = 0x4d44;
const ROOT_INO = 1;

export interface VfatMountOptions {
  readonly device: number;
  readonly readOnly: boolean;
  /** Time now in ns since the epoch. */
  readonly now: () => number;
  readonly log: (line: string) => void;
  readonly uid?: number;
  readonly gid?: number;
  /** umask= (default 022: files and directories 0755). */
  readonly umask?: number;
  /** The kernel's page cache, for shared file mappings; left out, mappings are private copies. */
  readonly pageCache?: PageCache;
}

interface VfatSuperblock extends Superblock {
  readonly volume: FatVolume;
  readonly options: VfatMountOptions;
  /** Short-entry location → Inode for every entry the VFS holds (updated when a rename moves the entry). */
  readonly inodes: Map<number, Inode>;
  /** The cached pages of regular files, made at the first mmap. */
  readonly filePages: Map<Inode, FilePages>;
}

const nodeOf = (inode: Inode): FatNode => inode.private_ as FatNode;
const superOf = (inode: Inode): VfatSuperblock => inode.superblock as VfatSuperblock;
/** Where a node's short entry is: the key of the inode cache (-1 for the root). */
const locationOf = (node: FatNode): number => (node.isRoot ? -1 : node.slots[node.slots.length - 1]!);

/** Mounts the FAT volume on `disk`; a negative errno (with a log line) if it is not one. */
export function mountVfat(disk: SectorDevice, options: VfatMountOptions): Superblock | number {
  const volume = FatVolume.open(disk, options.log);
  if (typeof volume === 'number') return volume;
  const superblock: VfatSuperblock = {
    type: 'vfat', device: options.device, nextIno: 2, ops: superOps, flags: options.readOnly ? 1 : 0, volume, options, inodes: new Map(), filePages: new Map(),
  };
  const root = inodeFor(superblock, volume.root);
  root.parent = root;
  superblock.root = root;
  options.log(`vfat: mounted FAT${volume.geometry.type}, ${volume.geometry.clusterCount} clusters of ${volume.geometry.clusterSize} bytes${options.readOnly ? ' (read-only)' : ''}`);
  return superblock;
}

function modeOf(superblock: VfatSuperblock, node: FatNode): number {
  const umask = superblock.options.umask ?? 0o022;
  let permissions = 0o777 & ~umask;
  if (!node.isRoot && (node.entry.attr & ATTR_READ_ONLY) !== 0) permissions &= ~0o222;
  return (isDirectoryNode(node) ? S_IFDIR : S_IFREG) | permissions;
}

/** The inode of an entry: cached by location; new ones are numbered in order (as Linux's iunique). */
function inodeFor(superblock: VfatSuperblock, node: FatNode): Inode {
  const location = locationOf(node);
  const cached = superblock.inodes.get(location);
  if (cached) { cached.private_ = node; return cached; }
  const directory = isDirectoryNode(node);
  const ino = node.isRoot ? ROOT_INO : superblock.nextIno++;
  const inode = new Inode(superblock, ino, modeOf(superblock, node), directory ? directoryFileOps : regularFileOps);
  inode.ops = inodeOps;
  inode.private_ = node;
  inode.uid = superblock.options.uid ?? 0;
  inode.gid = superblock.options.gid ?? 0;
  refresh(inode);
  superblock.inodes.set(location, inode);
  return inode;
}

/** Copies the entry's size and times into the inode. */
function refresh(inode: Inode): void {
  const node = nodeOf(inode);
  const superblock = superOf(inode);
  inode.size = isDirectoryNode(node) ? directorySize(superblock.volume, node) : node.entry.size;
  inode.mtime = node.entry.mtime;
  inode.ctime = node.entry.mtime;
  inode.atime = node.entry.atime;
  inode.blocks = Math.ceil(inode.size / superblock.volume.geometry.clusterSize) * (superblock.volume.geometry.clusterSize / 512);
  // An entry removed while open (slots detached) stays unlinked: a write to it must not bring nlink back, or evict never frees its clusters.
  if (!node.isRoot && node.slots.length === 0) inode.nlink = 0;
  else inode.nlink = isDirectoryNode(node) ? 2 + subdirectoryCount(superblock.volume, node) : 1;
}

function directorySize(volume: FatVolume, node: FatNode): number {
  if (node.isRoot && volume.geometry.type !== 32) return volume.geometry.rootEntryCount * 32;
  const chain = volume.chainOf(node);
  return typeof chain === 'number' ? 0 : chain.length * volume.geometry.clusterSize;
}

function subdirectoryCount(volume: FatVolume, node: FatNode): number {
  const nodes = volume.list(node);
  return typeof nodes === 'number' ? 0 : nodes.filter((n) => isDirectoryNode(n) && n.name !== '.' && n.name !== '..').length;
}

function writable(inode: Inode): number {
  return ((inode.superblock.flags ?? 0) & 1) !== 0 ? -EROFS : 0;
}

/** Writes the FAT (all copies) and the device after a metadata change (Linux's vfat writes through on sync mounts; ir0 writes back here). */
function stamp(inode: Inode): number {
  const node = nodeOf(inode);
  const volume = superOf(inode).volume;
  node.entry.mtime = superOf(inode).options.now();
  const updated = volume.updateEntry(node);
  const fat = volume.writeFat();
  return updated < 0 ? updated : fat;
}

const inodeOps: InodeOps = {
  lookup(directory, name) {
    const superblock = superOf(directory);
    const node = superblock.volume.lookup(nodeOf(directory), name);
    if (typeof node === 'number') return node;
    return inodeFor(superblock, node);
  },
  create(directory, name, mode) {
    const refused = writable(directory);
    if (refused < 0) return refused;
    const superblock = superOf(directory);
    const now = superblock.options.now();
    const attr = ATTR_ARCHIVE | ((mode & 0o222) === 0 ? ATTR_READ_ONLY : 0);
    const node = superblock.volume.addEntry(nodeOf(directory), name, { attr, firstCluster: 0, size: 0, mtime: now, ctime: now, atime: now });
    if (typeof node === 'number') return node;
    stamp(directory);
    return inodeFor(superblock, node);
  },
  mkdir(directory, name) {
    const refused = writable(directory);
    if (refused < 0) return refused;
    const superblock = superOf(directory);
    const node = superblock.volume.mkdir(nodeOf(directory), name, superblock.options.now());
    if (typeof node === 'number') return node;
    stamp(directory);
    directory.nlink++;
    return inodeFor(superblock, node);
  },
  mknod: () => -EPERM,
  symlink: () => -EPERM,
  link: () => -EPERM,
  unlink(directory, _name, inode) {
    const refused = writable(directory);
    if (refused < 0) return refused;
    const superblock = superOf(directory);
    const node = nodeOf(inode);
    const location = locationOf(node);
    const removed = superblock.volume.removeEntry(nodeOf(directory), node);
    if (removed < 0) return removed;
    superblock.inodes.delete(location);
    inode.nlink = 0;
    stamp(directory);
    return 0;
  },
  rmdir(directory, _name, inode) {
    const refused = writable(directory);
    if (refused < 0) return refused;
    const superblock = superOf(directory);
    const location = locationOf(nodeOf(inode));
    const result = superblock.volume.rmdir(nodeOf(directory), nodeOf(inode));
    if (result < 0) return result;
    superblock.inodes.delete(location);
    inode.nlink = 0;
    directory.nlink--;
    stamp(directory);
    return 0;
  },
  rename(oldDirectory, _oldName, inode, newDirectory, newName, replaced) {
    const refused = writable(oldDirectory);
    if (refused < 0) return refused;
    const superblock = superOf(inode);
    const volume = superblock.volume;
    const node = nodeOf(inode);
    if (replaced) {
      const old = nodeOf(replaced);
      superblock.inodes.delete(locationOf(old));
      if (isDirectoryNode(old)) {
        const empty = volume.isEmpty(old);
        if (empty !== true) return typeof empty === 'number' ? empty : -ENOTEMPTY;
        const gone = volume.rmdir(nodeOf(newDirectory), old);
        if (gone < 0) return gone;
        newDirectory.nlink--;
      } else {
        const gone = volume.removeEntry(nodeOf(newDirectory), old);
        if (gone < 0) return gone;
      }
      replaced.nlink = 0;
    }
    const moved = volume.addEntry(nodeOf(newDirectory), newName, { ...node.entry });
    if (typeof moved === 'number') return moved;
    const oldLocation = locationOf(node);
    const removed = volume.removeEntry(nodeOf(oldDirectory), node);
    if (removed < 0) return removed;
    if (isDirectoryNode(node) && oldDirectory !== newDirectory) {
      const reparented = volume.setParent(moved, nodeOf(newDirectory));
      if (reparented < 0) return reparented;
      oldDirectory.nlink--;
      newDirectory.nlink++;
    }
    // The inode keeps its number while cached (as Linux's does); its entry is the new one.
    superblock.inodes.delete(oldLocation);
    moved.chain = node.chain;
    inode.private_ = moved;
    superblock.inodes.set(locationOf(moved), inode);
    stamp(oldDirectory);
    if (newDirectory !== oldDirectory) stamp(newDirectory);
    return 0;
  },
  setattr(inode, attributes: Attributes) {
    const refused = writable(inode);
    if (refused < 0) return refused;
    const superblock = superOf(inode);
    const node = nodeOf(inode);
    if (attributes.uid !== undefined && attributes.uid !== inode.uid) return -EPERM;
    if (attributes.gid !== undefined && attributes.gid !== inode.gid) return -EPERM;
    if (attributes.size !== undefined) {
      if (isDirectoryNode(node)) return -EISDIR;
      const oldSize = inode.size;
      const cut = superblock.volume.truncate(node, attributes.size);
      if (cut < 0) return cut;
      superblock.filePages.get(inode)?.resize(oldSize, attributes.size);
      node.entry.mtime = superblock.options.now();
    }
    if (attributes.mode !== undefined && !node.isRoot) {
      // Only the write bits mean something on FAT: all clear = the read-only attribute.
      node.entry.attr = (attributes.mode & 0o222) === 0 ? node.entry.attr | ATTR_READ_ONLY : node.entry.attr & ~ATTR_READ_ONLY;
    }
    if (attributes.mtime !== undefined) node.entry.mtime = attributes.mtime;
    if (attributes.atime !== undefined) node.entry.atime = attributes.atime;
    const written = superblock.volume.updateEntry(node);
    if (written < 0) return written;
    if (superblock.volume.writeFat() < 0) return -EIO;
    inode.mode = modeOf(superblock, node);
    refresh(inode);
    return 0;
  },
  getattr(inode) {
    refresh(inode);
  },
};

function readFile(file: OpenFile, count: number, position: number): Uint8Array | number {
  const data = superOf(file.inode).volume.readData(nodeOf(file.inode), position, count);
  if (typeof data !== 'number') superOf(file.inode).filePages.get(file.inode)?.copyOut(position, data);
  return data;
}

/** The data write(2) and write-back share: the volume, the entry's time and archive bit, the cached pages. */
function writeFile(inode: Inode, data: Uint8Array, position: number): number {
  const refused = writable(inode);
  if (refused < 0) return refused;
  const superblock = superOf(inode);
  const node = nodeOf(inode);
  const oldSize = inode.size;
  const written = superblock.volume.writeData(node, position, data);
  if (written < 0) return written;
  node.entry.mtime = superblock.options.now();
  node.entry.attr |= ATTR_ARCHIVE;
  const updated = superblock.volume.updateEntry(node);
  if (updated < 0) return updated;
  if (superblock.volume.writeFat() < 0) return -EIO;
  refresh(inode);
  const pages = superblock.filePages.get(inode);
  if (pages) {
    if (position > oldSize) pages.resize(oldSize, inode.size);
    pages.copyIn(position, data.subarray(0, written));
  }
  return written;
}

/** Read-ahead of file reads that wait for the disk (Linux's default read_ahead_kb = 128). */
const READ_AHEAD = 128 * 1024;

const regularFileOps: FileOps = {
  seekable: true,
  read(file, count, position, io) {
    // Uncached clusters: the read is submitted and the task sleeps (uninterruptibly, as Linux's page-cache reads)
    // until the disk's interrupt, then the call restarts.
    const wait = prefetchFileData(superOf(file.inode).volume, nodeOf(file.inode), position, count, READ_AHEAD);
    if (wait) return io.blockUninterruptible(wait);
    return readFile(file, count, position);
  },
  write: (file, data, position) => writeFile(file.inode, data, position),
  fsync(file) {
    const written = superOf(file.inode).filePages.get(file.inode)?.writeback() ?? 0;
    const synced = superOf(file.inode).volume.sync();
    return written < 0 ? written : synced;
  },
  pageSource: (inode, name) => fatPageSource(inode, name),
};

const directoryFileOps: FileOps = {
  seekable: true,
  read: () => -EISDIR,
  readdir(file, cursor, emit: (entry: DirectoryEntry) => boolean) {
    const inode = file.inode;
    const superblock = superOf(inode);
    const nodes = superblock.volume.list(nodeOf(inode));
    if (typeof nodes === 'number') return nodes;
    const entries: { name: string; ino: number; type: number }[] = [
      { name: '.', ino: inode.ino, type: 4 },
      { name: '..', ino: inode.parent?.ino ?? inode.ino, type: 4 },
      ...nodes.filter((n) => n.name !== '.' && n.name !== '..').map((n) => ({
        // An entry not looked up yet has no inode: its d_ino is derived from its location (nonzero, unlike any counter value).
        name: n.name, ino: superblock.inodes.get(locationOf(n))?.ino ?? 0x40000000 + locationOf(n) / 32, type: isDirectoryNode(n) ? 4 : 8,
      })),
    ];
    for (let i = cursor; i < entries.length; i++) {
      const entry = entries[i]!;
      if (!emit({ ...entry, next: i + 1 })) return 0;
    }
    return 0;
  },
  fsync(file) {
    return superOf(file.inode).volume.sync();
  },
};

/** mmap and exec read file pages through this: the page cache's pages when the mount has one, else private copies. */
function fatPageSource(inode: Inode, name: string): PageSource {
  const pages = filePagesOf(inode);
  if (pages) return pages.source(name, inode);
  return {
    name,
    readAt: (offset, dest) => readAt(inode, offset, dest),
    hold: () => { inode.openCount++; },
    release: () => { inode.openCount--; releaseInodeIfUnused(inode); },
  };
}

function readAt(inode: Inode, offset: number, dest: Uint8Array): number {
  const data = superOf(inode).volume.readData(nodeOf(inode), offset, dest.length);
  if (typeof data === 'number') return data;
  dest.set(data);
  return data.length;
}

function filePagesOf(inode: Inode): FilePages | null {
  const superblock = superOf(inode);
  const existing = superblock.filePages.get(inode);
  if (existing || !superblock.options.pageCache) return existing ?? null;
  const pages = superblock.options.pageCache.create({
    size: () => inode.size,
    read: (offset, into) => readAt(inode, offset, into),
    write: (offset, data) => {
      const written = writeFile(inode, data, offset);
      return written < 0 ? written : 0;
    },
    sync: () => superblock.volume.sync(),
    hold: () => { inode.openCount++; },
    release: () => { inode.openCount--; releaseInodeIfUnused(inode); },
  });
  superblock.filePages.set(inode, pages);
  return pages;
}

/** Writes back every file's dirty pages (sync, unmount, remount). */
function writebackFiles(superblock: VfatSuperblock): number {
  let status = 0;
  for (const pages of superblock.filePages.values()) {
    const result = pages.writeback();
    if (status === 0) status = result;
  }
  return status;
}

const superOps: SuperOps = {
  statfs(superblock): FilesystemStatistics {
    const volume = (superblock as VfatSuperblock).volume;
    const clusters = volume.geometry.clusterCount;
    return {
      type: MSDOS_SUPER_MAGIC, blockSize: volume.geometry.clusterSize, blocks: clusters, freeBlocks: volume.fat.freeCount,
      availableBlocks: volume.fat.freeCount, files: 0, freeFiles: 0, nameLength: 255,
    };
  },
  sync(superblock) {
    const written = writebackFiles(superblock as VfatSuperblock);
    const synced = (superblock as VfatSuperblock).volume.sync();
    return written < 0 ? written : synced;
  },
  putSuper(superblock) {
    const vfat = superblock as VfatSuperblock;
    writebackFiles(vfat);
    for (const pages of vfat.filePages.values()) pages.drop();
    vfat.filePages.clear();
    vfat.volume.sync();
  },
  writeInode(inode) {
    return superOf(inode).volume.updateEntry(nodeOf(inode));
  },
  evict(inode) {
    const superblock = superOf(inode);
    superblock.filePages.get(inode)?.drop();
    superblock.filePages.delete(inode);
    if (((superblock.flags ?? 0) & 1) !== 0) return;
    superblock.volume.freeData(nodeOf(inode));
    superblock.volume.writeFat();
  },
  remount(superblock, flags) {
    (superblock as { flags?: number }).flags = flags & 1;
    writebackFiles(superblock as VfatSuperblock);
    return (superblock as VfatSuperblock).volume.sync() < 0 ? -EIO : 0;
  },
};


/** The "vfat" filesystem type for the registry (mount -t vfat /dev/hda1 /mnt; options uid=, gid=, umask=). */
export function vfatFilesystemType(now: () => number, log: (line: string) => void, pageCache?: PageCache): FileSystemType {
  return {
    name: 'vfat',
    requiresDevice: true,
    mount(request) {
      if (!request.device) return -ENOTBLK;
      const option = (key: string): number | undefined => {
        const match = new RegExp(`(?:^|,)${key}=(\\d+)`).exec(request.data);
        return match ? Number.parseInt(match[1]!, key === 'umask' ? 8 : 10) : undefined;
      };
      return mountVfat(request.device, {
        device: request.deviceNumber, readOnly: (request.flags & 1) !== 0, now, log, uid: option('uid'), gid: option('gid'), umask: option('umask'), pageCache,
      });
    },
  };
}
