/**
 * Ext2Volume: the ext2 namespace and file operations by inode number — what the
 * VFS driver, `ir0 mkimage` and the tests call. Names are UTF-8 strings (the
 * VFS's), stored as bytes. Errors are negative errnos. Link counts follow
 * fs/ext2/namei.c (a directory has 2 + its subdirectories); an inode whose last
 * link goes while the VFS still holds it waits on the orphan list (s_last_orphan
 * chained through i_dtime) until `release`, and the list is replayed at mount.
 */
import { type Result, err, ok } from '../../../base/result.js';
import {
  EEXIST, EINVAL, EISDIR, EMLINK, ENAMETOOLONG, ENOENT, ENOTDIR, ENOTEMPTY, EPERM, EROFS,
} from '../../lib/index.js';
import { allocateInode, freeInode } from './allocator.js';
import { deviceNumber, freeSharedAttributeBlock, setDeviceNumber } from './special-blocks.js';
import { sectorsPerBlock } from './block-map.js';
import type { BlockDevice } from './block-device.js';
import {
  EXT2_FAST_SYMLINK_MAX, EXT2_INDEX_FL, EXT2_LINK_MAX, EXT2_NAME_LEN, EXT2_ROOT_INO, EXT4_EXTENTS_FL, FT_DIR,
  S_IFBLK, S_IFCHR, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, fileTypeOfMode,
} from './constants.js';
import type { DiskInode } from './disk-inode.js';
import {
  addEntry, initializeDirectory, isEmptyDirectory, listEntries, lookupEntry, removeEntry, retargetEntry,
} from './directory.js';
import { readData, truncateData, writeData } from './file-data.js';
import { type Ext2MountOptions, Ext2Filesystem, type Ext2Statfs } from './filesystem.js';

export interface Ext2Stat {
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  size: number;
  /** 512-byte units. */
  blocks: number;
  atime: number;
  mtime: number;
  ctime: number;
  /** major << 8 | minor for minor < 256; Linux's new_encode_dev otherwise. */
  rdev: number;
}

export interface Ext2Attributes {
  mode?: number;
  uid?: number;
  gid?: number;
  atime?: number;
  mtime?: number;
  ctime?: number;
}

