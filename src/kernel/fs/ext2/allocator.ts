/**
 * Block and inode allocation over the group bitmaps, placed as Linux's ext2
 * does (fs/ext2/balloc.c, ialloc.c): a block goes at or after a goal (the
 * block after the inode's previous one, else the start of the inode's group);
 * a new directory goes to a group with above-average free inodes and blocks and
 * few directories (Orlov's spreading, simplified), a file to its parent's group
 * and then to groups found by quadratic hashing and a linear scan.
 */
import { ENOSPC } from '../../lib/index.js';
import { EXT2_ROOT_INO } from './constants.js';
import type { Ext2Filesystem } from './filesystem.js';

const testBit = (bitmap: Uint8Array, bit: number): boolean => (bitmap[bit >>> 3]! & (1 << (bit & 7))) !== 0;
const setBit = (bitmap: Uint8Array, bit: number): void => { bitmap[bit >>> 3]! |= 1 << (bit & 7); };
const clearBit = (bitmap: Uint8Array, bit: number): void => { bitmap[bit >>> 3]! &= ~(1 << (bit & 7)); };

/** The first clear bit in [from, limit), or -1; whole 0xff bytes are skipped. */
export function findClearBit(bitmap: Uint8Array, from: number, limit: number): number {
  let bit = from;
  while (bit < limit) {
    if ((bit & 7) === 0 && bitmap[bit >>> 3] === 0xff) { bit += 8; continue; }
    if (!testBit(bitmap, bit)) return bit;
    bit++;
  }
  return -1;
}

/** The group's block bitmap, checked once to mark the group's own bitmaps and inode table in use. */
function blockBitmap(fs: Ext2Filesystem, group: number): Uint8Array | number {
  const descriptor = fs.groups[group]!;
  const bitmap = fs.cache.get(descriptor.blockBitmap);
  if (typeof bitmap === 'number') return bitmap;
  if (!fs.checkedBitmaps.has(group)) {
    // fs/ext2/balloc.c ext2_valid_block_bitmap: a bitmap that calls the metadata free is corrupt.
    const first = fs.groupFirstBlock(group);
    const count = fs.groupBlockCount(group);
    const tableBlocks = Math.ceil(fs.inodesPerGroup * fs.inodeSize / fs.blockSize);
    const marked = (block: number): boolean => block < first || block >= first + count || testBit(bitmap, block - first);
    let valid = marked(descriptor.blockBitmap) && marked(descriptor.inodeBitmap);
    for (let i = 0; valid && i < tableBlocks; i++) valid = marked(descriptor.inodeTable + i);
    if (!valid) return fs.corrupt(`ext2_valid_block_bitmap: invalid block bitmap of group ${group}`);
    fs.checkedBitmaps.add(group);
  }
  return bitmap;
}

/** Allocates one block at or after `goal`; returns its number or a negative errno. */
export function allocateBlock(fs: Ext2Filesystem, goal: number): number {
  if (fs.superblock.freeBlocksCount === 0) return -ENOSPC;
  let group = fs.validBlock(goal) ? fs.groupOfBlock(goal) : 0;
  let startBit = fs.validBlock(goal) ? goal - fs.groupFirstBlock(group) : 0;
  for (let tried = 0; tried <= fs.groupCount; tried++, group = (group + 1) % fs.groupCount, startBit = 0) {
    const descriptor = fs.groups[group]!;
    if (descriptor.freeBlocksCount === 0) continue;
    const bitmap = blockBitmap(fs, group);
    if (typeof bitmap === 'number') return bitmap;
    const count = fs.groupBlockCount(group);
    let bit = findClearBit(bitmap, startBit, count);
    if (bit < 0 && startBit > 0) bit = findClearBit(bitmap, 0, startBit);
    if (bit < 0) {
      fs.corrupt(`ext2_new_blocks: group ${group} has ${descriptor.freeBlocksCount} free blocks but a full bitmap`);
      continue;
    }
    setBit(bitmap, bit);
    fs.cache.markDirty(descriptor.blockBitmap);
    descriptor.freeBlocksCount--;
    fs.superblock.freeBlocksCount--;
    fs.markGroupsDirty();
    return fs.groupFirstBlock(group) + bit;
  }
  return -ENOSPC;
}

