/**
 * mkfs for ext2 revision 1 (the project's own, as mke2fs lays it out): groups of
 * 8 x block-size blocks, each with its superblock backup (sparse_super: groups
 * 0, 1 and powers of 3, 5, 7) and descriptor copy, block bitmap, inode bitmap
 * and inode table; features filetype, sparse_super and large_file; 128-byte
 * inodes; then the root directory (inode 2) and lost+found (inode 11) made
 * through the driver itself. A last group too small for its metadata is dropped.
 */
import { type Result, err, ok } from '../../../base/result.js';
import { EINVAL, ENOSPC } from '../../lib/index.js';
import type { BlockDevice } from './block-device.js';
import {
  EXT2_DYNAMIC_REV, EXT2_ERRORS_CONTINUE, EXT2_GOOD_OLD_FIRST_INO, EXT2_GROUP_DESCRIPTOR_SIZE, EXT2_ROOT_INO,
  EXT2_SUPER_MAGIC, EXT2_SUPERBLOCK_OFFSET, EXT2_VALID_FS, FT_DIR, INCOMPAT_FILETYPE, RO_COMPAT_LARGE_FILE,
  RO_COMPAT_SPARSE_SUPER, S_IFDIR,
} from './constants.js';
import { initializeDirectory } from './directory.js';
import { Ext2Filesystem, type Ext2Log } from './filesystem.js';
import { type GroupDescriptor, encodeGroupDescriptor, groupHasSuperblock } from './group-descriptor.js';
import { Ext2Superblock } from './superblock.js';
import { Ext2Volume } from './volume.js';

export interface MkfsOptions {
  blockSize?: 1024 | 2048 | 4096;
  /** Bytes of filesystem per inode (mke2fs -i); default 8192. */
  bytesPerInode?: number;
  /** At least this many inodes (so a populated tree fits). */
  minimumInodes?: number;
  inodeSize?: 128 | 256;
  /** Percentage of blocks reserved for root (mke2fs -m); default 5. */
  reservedPercent?: number;
  label?: string;
  /** 16 bytes; default derived from the time and size. */
  uuid?: Uint8Array;
  /** Seconds since the epoch. */
  now?: number;
  log?: Ext2Log;
}

export interface Geometry {
  blockSize: number;
  blocksCount: number;
  firstDataBlock: number;
  groupCount: number;
  inodesPerGroup: number;
  inodeTableBlocks: number;
  descriptorBlocks: number;
}

/** The layout mkfs chooses for `bytes` of device, or a reason it cannot fit. */
export function planGeometry(bytes: number, options: MkfsOptions = {}): Geometry | string {
  const blockSize = options.blockSize ?? 4096;
  const inodeSize = options.inodeSize ?? 128;
  const firstDataBlock = blockSize === 1024 ? 1 : 0;
  const blocksPerGroup = blockSize * 8;
  let blocksCount = Math.min(Math.floor(bytes / blockSize), 0xffff_ffff);
  for (;;) {
    if (blocksCount < 64) return `device too small: ${bytes} bytes`;
    const groupCount = Math.ceil((blocksCount - firstDataBlock) / blocksPerGroup);
    const inodesPerBlock = blockSize / inodeSize;
    const wanted = Math.max(Math.ceil(blocksCount * blockSize / (options.bytesPerInode ?? 8192)), options.minimumInodes ?? 0, 32);
    let inodesPerGroup = Math.ceil(wanted / groupCount);
    inodesPerGroup = Math.ceil(inodesPerGroup / Math.max(8, inodesPerBlock)) * Math.max(8, inodesPerBlock);
    inodesPerGroup = Math.min(inodesPerGroup, blockSize * 8, Math.floor(65535 / inodesPerBlock) * inodesPerBlock);
    const inodeTableBlocks = inodesPerGroup * inodeSize / blockSize;
    const descriptorBlocks = Math.ceil(groupCount * EXT2_GROUP_DESCRIPTOR_SIZE / blockSize);
    const lastGroupBlocks = blocksCount - firstDataBlock - (groupCount - 1) * blocksPerGroup;
    const lastOverhead = (groupHasSuperblock(groupCount - 1, true) ? 1 + descriptorBlocks : 0) + 2 + inodeTableBlocks;
    // mke2fs drops a last group that cannot hold its metadata and some data.
    if (lastGroupBlocks < lastOverhead + 50 && groupCount > 1) {
      blocksCount -= lastGroupBlocks;
      continue;
    }
    if (lastGroupBlocks < lastOverhead + 8) return `device too small: ${bytes} bytes`;
    return { blockSize, blocksCount, firstDataBlock, groupCount, inodesPerGroup, inodeTableBlocks, descriptorBlocks };
  }
}

