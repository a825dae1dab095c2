/**
 * A mounted ext2 filesystem: the superblock, the group descriptors, the inode
 * table and the metadata cache, over a BlockDevice. `Ext2Filesystem.mount`
 * checks geometry and features (fs/ext2/super.c ext2_fill_super), processes the
 * orphan list and marks the filesystem "not clean" on disk until `unmount`.
 * The namespace and file operations built on it live in operations.ts.
 * Corrupt metadata is reported with `corrupt()`: a log line, s_state's error
 * bit, and -EUCLEAN for the caller — never an exception.
 */
import { type Result, err, ok } from '../../../base/result.js';
import { EINVAL, EIO, EROFS, EUCLEAN } from '../../lib/index.js';
import type { BlockDevice } from './block-device.js';
import {
  EXT2_DYNAMIC_REV, EXT2_ERROR_FS, EXT2_GOOD_OLD_FIRST_INO, EXT2_GOOD_OLD_INODE_SIZE, EXT2_GROUP_DESCRIPTOR_SIZE,
  EXT2_SUPER_MAGIC, EXT2_SUPERBLOCK_OFFSET, EXT2_SUPERBLOCK_SIZE, EXT2_VALID_FS, INCOMPAT_META_BG, INCOMPAT_RECOVER,
  INCOMPAT_SUPPORTED, RO_COMPAT_SPARSE_SUPER, RO_COMPAT_SUPPORTED,
} from './constants.js';
import { DiskInode } from './disk-inode.js';
import { type GroupDescriptor, decodeGroupDescriptor, encodeGroupDescriptor, groupHasSuperblock } from './group-descriptor.js';
import { MetadataCache } from './metadata-cache.js';
import { Ext2Superblock } from './superblock.js';

export interface Ext2Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface Ext2MountOptions {
  readOnly?: boolean;
  /** Seconds since the epoch, for timestamps. */
  now?: () => number;
  log?: Ext2Log;
  /** Name for log lines ("hda1"). */
  name?: string;
}

const silentLog: Ext2Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface Ext2Statfs {
  blockSize: number;
  blocks: number;
  freeBlocks: number;
  availableBlocks: number;
  files: number;
  freeFiles: number;
  nameLength: number;
  fsid: [number, number];
}

export class Ext2Filesystem {
  readonly blockSize: number;
  readonly inodeSize: number;
  readonly inodesPerGroup: number;
  readonly blocksPerGroup: number;
  readonly groupCount: number;
  readonly pointersPerBlock: number;
  readonly cache: MetadataCache;
  readonly groups: GroupDescriptor[] = [];
  readonly now: () => number;
  readonly log: Ext2Log;
  readonly name: string;
  readOnly: boolean;
  private readonly inodes = new Map<number, DiskInode>();
  private groupDescriptorsDirty = false;
  private superblockDirty = false;
  /** Groups whose block bitmap was checked to cover the group's own metadata. */
  readonly checkedBitmaps = new Set<number>();

  private constructor(readonly device: BlockDevice, readonly superblock: Ext2Superblock, options: Ext2MountOptions) {
    this.blockSize = superblock.blockSize;
    this.inodeSize = superblock.revisionLevel >= EXT2_DYNAMIC_REV ? superblock.inodeSize : EXT2_GOOD_OLD_INODE_SIZE;
    this.inodesPerGroup = superblock.inodesPerGroup;
    this.blocksPerGroup = superblock.blocksPerGroup;
    this.groupCount = superblock.groupCount;
    this.pointersPerBlock = this.blockSize / 4;
    this.cache = new MetadataCache(device, this.blockSize);
    this.now = options.now ?? (() => 0);
    this.log = options.log ?? silentLog;
    this.name = options.name ?? 'ext2';
    this.readOnly = options.readOnly ?? false;
  }

