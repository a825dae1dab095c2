/**
 * The map from a file's logical blocks to disk blocks through i_block: 12
 * direct pointers, then single, double and triple indirect trees (fs/ext2/inode.c
 * ext2_block_to_path). A zero pointer is a hole: it reads as zeros and costs no
 * block. `mapBlock` finds (and with `create`, allocates) a block; `truncateBlocks`
 * frees everything from a logical block on, indirect blocks included.
 * i_blocks counts every block in 512-byte units.
 */
import { EFBIG } from '../../lib/index.js';
import { allocateBlock, freeBlock } from './allocator.js';
import { EXT2_IND_BLOCK, EXT2_NDIR_BLOCKS } from './constants.js';
import type { DiskInode } from './disk-inode.js';
import type { Ext2Filesystem } from './filesystem.js';

interface Path {
  /** i_block slot. */
  slot: number;
  /** Indices inside each indirect level, outermost first. */
  indices: number[];
}

/** Where logical block `logical` hangs, or null past the triple indirect tree. */
function pathOf(fs: Ext2Filesystem, logical: number): Path | null {
  const per = fs.pointersPerBlock;
  if (logical < EXT2_NDIR_BLOCKS) return { slot: logical, indices: [] };
  let rest = logical - EXT2_NDIR_BLOCKS;
  let span = per;
  for (let level = 1; level <= 3; level++) {
    if (rest < span) {
      const indices: number[] = [];
      for (let l = level - 1; l >= 0; l--) indices.push(Math.floor(rest / per ** l) % per);
      return { slot: EXT2_IND_BLOCK + level - 1, indices };
    }
    rest -= span;
    span *= per;
  }
  return null;
}

/** Blocks in 512-byte units that one filesystem block adds to i_blocks. */
export const sectorsPerBlock = (fs: Ext2Filesystem): number => fs.blockSize / 512;

function checkPointer(fs: Ext2Filesystem, inode: DiskInode, pointer: number): number {
  if (pointer === 0 || fs.validBlock(pointer)) return 0;
  return fs.corrupt(`inode ${inode.ino}: block pointer ${pointer} outside the filesystem`);
}

/** Allocates a block for `inode` near its last one; zeroes it through the cache when it is metadata. */
function allocateFor(fs: Ext2Filesystem, inode: DiskInode, metadata: boolean): number {
  const goal = inode.lastAllocatedBlock !== 0 ? inode.lastAllocatedBlock + 1
    : fs.groupFirstBlock(fs.groupOfInode(inode.ino));
  const block = allocateBlock(fs, goal);
  if (block < 0) return block;
  inode.lastAllocatedBlock = block;
  inode.blocks += sectorsPerBlock(fs);
  if (metadata) fs.cache.getZeroed(block);
  else fs.cache.forget(block);
  return block;
}

/**
 * The disk block of logical block `logical`: 0 for a hole (when not creating),
 * else the block number, or a negative errno. With `create`, holes are filled;
 * `metadata` says the new data block is read and written through the cache
 * (directories, slow symlinks). The caller writes the inode afterwards.
 */
export function mapBlock(fs: Ext2Filesystem, inode: DiskInode, logical: number, create: boolean, metadata = false): number {
  const path = pathOf(fs, logical);
  if (!path) return -EFBIG;
  let pointer = inode.block(path.slot);
  let status = checkPointer(fs, inode, pointer);
  if (status < 0) return status;
  if (pointer === 0) {
    if (!create) return 0;
    pointer = allocateFor(fs, inode, metadata || path.indices.length > 0);
    if (pointer < 0) return pointer;
    inode.setBlock(path.slot, pointer);
  }
  for (let level = 0; level < path.indices.length; level++) {
    const table = fs.cache.get(pointer);
    if (typeof table === 'number') return table;
    const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
    const offset = path.indices[level]! * 4;
    const tableBlock = pointer;
    pointer = view.getUint32(offset, true);
    status = checkPointer(fs, inode, pointer);
    if (status < 0) return status;
    if (pointer === 0) {
      if (!create) return 0;
      const isLeaf = level === path.indices.length - 1;
      pointer = allocateFor(fs, inode, metadata || !isLeaf);
      if (pointer < 0) return pointer;
      view.setUint32(offset, pointer, true);
      fs.cache.markDirty(tableBlock);
    }
  }
  return pointer;
}