export interface Ext2NamedEntry {
  name: string;
  ino: number;
  fileType: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class Ext2Volume {
  private generation = 1;

  private constructor(readonly fs: Ext2Filesystem) {}

  static mount(device: BlockDevice, options: Ext2MountOptions = {}): Result<Ext2Volume> {
    const mounted = Ext2Filesystem.mount(device, options);
    if (!mounted.ok) return err(mounted.errno);
    const volume = new Ext2Volume(mounted.value);
    if (!volume.fs.readOnly) {
      const status = volume.processOrphans();
      if (status < 0) volume.fs.log.warn(`EXT2-fs (${volume.fs.name}): orphan list processing stopped (errno ${-status})`);
      volume.fs.sync();
    }
    return ok(volume);
  }

  get readOnly(): boolean { return this.fs.readOnly; }
  get rootIno(): number { return EXT2_ROOT_INO; }

  private inode(ino: number): DiskInode | number {
    const inode = this.fs.getInode(ino);
    if (typeof inode === 'number') return inode;
    if (inode.linksCount === 0 && inode.references === 0 && inode.mode === 0) return this.fs.corrupt(`inode ${ino} is deleted but still referenced`);
    if ((inode.flags & EXT4_EXTENTS_FL) !== 0) return this.fs.corrupt(`inode ${ino} uses extents, which ext2 cannot read`);
    return inode;
  }

  private directory(ino: number): DiskInode | number {
    const inode = this.inode(ino);
    if (typeof inode === 'number') return inode;
    return inode.isDirectory ? inode : -ENOTDIR;
  }

  private writable(): number { return this.fs.readOnly ? -EROFS : 0; }

  stat(ino: number): Ext2Stat | number {
    const inode = this.inode(ino);
    if (typeof inode === 'number') return inode;
    return {
      ino, mode: inode.mode, nlink: inode.linksCount, uid: inode.uid, gid: inode.gid, size: inode.size,
      blocks: inode.blocks, atime: inode.atime, mtime: inode.mtime, ctime: inode.ctime, rdev: deviceNumber(inode),
    };
  }

  /** The inode number `name` names in directory `dir`, or -ENOENT / another negative errno. */
  lookup(dir: number, name: string): number {
    const directory = this.directory(dir);
    if (typeof directory === 'number') return directory;
    const found = lookupEntry(this.fs, directory, encoder.encode(name));
    return found === 0 ? -ENOENT : found;
  }

  readDirectory(dir: number): Ext2NamedEntry[] | number {
    const directory = this.directory(dir);
    if (typeof directory === 'number') return directory;
    const entries = listEntries(this.fs, directory);
    if (typeof entries === 'number') return entries;
    return entries.map((entry) => ({ name: decoder.decode(entry.name), ino: entry.ino, fileType: entry.fileType }));
  }

  read(ino: number, position: number, length: number): Uint8Array | number {
    const inode = this.inode(ino);
    if (typeof inode === 'number') return inode;
    if (inode.isDirectory) return -EISDIR;
    return readData(this.fs, inode, position, length);
  }

  write(ino: number, position: number, data: Uint8Array): number {
    const inode = this.inode(ino);
    if (typeof inode === 'number') return inode;
    if (inode.isDirectory) return -EISDIR;
    const denied = this.writable();
    if (denied < 0) return denied;
    const written = writeData(this.fs, inode, position, data);
    if (written > 0) {
      inode.mtime = inode.ctime = this.fs.now();
      this.fs.writeInode(inode);
    }
    return written;
  }

  truncate(ino: number, size: number): number {
    const inode = this.inode(ino);
    if (typeof inode === 'number') return inode;
    if (inode.isDirectory) return -EISDIR;
    if (!inode.isRegular) return -EINVAL;
    const denied = this.writable();
    if (denied < 0) return denied;
    inode.mtime = inode.ctime = this.fs.now();
    return truncateData(this.fs, inode, size);
  }

  setAttributes(ino: number, attributes: Ext2Attributes): number {
    const inode = this.inode(ino);
    if (typeof inode === 'number') return inode;
    const denied = this.writable();
    if (denied < 0) return denied;
    if (attributes.mode !== undefined) inode.mode = (inode.mode & S_IFMT) | (attributes.mode & 0o7777);
    if (attributes.uid !== undefined) inode.uid = attributes.uid;
    if (attributes.gid !== undefined) inode.gid = attributes.gid;
    if (attributes.atime !== undefined) inode.atime = attributes.atime;
    if (attributes.mtime !== undefined) inode.mtime = attributes.mtime;
    inode.ctime = attributes.ctime ?? this.fs.now();
    return this.fs.writeInode(inode);
  }

  /** Creates a regular file, device node, FIFO or socket (mknod / open O_CREAT). */
  create(dir: number, name: string, mode: number, uid: number, gid: number, rdev = 0): number {
    if ((mode & S_IFMT) === S_IFDIR || (mode & S_IFMT) === S_IFLNK) return -EINVAL;
    const inode = this.newChild(dir, name, (mode & S_IFMT) === 0 ? mode | S_IFREG : mode, uid, gid);
    if (typeof inode === 'number') return inode;
    if ((inode.mode & S_IFMT) === S_IFCHR || (inode.mode & S_IFMT) === S_IFBLK) setDeviceNumber(inode, rdev);
    return this.finishChild(dir, name, inode);
  }

  mkdir(dir: number, name: string, mode: number, uid: number, gid: number): number {
    const parent = this.directory(dir);
    if (typeof parent === 'number') return parent;
    if (parent.linksCount >= EXT2_LINK_MAX) return -EMLINK;
    const inode = this.newChild(dir, name, S_IFDIR | (mode & 0o7777), uid, gid);
    if (typeof inode === 'number') return inode;
    inode.linksCount = 2;
    const status = initializeDirectory(this.fs, inode, dir, FT_DIR);
    if (status < 0) return this.abandon(inode, status);
    const added = this.finishChild(dir, name, inode);
    if (added < 0) return added;
    parent.linksCount++;
    this.fs.writeInode(parent);
    return added;
  }

  symlink(dir: number, name: string, target: string, uid: number, gid: number): number {
    const bytes = encoder.encode(target);
    if (bytes.length === 0) return -ENOENT;
    if (bytes.length >= this.fs.blockSize) return -ENAMETOOLONG;
    const inode = this.newChild(dir, name, S_IFLNK | 0o777, uid, gid);
    if (typeof inode === 'number') return inode;
    if (bytes.length <= EXT2_FAST_SYMLINK_MAX) {
      inode.blockBytes.set(bytes);
      inode.size = bytes.length;
    } else {
      const written = writeData(this.fs, inode, 0, bytes, true);
      if (written < 0) return this.abandon(inode, written);
    }
    return this.finishChild(dir, name, inode);
  }

  readlink(ino: number): Uint8Array | number {
    const inode = this.inode(ino);
    if (typeof inode === 'number') return inode;
    if ((inode.mode & S_IFMT) !== S_IFLNK) return -EINVAL;
    if (this.isFastSymlink(inode)) {
      if (inode.size > 60) return this.fs.corrupt(`fast symlink ${ino} has size ${inode.size}`);
      return inode.blockBytes.slice(0, inode.size);
    }
    if (inode.size >= this.fs.blockSize) return this.fs.corrupt(`symlink ${ino} has size ${inode.size}`);
    return readData(this.fs, inode, 0, inode.size, true);
  }

  link(dir: number, name: string, ino: number): number {
    const inode = this.inode(ino);
    if (typeof inode === 'number') return inode;
    if (inode.isDirectory) return -EPERM;
    if (inode.linksCount >= EXT2_LINK_MAX) return -EMLINK;
    const checked = this.checkNewName(dir, name);
    if (checked < 0) return checked;
    const parent = this.directory(dir) as DiskInode;
    const status = addEntry(this.fs, parent, encoder.encode(name), ino, fileTypeOfMode(inode.mode));
    if (status < 0) return status;
    inode.linksCount++;
    inode.ctime = this.fs.now();
    this.fs.writeInode(inode);
    this.touchDirectory(parent);
    return 0;
  }

  unlink(dir: number, name: string): number {
    const parent = this.directory(dir);
    if (typeof parent === 'number') return parent;
    const denied = this.writable();
    if (denied < 0) return denied;
    const ino = lookupEntry(this.fs, parent, encoder.encode(name));
    if (ino <= 0) return ino === 0 ? -ENOENT : ino;
    const inode = this.inode(ino);
    if (typeof inode === 'number') return inode;
    if (inode.isDirectory) return -EISDIR;
    const removed = removeEntry(this.fs, parent, encoder.encode(name));
    if (removed < 0) return removed;
    this.touchDirectory(parent);
    return this.dropLink(inode);
  }

  rmdir(dir: number, name: string): number {
    const parent = this.directory(dir);
    if (typeof parent === 'number') return parent;
    const denied = this.writable();
    if (denied < 0) return denied;
    if (name === '.' ) return -EINVAL;
    if (name === '..') return -ENOTEMPTY;
    const ino = lookupEntry(this.fs, parent, encoder.encode(name));
    if (ino <= 0) return ino === 0 ? -ENOENT : ino;
    const inode = this.directory(ino);
    if (typeof inode === 'number') return inode;
    const empty = isEmptyDirectory(this.fs, inode);
    if (typeof empty === 'number') return empty;
    if (!empty) return -ENOTEMPTY;
    const removed = removeEntry(this.fs, parent, encoder.encode(name));
    if (removed < 0) return removed;
    if (parent.linksCount > 2) parent.linksCount--;
    this.touchDirectory(parent);
    inode.linksCount = 0;
    return this.dropLink(inode, true);
  }

  rename(oldDir: number, oldName: string, newDir: number, newName: string): number {
    const denied = this.writable();
    if (denied < 0) return denied;
    const source = this.directory(oldDir);
    const target = this.directory(newDir);
    if (typeof source === 'number') return source;
    if (typeof target === 'number') return target;
    if (oldName === '.' || oldName === '..' || newName === '.' || newName === '..') return -EINVAL;
    const newBytes = encoder.encode(newName);
    if (newBytes.length > EXT2_NAME_LEN) return -ENAMETOOLONG;
    const ino = lookupEntry(this.fs, source, encoder.encode(oldName));
    if (ino <= 0) return ino === 0 ? -ENOENT : ino;
    const moving = this.inode(ino);
    if (typeof moving === 'number') return moving;
    const replacedIno = lookupEntry(this.fs, target, newBytes);
    if (replacedIno < 0) return replacedIno;
    if (replacedIno === ino) return 0;
    if (moving.isDirectory) {
      // A directory cannot move below itself (fs/namei.c lock_rename / is_subdir).
      for (let walker = newDir, hops = 0; walker !== EXT2_ROOT_INO && hops < 4096; hops++) {
        if (walker === ino) return -EINVAL;
        const up = this.directory(walker);
        if (typeof up === 'number') return up;
        const parentIno = lookupEntry(this.fs, up, encoder.encode('..'));
        if (parentIno <= 0 || parentIno === walker) break;
        walker = parentIno;
      }
    }
    let replaced: DiskInode | null = null;
    if (replacedIno > 0) {
      const existing = this.inode(replacedIno);
      if (typeof existing === 'number') return existing;
      if (existing.isDirectory) {
        if (!moving.isDirectory) return -EISDIR;
        const empty = isEmptyDirectory(this.fs, existing);
        if (typeof empty === 'number') return empty;
        if (!empty) return -ENOTEMPTY;
      } else if (moving.isDirectory) return -ENOTDIR;
      replaced = existing;
    } else if (moving.isDirectory && oldDir !== newDir && target.linksCount >= EXT2_LINK_MAX) return -EMLINK;
    const type = fileTypeOfMode(moving.mode);
    const linked = replaced ? retargetEntry(this.fs, target, newBytes, ino, type) : addEntry(this.fs, target, newBytes, ino, type);
    if (linked < 0) return linked;
    const removed = removeEntry(this.fs, source, encoder.encode(oldName));
    if (removed < 0) return removed;
    moving.ctime = this.fs.now();
    this.fs.writeInode(moving);
    if (moving.isDirectory && oldDir !== newDir) {
      const dotdot = retargetEntry(this.fs, moving, encoder.encode('..'), newDir, FT_DIR);
      if (dotdot < 0) return dotdot;
      if (source.linksCount > 2) source.linksCount--;
      if (!replaced) target.linksCount++;
    }
    if (replaced?.isDirectory && oldDir === newDir && target.linksCount > 2) target.linksCount--;
    this.touchDirectory(source);
    if (target !== source) this.touchDirectory(target);
    if (replaced) {
      if (replaced.isDirectory) replaced.linksCount = 0;
      return this.dropLink(replaced, replaced.isDirectory);
    }
    return 0;
  }

  /** The VFS took a reference (an open file, a cached inode). */
  acquire(ino: number): void {
    const inode = this.fs.getInode(ino);
    if (typeof inode !== 'number') inode.references++;
  }

  /** The VFS dropped a reference; an unlinked inode is freed with the last one. */
  release(ino: number): number {
    const inode = this.fs.getInode(ino);
    if (typeof inode === 'number') return inode;
    if (inode.references > 0) inode.references--;
    if (inode.references > 0 || inode.linksCount > 0 || inode.mode === 0) return 0;
    const status = this.removeOrphan(inode);
    const freed = this.freeInodeAndBlocks(inode);
    return status < 0 ? status : freed;
  }

  /** fsync: the file's data is already on the device; write the metadata and flush. */
  fsync(_ino: number): number { return this.fs.sync(); }
  sync(): number { return this.fs.sync(); }
  unmount(): number { return this.fs.unmount(); }
  remount(readOnly: boolean): number { return this.fs.remount(readOnly); }
  statfs(): Ext2Statfs { return this.fs.statfs(); }

  private isFastSymlink(inode: DiskInode): boolean {
    const aclBlocks = inode.fileAcl !== 0 ? sectorsPerBlock(this.fs) : 0;
    return (inode.mode & S_IFMT) === S_IFLNK && inode.blocks - aclBlocks === 0;
  }

  private checkNewName(dir: number, name: string): number {
    const denied = this.writable();
    if (denied < 0) return denied;
    const bytes = encoder.encode(name);
    if (bytes.length === 0 || name.includes('/') || name.includes('\0')) return -EINVAL;
    if (bytes.length > EXT2_NAME_LEN) return -ENAMETOOLONG;
    const parent = this.directory(dir);
    if (typeof parent === 'number') return parent;
    if (parent.linksCount === 0) return -ENOENT;
    const existing = lookupEntry(this.fs, parent, bytes);
    if (existing < 0) return existing;
    return existing > 0 ? -EEXIST : 0;
  }

  private newChild(dir: number, name: string, mode: number, uid: number, gid: number): DiskInode | number {
    const checked = this.checkNewName(dir, name);
    if (checked < 0) return checked;
    const ino = allocateInode(this.fs, dir, (mode & S_IFMT) === S_IFDIR);
    if (ino < 0) return ino;
    const inode = this.fs.newInode(ino);
    const now = this.fs.now();
    inode.mode = mode;
    inode.uid = uid;
    inode.gid = gid;
    inode.atime = inode.mtime = inode.ctime = now;
    inode.linksCount = 1;
    inode.generation = this.generation++;
    if (this.fs.inodeSize >= 160) {
      // Linux (and e2fsck's expectations) for large inodes: i_extra_isize 32 and a creation time.
      inode.extraInodeSize = 32;
      new DataView(inode.raw.buffer, inode.raw.byteOffset).setUint32(144, now >>> 0, true);
    }
    return inode;
  }

  private finishChild(dir: number, name: string, inode: DiskInode): number {
    const parent = this.directory(dir) as DiskInode;
    const status = this.fs.writeInode(inode);
    if (status < 0) return this.abandon(inode, status);
    const added = addEntry(this.fs, parent, encoder.encode(name), inode.ino, fileTypeOfMode(inode.mode));
    if (added < 0) return this.abandon(inode, added);
    this.touchDirectory(parent);
    return inode.ino;
  }

  /** Undoes a half-made inode after a failure (ENOSPC while adding its entry). */
  private abandon(inode: DiskInode, status: number): number {
    inode.linksCount = 0;
    this.freeInodeAndBlocks(inode);
    return status;
  }

  private touchDirectory(dir: DiskInode): void {
    dir.mtime = dir.ctime = this.fs.now();
    dir.flags &= ~EXT2_INDEX_FL; // entries changed without the hash tree: it no longer indexes them
    this.fs.writeInode(dir);
  }

  private dropLink(inode: DiskInode, directory = false): number {
    if (!directory && inode.linksCount > 0) inode.linksCount--;
    inode.ctime = this.fs.now();
    if (inode.linksCount > 0) return this.fs.writeInode(inode);
    if (inode.references > 0) {
      // Still open: on the orphan list until release() (or the next mount) frees it.
      inode.dtime = this.fs.superblock.lastOrphan;
      this.fs.superblock.lastOrphan = inode.ino;
      this.fs.markGroupsDirty();
      return this.fs.writeInode(inode);
    }
    return this.freeInodeAndBlocks(inode);
  }

  private removeOrphan(inode: DiskInode): number {
    const sb = this.fs.superblock;
    if (sb.lastOrphan === inode.ino) {
      sb.lastOrphan = inode.dtime;
      this.fs.markGroupsDirty();
      return 0;
    }
    for (let walker = sb.lastOrphan, hops = 0; walker !== 0 && hops < sb.inodesCount; hops++) {
      const previous = this.fs.getInode(walker);
      if (typeof previous === 'number') return previous;
      if (previous.dtime === inode.ino) {
        previous.dtime = inode.dtime;
        return this.fs.writeInode(previous);
      }
      walker = previous.dtime;
    }
    return 0;
  }

  /** Frees the data (not a fast symlink's or a device's i_block), the xattr block and the inode number. */
  private freeInodeAndBlocks(inode: DiskInode): number {
    const type = inode.mode & S_IFMT;
    let status = 0;
    if (type === S_IFREG || type === S_IFDIR || (type === S_IFLNK && !this.isFastSymlink(inode))) {
      status = truncateData(this.fs, inode, 0, type !== S_IFREG);
    }
    if (inode.fileAcl !== 0) {
      const acl = freeSharedAttributeBlock(this.fs, inode.fileAcl);
      if (acl < 0 && status === 0) status = acl;
      inode.fileAcl = 0;
    }
    inode.dtime = this.fs.now() || 1;
    inode.linksCount = 0;
    const wasDirectory = type === S_IFDIR;
    const written = this.fs.writeInode(inode);
    const freed = freeInode(this.fs, inode.ino, wasDirectory);
    this.fs.dropInode(inode.ino);
    return status < 0 ? status : written < 0 ? written : freed;
  }

  /** Mount time: frees the unlinked inodes left on the orphan list (and truncates linked ones to i_size). */
  private processOrphans(): number {
    const sb = this.fs.superblock;
    let count = 0;
    while (sb.lastOrphan !== 0) {
      if (count++ > sb.inodesCount) return this.fs.corrupt('orphan list loops');
      const inode = this.fs.getInode(sb.lastOrphan);
      if (typeof inode === 'number') { sb.lastOrphan = 0; return inode; }
      sb.lastOrphan = inode.dtime;
      this.fs.markGroupsDirty();
      inode.dtime = 0;
      if (inode.linksCount === 0 && inode.mode !== 0) {
        this.fs.log.info(`EXT2-fs (${this.fs.name}): deleting unreferenced inode ${inode.ino}`);
        const status = this.freeInodeAndBlocks(inode);
        if (status < 0) return status;
      } else if (inode.isRegular) {
        const status = truncateData(this.fs, inode, inode.size);
        if (status < 0) return status;
      } else this.fs.writeInode(inode);
    }
    return 0;
  }

}