  /** Reads and checks the superblock and descriptors; a read-write mount also replays the orphan list. */
  static mount(device: BlockDevice, options: Ext2MountOptions = {}): Result<Ext2Filesystem> {
    const log = options.log ?? silentLog;
    const name = options.name ?? 'ext2';
    const raw = new Uint8Array(EXT2_SUPERBLOCK_SIZE);
    if (device.readBlock(EXT2_SUPERBLOCK_OFFSET / EXT2_SUPERBLOCK_SIZE, raw) < 0) {
      log.error(`EXT2-fs (${name}): unable to read superblock`);
      return err(EIO);
    }
    const superblock = new Ext2Superblock(raw);
    const problem = checkGeometry(superblock, device.byteLength);
    if (problem) {
      log.error(`EXT2-fs (${name}): error: ${problem}`);
      return err(superblock.magic === EXT2_SUPER_MAGIC ? EUCLEAN : EINVAL);
    }
    const readOnly = options.readOnly ?? false;
    const incompat = superblock.featureIncompat;
    const unsupported = incompat & ~(INCOMPAT_SUPPORTED | INCOMPAT_RECOVER);
    if (unsupported !== 0) {
      log.error(`EXT2-fs (${name}): error: couldn't mount because of unsupported optional features (${unsupported.toString(16)})`);
      return err(EINVAL);
    }
    if (!readOnly && (incompat & INCOMPAT_RECOVER) !== 0) {
      log.error(`EXT2-fs (${name}): error: the journal needs recovery; refusing a read-write mount (mount read-only or run e2fsck)`);
      return err(EROFS);
    }
    const roUnsupported = superblock.featureRoCompat & ~RO_COMPAT_SUPPORTED;
    if (!readOnly && roUnsupported !== 0) {
      log.error(`EXT2-fs (${name}): error: couldn't mount RDWR because of unsupported optional features (${roUnsupported.toString(16)})`);
      return err(EROFS);
    }
    const fs = new Ext2Filesystem(device, superblock, { ...options, readOnly });
    const loaded = fs.loadGroupDescriptors();
    if (loaded < 0) return err(-loaded);
    if (!readOnly) {
      const status = fs.startReadWrite();
      if (status < 0) return err(-status);
    }
    return ok(fs);
  }

  /** Logs a corruption, records it in s_state and returns -EUCLEAN (ext2_error with errors=continue). */
  corrupt(message: string): number {
    this.log.error(`EXT2-fs error (${this.name}): ${message}`);
    if (!this.readOnly && (this.superblock.state & EXT2_ERROR_FS) === 0) {
      this.superblock.state |= EXT2_ERROR_FS;
      this.superblockDirty = true;
    }
    return -EUCLEAN;
  }

  get sparseSuper(): boolean { return (this.superblock.featureRoCompat & RO_COMPAT_SPARSE_SUPER) !== 0; }

  /** First block of a group. */
  groupFirstBlock(group: number): number { return this.superblock.firstDataBlock + group * this.blocksPerGroup; }

  /** Blocks in a group (the last one may be short). */
  groupBlockCount(group: number): number {
    return Math.min(this.blocksPerGroup, this.superblock.blocksCount - this.groupFirstBlock(group));
  }

  groupOfBlock(block: number): number {
    return Math.floor((block - this.superblock.firstDataBlock) / this.blocksPerGroup);
  }

  groupOfInode(ino: number): number { return Math.floor((ino - 1) / this.inodesPerGroup); }

  /** True when `block` can hold data: inside the filesystem and past the first data block. */
  validBlock(block: number): boolean {
    return block >= this.superblock.firstDataBlock && block < this.superblock.blocksCount;
  }

  markGroupsDirty(): void { this.groupDescriptorsDirty = true; this.superblockDirty = true; }

  /** The inode, read from the inode table once and kept. */
  getInode(ino: number): DiskInode | number {
    const cached = this.inodes.get(ino);
    if (cached) return cached;
    if (ino < 1 || ino > this.superblock.inodesCount) return this.corrupt(`bad inode number ${ino}`);
    const { block, offset } = this.inodeLocation(ino);
    const data = this.cache.get(block);
    if (typeof data === 'number') return data;
    const inode = new DiskInode(ino, data.slice(offset, offset + this.inodeSize));
    this.inodes.set(ino, inode);
    return inode;
  }

  /** A fresh in-memory inode for a newly allocated number (nothing read from disk but the preserved tail). */
  newInode(ino: number): DiskInode {
    const inode = new DiskInode(ino, new Uint8Array(this.inodeSize));
    this.inodes.set(ino, inode);
    return inode;
  }

  /** Copies the inode into its inode-table block (written back on sync). */
  writeInode(inode: DiskInode): number {
    const { block, offset } = this.inodeLocation(inode.ino);
    const data = this.cache.get(block);
    if (typeof data === 'number') return data;
    data.set(inode.raw, offset);
    this.cache.markDirty(block);
    return 0;
  }

  /** Forgets a freed inode's in-memory copy. */
  dropInode(ino: number): void { this.inodes.delete(ino); }

  /** Writes the inode's table block now (fsync of the inode's metadata). */
  writeInodeNow(ino: number): number {
    return this.cache.writeOne(this.inodeLocation(ino).block);
  }