/** Frees a whole subtree (depth 0 = a data block); returns 0 or a negative errno. */
function freeTree(fs: Ext2Filesystem, inode: DiskInode, block: number, depth: number): number {
  let status = checkPointer(fs, inode, block);
  if (status < 0 || block === 0) return status;
  if (depth > 0) {
    const table = fs.cache.get(block);
    if (typeof table === 'number') return table;
    const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
    for (let i = 0; i < fs.pointersPerBlock; i++) {
      const child = view.getUint32(i * 4, true);
      if (child === 0) continue;
      const childStatus = freeTree(fs, inode, child, depth - 1);
      if (childStatus < 0) status = childStatus;
    }
  }
  const freed = freeBlock(fs, block);
  if (freed === 0) inode.blocks = Math.max(0, inode.blocks - sectorsPerBlock(fs));
  return status < 0 ? status : freed;
}

/**
 * Frees the part of the subtree at `block` (covering logical blocks from `start`,
 * `depth` levels deep) that lies at or after logical block `keep`.
 * Returns 1 when the whole subtree was freed, 0 when part of it stays, or a negative errno.
 */
function truncateTree(fs: Ext2Filesystem, inode: DiskInode, block: number, depth: number, start: number, keep: number): number {
  if (block === 0) return 1;
  if (keep <= start) {
    const status = freeTree(fs, inode, block, depth);
    return status < 0 ? status : 1;
  }
  const span = fs.pointersPerBlock ** (depth - 1);
  if (keep >= start + span * fs.pointersPerBlock) return 0;
  const table = fs.cache.get(block);
  if (typeof table === 'number') return table;
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  for (let i = 0; i < fs.pointersPerBlock; i++) {
    const childStart = start + i * span;
    if (childStart + span <= keep) continue;
    const child = view.getUint32(i * 4, true);
    if (child === 0) continue;
    const status = checkPointer(fs, inode, child);
    if (status < 0) return status;
    // With depth 1 the children are data blocks at or after `keep`: all go.
    const result = depth === 1 ? freeTree(fs, inode, child, 0) || 1 : truncateTree(fs, inode, child, depth - 1, childStart, keep);
    if (result < 0) return result;
    if (result === 1) {
      view.setUint32(i * 4, 0, true);
      fs.cache.markDirty(block);
    }
  }
  return 0;
}

/** Frees every block at logical index >= keepBlocks; the caller sets i_size and writes the inode. */
export function truncateBlocks(fs: Ext2Filesystem, inode: DiskInode, keepBlocks: number): number {
  for (let slot = EXT2_NDIR_BLOCKS - 1; slot >= 0 && slot >= keepBlocks; slot--) {
    const block = inode.block(slot);
    if (block === 0) continue;
    const status = freeTree(fs, inode, block, 0);
    inode.setBlock(slot, 0);
    if (status < 0) return status;
  }
  const per = fs.pointersPerBlock;
  let start = EXT2_NDIR_BLOCKS;
  for (let level = 1; level <= 3; level++) {
    const slot = EXT2_IND_BLOCK + level - 1;
    const result = truncateTree(fs, inode, inode.block(slot), level, start, keepBlocks);
    if (result < 0) return result;
    if (result === 1) inode.setBlock(slot, 0);
    start += per ** level;
  }
  inode.lastAllocatedBlock = 0;
  return 0;
}

/** True when logical blocks [0, count) can be mapped (the triple indirect limit). */
export function maximumBlocks(fs: Ext2Filesystem): number {
  const per = fs.pointersPerBlock;
  return EXT2_NDIR_BLOCKS + per + per * per + per * per * per;
}