/** Frees one block; a block outside the data area or already free is reported as corruption. */
export function freeBlock(fs: Ext2Filesystem, block: number): number {
  if (!fs.validBlock(block)) return fs.corrupt(`ext2_free_blocks: freeing blocks not in datazone - block = ${block}`);
  const group = fs.groupOfBlock(block);
  const descriptor = fs.groups[group]!;
  const bitmap = fs.cache.get(descriptor.blockBitmap);
  if (typeof bitmap === 'number') return bitmap;
  fs.cache.forget(block);
  const bit = block - fs.groupFirstBlock(group);
  if (!testBit(bitmap, bit)) return fs.corrupt(`ext2_free_blocks: bit already cleared for block ${block}`);
  clearBit(bitmap, bit);
  fs.cache.markDirty(descriptor.blockBitmap);
  descriptor.freeBlocksCount++;
  fs.superblock.freeBlocksCount++;
  fs.markGroupsDirty();
  return 0;
}

/** The group a new inode goes to, or -1 when no group has a free inode. */
function chooseInodeGroup(fs: Ext2Filesystem, parentIno: number, isDirectory: boolean): number {
  const groups = fs.groups;
  const count = fs.groupCount;
  const parentGroup = fs.groupOfInode(parentIno);
  if (isDirectory && parentIno === EXT2_ROOT_INO) {
    // Orlov: spread top-level directories over groups with room to grow.
    const averageInodes = fs.superblock.freeInodesCount / count;
    const averageBlocks = fs.superblock.freeBlocksCount / count;
    let best = -1;
    for (let group = 0; group < count; group++) {
      const d = groups[group]!;
      if (d.freeInodesCount === 0 || d.freeInodesCount < averageInodes || d.freeBlocksCount < averageBlocks) continue;
      if (best < 0 || d.usedDirsCount < groups[best]!.usedDirsCount) best = group;
    }
    if (best >= 0) return best;
  }
  // find_group_other: the parent's group, then quadratic hashing, then a linear scan.
  const parent = groups[parentGroup]!;
  if (parent.freeInodesCount > 0 && parent.freeBlocksCount > 0) return parentGroup;
  let group = parentGroup;
  for (let step = 1; step < count; step <<= 1) {
    group = (group + step) % count;
    const d = groups[group]!;
    if (d.freeInodesCount > 0 && d.freeBlocksCount > 0) return group;
  }
  for (let i = 1; i <= count; i++) {
    group = (parentGroup + i) % count;
    if (groups[group]!.freeInodesCount > 0) return group;
  }
  return -1;
}

/** Allocates an inode number near its parent; returns it or a negative errno. */
export function allocateInode(fs: Ext2Filesystem, parentIno: number, isDirectory: boolean): number {
  if (fs.superblock.freeInodesCount === 0) return -ENOSPC;
  const first = chooseInodeGroup(fs, parentIno, isDirectory);
  if (first < 0) return -ENOSPC;
  for (let tried = 0; tried < fs.groupCount; tried++) {
    const group = (first + tried) % fs.groupCount;
    const descriptor = fs.groups[group]!;
    if (descriptor.freeInodesCount === 0) continue;
    const bitmap = fs.cache.get(descriptor.inodeBitmap);
    if (typeof bitmap === 'number') return bitmap;
    // Inodes below s_first_ino are reserved (root, journal, resize...).
    const from = group === 0 ? fs.superblock.firstIno - 1 : 0;
    const bit = findClearBit(bitmap, from, fs.inodesPerGroup);
    if (bit < 0) {
      fs.corrupt(`ext2_new_inode: group ${group} has ${descriptor.freeInodesCount} free inodes but a full bitmap`);
      continue;
    }
    setBit(bitmap, bit);
    fs.cache.markDirty(descriptor.inodeBitmap);
    descriptor.freeInodesCount--;
    if (isDirectory) descriptor.usedDirsCount++;
    fs.superblock.freeInodesCount--;
    fs.markGroupsDirty();
    return group * fs.inodesPerGroup + bit + 1;
  }
  return -ENOSPC;
}

export function freeInode(fs: Ext2Filesystem, ino: number, isDirectory: boolean): number {
  if (ino < fs.superblock.firstIno || ino > fs.superblock.inodesCount) return fs.corrupt(`ext2_free_inode: reserved or nonexistent inode ${ino}`);
  const group = fs.groupOfInode(ino);
  const descriptor = fs.groups[group]!;
  const bitmap = fs.cache.get(descriptor.inodeBitmap);
  if (typeof bitmap === 'number') return bitmap;
  const bit = (ino - 1) % fs.inodesPerGroup;
  if (!testBit(bitmap, bit)) return fs.corrupt(`ext2_free_inode: bit already cleared for inode ${ino}`);
  clearBit(bitmap, bit);
  fs.cache.markDirty(descriptor.inodeBitmap);
  descriptor.freeInodesCount++;
  if (isDirectory && descriptor.usedDirsCount > 0) descriptor.usedDirsCount--;
  fs.superblock.freeInodesCount++;
  fs.markGroupsDirty();
  return 0;
}