  statfs(): Ext2Statfs {
    const sb = this.superblock;
    // fs/ext2/super.c ext2_statfs, "bsddf": the blocks of metadata are not counted.
    let overhead = sb.firstDataBlock;
    const descriptorBlocks = Math.ceil(this.groupCount * EXT2_GROUP_DESCRIPTOR_SIZE / this.blockSize);
    const inodeTableBlocks = Math.ceil(this.inodesPerGroup * this.inodeSize / this.blockSize);
    for (let group = 0; group < this.groupCount; group++) {
      if (groupHasSuperblock(group, this.sparseSuper)) overhead += 1 + descriptorBlocks + sb.reservedGdtBlocks;
    }
    overhead += this.groupCount * (2 + inodeTableBlocks);
    const uuid = new DataView(sb.uuid.buffer, sb.uuid.byteOffset, 16);
    return {
      blockSize: this.blockSize,
      blocks: sb.blocksCount - overhead,
      freeBlocks: sb.freeBlocksCount,
      availableBlocks: Math.max(0, sb.freeBlocksCount - sb.reservedBlocksCount),
      files: sb.inodesCount,
      freeFiles: sb.freeInodesCount,
      nameLength: 255,
      fsid: [(uuid.getUint32(0, true) ^ uuid.getUint32(8, true)) >>> 0, (uuid.getUint32(4, true) ^ uuid.getUint32(12, true)) >>> 0],
    };
  }

  /** Writes every dirty metadata block, the descriptors and the superblock, then flushes the device. */
  sync(): number {
    if (this.readOnly) return 0;
    const descriptors = this.writeGroupDescriptors();
    this.superblock.writeTime = this.now();
    const superblock = this.writeSuperblock();
    const blocks = this.cache.writeBack();
    const flushed = this.device.flush();
    return descriptors < 0 ? descriptors : superblock < 0 ? superblock : blocks < 0 ? blocks : flushed;
  }

  /**
   * ext2_remount: going read-only syncs and marks the filesystem clean, as an unmount does
   * (what makes `mount -o remount,ro /` and a shutdown leave a clean root); going read-write
   * marks it in use ("not clean") again.
   */
  remount(readOnly: boolean): number {
    if (readOnly === this.readOnly) return this.sync();
    if (readOnly) return this.unmount();
    this.readOnly = false;
    this.superblock.state &= ~EXT2_VALID_FS;
    this.superblockDirty = true;
    return this.sync();
  }

  /** Syncs and marks the filesystem clean (unless an error was recorded). */
  unmount(): number {
    if (this.readOnly) return 0;
    this.superblock.state |= EXT2_VALID_FS;
    this.superblockDirty = true;
    const status = this.sync();
    this.readOnly = true;
    return status;
  }

  private inodeLocation(ino: number): { block: number; offset: number } {
    const index = (ino - 1) % this.inodesPerGroup;
    const byte = index * this.inodeSize;
    return {
      block: this.groups[this.groupOfInode(ino)]!.inodeTable + Math.floor(byte / this.blockSize),
      offset: byte % this.blockSize,
    };
  }

  private descriptorBlock(): number { return this.superblock.firstDataBlock + 1; }

  private loadGroupDescriptors(): number {
    const perBlock = this.blockSize / EXT2_GROUP_DESCRIPTOR_SIZE;
    const inodeTableBlocks = Math.ceil(this.inodesPerGroup * this.inodeSize / this.blockSize);
    const flexible = (this.superblock.featureIncompat & 0x200) !== 0;
    for (let group = 0; group < this.groupCount; group++) {
      const data = this.cache.get(this.descriptorBlock() + Math.floor(group / perBlock));
      if (typeof data === 'number') return data;
      const descriptor = decodeGroupDescriptor(data, (group % perBlock) * EXT2_GROUP_DESCRIPTOR_SIZE);
      // fs/ext2/super.c ext2_check_descriptors: bitmaps and table inside the group (anywhere with flex_bg).
      const first = flexible ? this.superblock.firstDataBlock : this.groupFirstBlock(group);
      const last = flexible ? this.superblock.blocksCount - 1 : first + this.groupBlockCount(group) - 1;
      const inside = (block: number, count: number): boolean => block >= first && block + count - 1 <= last;
      if (!inside(descriptor.blockBitmap, 1) || !inside(descriptor.inodeBitmap, 1) || !inside(descriptor.inodeTable, inodeTableBlocks)) {
        return this.corrupt(`ext2_check_descriptors: group ${group} has its bitmaps or inode table outside the group`);
      }
      if (descriptor.freeBlocksCount > this.blocksPerGroup || descriptor.freeInodesCount > this.inodesPerGroup) {
        return this.corrupt(`ext2_check_descriptors: group ${group} has impossible free counts`);
      }
      this.groups.push(descriptor);
    }
    return 0;
  }