/** Formats `device` and creates / and /lost+found. */
export function makeFilesystem(device: BlockDevice, options: MkfsOptions = {}): Result<Geometry> {
  const geometry = planGeometry(device.byteLength, options);
  if (typeof geometry === 'string') {
    options.log?.error(`mkfs.ext2: ${geometry}`);
    return err(geometry.startsWith('device too small') ? ENOSPC : EINVAL);
  }
  const { blockSize, blocksCount, firstDataBlock, groupCount, inodesPerGroup, inodeTableBlocks, descriptorBlocks } = geometry;
  const now = options.now ?? 0;
  const inodeSize = options.inodeSize ?? 128;
  const blocksPerGroup = blockSize * 8;
  const sb = new Ext2Superblock();
  sb.inodesCount = inodesPerGroup * groupCount;
  sb.blocksCount = blocksCount;
  sb.reservedBlocksCount = Math.floor(blocksCount * (options.reservedPercent ?? 5) / 100);
  sb.firstDataBlock = firstDataBlock;
  sb.logBlockSize = Math.log2(blockSize / 1024);
  sb.logFragmentSize = sb.logBlockSize;
  sb.blocksPerGroup = blocksPerGroup;
  sb.fragmentsPerGroup = blocksPerGroup;
  sb.inodesPerGroup = inodesPerGroup;
  sb.writeTime = now;
  sb.maxMountCount = -1;
  sb.magic = EXT2_SUPER_MAGIC;
  sb.state = EXT2_VALID_FS;
  sb.errors = EXT2_ERRORS_CONTINUE;
  sb.lastCheck = now;
  sb.revisionLevel = EXT2_DYNAMIC_REV;
  sb.firstIno = EXT2_GOOD_OLD_FIRST_INO;
  sb.inodeSize = inodeSize;
  sb.featureIncompat = INCOMPAT_FILETYPE;
  sb.featureRoCompat = RO_COMPAT_SPARSE_SUPER | RO_COMPAT_LARGE_FILE;
  sb.mkfsTime = now;
  sb.uuid.set(options.uuid ?? deriveUuid(now, blocksCount));
  sb.volumeName.set(new TextEncoder().encode((options.label ?? '').slice(0, 16)));

  const zero = new Uint8Array(blockSize);
  const descriptors: GroupDescriptor[] = [];
  let freeBlocks = 0;
  let freeInodes = 0;
  for (let group = 0; group < groupCount; group++) {
    const first = firstDataBlock + group * blocksPerGroup;
    const count = Math.min(blocksPerGroup, blocksCount - first);
    const withSuper = groupHasSuperblock(group, true);
    const blockBitmap = first + (withSuper ? 1 + descriptorBlocks : 0);
    const descriptor: GroupDescriptor = {
      blockBitmap, inodeBitmap: blockBitmap + 1, inodeTable: blockBitmap + 2,
      freeBlocksCount: 0, freeInodesCount: inodesPerGroup, usedDirsCount: 0,
    };
    const used = blockBitmap + 2 + inodeTableBlocks - first;
    descriptor.freeBlocksCount = count - used;
    // Bits past the end of the group (the last group's tail) are set, as e2fsck requires.
    const bitmap = new Uint8Array(blockSize);
    for (let bit = 0; bit < blockSize * 8; bit++) if (bit < used || bit >= count) bitmap[bit >>> 3]! |= 1 << (bit & 7);
    let status = device.writeBlock(descriptor.blockBitmap, bitmap);
    const inodeBitmap = new Uint8Array(blockSize);
    for (let bit = inodesPerGroup; bit < blockSize * 8; bit++) inodeBitmap[bit >>> 3]! |= 1 << (bit & 7);
    if (group === 0) {
      // Reserved inodes 1..10 are in use, the root (2) among them.
      for (let bit = 0; bit < EXT2_GOOD_OLD_FIRST_INO - 1; bit++) inodeBitmap[bit >>> 3]! |= 1 << (bit & 7);
      descriptor.freeInodesCount -= EXT2_GOOD_OLD_FIRST_INO - 1;
    }
    if (status === 0) status = device.writeBlock(descriptor.inodeBitmap, inodeBitmap);
    for (let i = 0; status === 0 && i < inodeTableBlocks; i++) status = device.writeBlock(descriptor.inodeTable + i, zero);
    if (status < 0) return err(-status);
    freeBlocks += descriptor.freeBlocksCount;
    freeInodes += descriptor.freeInodesCount;
    descriptors.push(descriptor);
  }
  sb.freeBlocksCount = freeBlocks;
  sb.freeInodesCount = freeInodes;

  // The superblock and descriptor table, in group 0 and in every backup group.
  const table = new Uint8Array(descriptorBlocks * blockSize);
  descriptors.forEach((descriptor, group) => encodeGroupDescriptor(descriptor, table, group * EXT2_GROUP_DESCRIPTOR_SIZE));
  for (let group = 0; group < groupCount; group++) {
    if (!groupHasSuperblock(group, true)) continue;
    const first = firstDataBlock + group * blocksPerGroup;
    sb.blockGroupNumber = group;
    const superBlock = new Uint8Array(blockSize);
    // Group 0's copy sits at byte 1024; a backup is the first block of its group.
    const within = group === 0 ? EXT2_SUPERBLOCK_OFFSET % blockSize : 0;
    superBlock.set(sb.raw, within);
    let status = device.writeBlock(group === 0 ? Math.floor(EXT2_SUPERBLOCK_OFFSET / blockSize) : first, superBlock);
    for (let i = 0; status === 0 && i < descriptorBlocks; i++) {
      status = device.writeBlock(first + 1 + i, table.subarray(i * blockSize, (i + 1) * blockSize));
    }
    if (status < 0) return err(-status);
  }
  sb.blockGroupNumber = 0;

  const mounted = Ext2Filesystem.mount(device, { now: () => now, log: options.log, name: 'mkfs' });
  if (!mounted.ok) return err(mounted.errno);
  const fs = mounted.value;
  const root = fs.newInode(EXT2_ROOT_INO);
  root.mode = S_IFDIR | 0o755;
  root.atime = root.mtime = root.ctime = now;
  root.linksCount = 2;
  fs.groups[0]!.usedDirsCount++;
  fs.markGroupsDirty();
  let status = initializeDirectory(fs, root, EXT2_ROOT_INO, FT_DIR);
  if (status === 0) status = fs.writeInode(root);
  if (status === 0) status = fs.unmount();
  if (status < 0) return err(-status);
  const volume = Ext2Volume.mount(device, { now: () => now, log: options.log, name: 'mkfs' });
  if (!volume.ok) return err(volume.errno);
  const lostFound = volume.value.mkdir(EXT2_ROOT_INO, 'lost+found', 0o700, 0, 0);
  if (lostFound < 0) return err(-lostFound);
  // The mounts above counted; a fresh filesystem has never been mounted.
  volume.value.fs.superblock.mountCount = 0;
  status = volume.value.unmount();
  return status < 0 ? err(-status) : ok(geometry);
}

/** A version-4-shaped UUID from the time and size (deterministic: no randomness in the kernel). */
function deriveUuid(now: number, blocks: number): Uint8Array {
  const uuid = new Uint8Array(16);
  let state = (now ^ Math.imul(blocks, 0x9e3779b1)) >>> 0 || 1;
  for (let i = 0; i < 16; i++) {
    state ^= state << 13; state ^= state >>> 17; state ^= state << 5;
    uuid[i] = state & 0xff;
  }
  uuid[6] = (uuid[6]! & 0x0f) | 0x40;
  uuid[8] = (uuid[8]! & 0x3f) | 0x80;
  return uuid;
}
