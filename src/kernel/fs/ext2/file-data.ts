/**
 * Reading, writing and truncating a file's bytes through the block map.
 * Holes read as zeros and stay unallocated unless written; a write allocates
 * only the blocks it touches. Data blocks go straight to the device (the VFS
 * page cache sits above); directories and slow symlinks use `metadata` so they
 * share the metadata cache. Sizes past 2 GiB set RO_COMPAT_LARGE_FILE.
 */
import { EFBIG, EINVAL } from '../../lib/index.js';
import { mapBlock, maximumBlocks, truncateBlocks } from './block-map.js';
import { RO_COMPAT_LARGE_FILE } from './constants.js';
import type { DiskInode } from './disk-inode.js';
import type { Ext2Filesystem } from './filesystem.js';

/** Up to `length` bytes from `position` (fewer at end of file), or a negative errno. */
export function readData(fs: Ext2Filesystem, inode: DiskInode, position: number, length: number, metadata = false): Uint8Array | number {
  if (position < 0 || length < 0) return -EINVAL;
  const end = Math.min(inode.size, position + length);
  if (end <= position) return new Uint8Array(0);
  const out = new Uint8Array(end - position);
  const scratch = new Uint8Array(fs.blockSize);
  let cursor = position;
  while (cursor < end) {
    const logical = Math.floor(cursor / fs.blockSize);
    const within = cursor % fs.blockSize;
    const count = Math.min(fs.blockSize - within, end - cursor);
    const block = mapBlock(fs, inode, logical, false, metadata);
    if (block < 0) return block;
    if (block !== 0) {
      let data: Uint8Array;
      if (metadata) {
        const cached = fs.cache.get(block);
        if (typeof cached === 'number') return cached;
        data = cached;
      } else {
        const status = fs.device.readBlock(block, scratch);
        if (status < 0) return status;
        data = scratch;
      }
      out.set(data.subarray(within, within + count), cursor - position);
    }
    cursor += count;
  }
  return out;
}

/** Writes `data` at `position`, growing the file; returns the bytes written or a negative errno. */
export function writeData(fs: Ext2Filesystem, inode: DiskInode, position: number, data: Uint8Array, metadata = false): number {
  if (position < 0) return -EINVAL;
  if (Math.ceil((position + data.length) / fs.blockSize) > maximumBlocks(fs)) return -EFBIG;
  const scratch = new Uint8Array(fs.blockSize);
  let written = 0;
  let status = 0;
  while (written < data.length) {
    const cursor = position + written;
    const logical = Math.floor(cursor / fs.blockSize);
    const within = cursor % fs.blockSize;
    const count = Math.min(fs.blockSize - within, data.length - written);
    const existing = mapBlock(fs, inode, logical, false, metadata);
    const block = existing > 0 ? existing : mapBlock(fs, inode, logical, true, metadata);
    if (block <= 0) { status = block; break; }
    const piece = data.subarray(written, written + count);
    if (metadata) {
      const cached = existing > 0 ? fs.cache.get(block) : fs.cache.getZeroed(block);
      if (typeof cached === 'number') { status = cached; break; }
      cached.set(piece, within);
      fs.cache.markDirty(block);
    } else {
      if (count === fs.blockSize) status = fs.device.writeBlock(block, piece);
      else {
        // A partial block: keep the rest of an existing block, zeroes in a new one.
        if (existing > 0) status = fs.device.readBlock(block, scratch);
        else scratch.fill(0);
        if (status === 0) {
          scratch.set(piece, within);
          status = fs.device.writeBlock(block, scratch);
        }
      }
      if (status < 0) break;
    }
    written += count;
  }
  if (position + written > inode.size) setSize(fs, inode, position + written);
  if (written > 0 || status === 0) {
    const stored = fs.writeInode(inode);
    if (stored < 0 && status === 0) status = stored;
  }
  return written > 0 ? written : status;
}

function setSize(fs: Ext2Filesystem, inode: DiskInode, size: number): void {
  inode.size = size;
  if (size >= 0x8000_0000 && (fs.superblock.featureRoCompat & RO_COMPAT_LARGE_FILE) === 0) {
    fs.superblock.featureRoCompat |= RO_COMPAT_LARGE_FILE;
    fs.markGroupsDirty();
  }
}

/**
 * Sets the file's size: blocks past the new end are freed, and the tail of a
 * partial last block is zeroed so that a later extension reads zeros
 * (fs/ext2/inode.c ext2_setsize / block_truncate_page).
 */
export function truncateData(fs: Ext2Filesystem, inode: DiskInode, size: number, metadata = false): number {
  if (size < 0) return -EINVAL;
  if (Math.ceil(size / fs.blockSize) > maximumBlocks(fs)) return -EFBIG;
  if (size < inode.size) {
    const keepBlocks = Math.ceil(size / fs.blockSize);
    const status = truncateBlocks(fs, inode, keepBlocks);
    if (status < 0) return status;
    const within = size % fs.blockSize;
    if (within !== 0) {
      const block = mapBlock(fs, inode, keepBlocks - 1, false, metadata);
      if (block < 0) return block;
      if (block > 0) {
        const scratch = new Uint8Array(fs.blockSize);
        const cached = metadata ? fs.cache.get(block) : scratch;
        if (typeof cached === 'number') return cached;
        if (!metadata) {
          const read = fs.device.readBlock(block, scratch);
          if (read < 0) return read;
        }
        cached.fill(0, within);
        const stored = metadata ? (fs.cache.markDirty(block), 0) : fs.device.writeBlock(block, scratch);
        if (stored < 0) return stored;
      }
    }
  }
  setSize(fs, inode, size);
  return fs.writeInode(inode);
}