  private writeGroupDescriptors(): number {
    if (!this.groupDescriptorsDirty) return 0;
    const perBlock = this.blockSize / EXT2_GROUP_DESCRIPTOR_SIZE;
    for (let group = 0; group < this.groupCount; group++) {
      const block = this.descriptorBlock() + Math.floor(group / perBlock);
      const data = this.cache.get(block);
      if (typeof data === 'number') return data;
      encodeGroupDescriptor(this.groups[group]!, data, (group % perBlock) * EXT2_GROUP_DESCRIPTOR_SIZE);
      this.cache.markDirty(block);
    }
    this.groupDescriptorsDirty = false;
    return 0;
  }

  private writeSuperblock(): number {
    // The superblock is the kilobyte at byte 1024: block 1 with 1 KiB blocks, inside block 0 otherwise.
    const block = Math.floor(EXT2_SUPERBLOCK_OFFSET / this.blockSize);
    const data = this.cache.get(block);
    if (typeof data === 'number') return data;
    data.set(this.superblock.raw, EXT2_SUPERBLOCK_OFFSET % this.blockSize);
    this.cache.markDirty(block);
    this.superblockDirty = false;
    return 0;
  }

  private startReadWrite(): number {
    const sb = this.superblock;
    if ((sb.state & EXT2_VALID_FS) === 0) this.log.warn(`EXT2-fs (${this.name}): warning: mounting unchecked fs, running e2fsck is recommended`);
    else if ((sb.state & EXT2_ERROR_FS) !== 0) this.log.warn(`EXT2-fs (${this.name}): warning: mounting fs with errors, running e2fsck is recommended`);
    sb.mountCount = (sb.mountCount + 1) & 0xffff;
    sb.mountTime = this.now();
    // fs/ext2/super.c ext2_setup_super: the on-disk state says "not clean" while mounted read-write.
    sb.state &= ~EXT2_VALID_FS;
    this.superblockDirty = true;
    return this.sync();
  }

  get hasDirtySuperblock(): boolean { return this.superblockDirty; }
}

/** What is wrong with the superblock's geometry, or null (ext2_fill_super's checks). */
function checkGeometry(sb: Ext2Superblock, deviceBytes: number): string | null {
  if (sb.magic !== EXT2_SUPER_MAGIC) return "can't find an ext2 filesystem";
  if (sb.revisionLevel > EXT2_DYNAMIC_REV) return `revision level ${sb.revisionLevel} is unknown`;
  if (sb.logBlockSize > 2) return `unsupported block size 1024 << ${sb.logBlockSize}`;
  const blockSize = sb.blockSize;
  if (sb.firstDataBlock !== (blockSize === 1024 ? 1 : 0)) return `bad first data block ${sb.firstDataBlock}`;
  if (sb.blocksPerGroup === 0 || sb.blocksPerGroup > blockSize * 8) return `#blocks per group too big: ${sb.blocksPerGroup}`;
  if (sb.inodesPerGroup === 0 || sb.inodesPerGroup > blockSize * 8) return `#inodes per group too big: ${sb.inodesPerGroup}`;
  if (sb.blocksCount <= sb.firstDataBlock) return `bad block count ${sb.blocksCount}`;
  if (sb.blocksCount * blockSize > deviceBytes) return `bad geometry: block count ${sb.blocksCount} exceeds size of device`;
  if (sb.revisionLevel >= EXT2_DYNAMIC_REV) {
    const inodeSize = sb.inodeSize;
    if (inodeSize < EXT2_GOOD_OLD_INODE_SIZE || inodeSize > blockSize || (inodeSize & (inodeSize - 1)) !== 0) return `unsupported inode size: ${inodeSize}`;
    if (sb.firstIno < EXT2_GOOD_OLD_FIRST_INO) return `bad first inode ${sb.firstIno}`;
  }
  if ((sb.featureIncompat & INCOMPAT_META_BG) !== 0) return 'meta_bg is not supported';
  if (sb.inodesCount !== sb.inodesPerGroup * sb.groupCount) return `inode count ${sb.inodesCount} is not ${sb.inodesPerGroup} x ${sb.groupCount} groups`;
  if (sb.reservedBlocksCount > sb.blocksCount || sb.freeBlocksCount > sb.blocksCount || sb.freeInodesCount > sb.inodesCount) return 'impossible free counts';
  return null;
}
