/**
 * ext2 block group descriptors (32 bytes each, in the blocks after the
 * superblock): where a group's bitmaps and inode table are and its free counts.
 * Decoded into plain objects; `encodeGroupDescriptor` patches them back in place
 * so the ext4 fields a revision-1 driver ignores are preserved.
 */
import { EXT2_GROUP_DESCRIPTOR_SIZE } from './constants.js';

export interface GroupDescriptor {
  blockBitmap: number;
  inodeBitmap: number;
  inodeTable: number;
  freeBlocksCount: number;
  freeInodesCount: number;
  usedDirsCount: number;
}

export function decodeGroupDescriptor(bytes: Uint8Array, offset: number): GroupDescriptor {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, EXT2_GROUP_DESCRIPTOR_SIZE);
  return {
    blockBitmap: view.getUint32(0, true),
    inodeBitmap: view.getUint32(4, true),
    inodeTable: view.getUint32(8, true),
    freeBlocksCount: view.getUint16(12, true),
    freeInodesCount: view.getUint16(14, true),
    usedDirsCount: view.getUint16(16, true),
  };
}

export function encodeGroupDescriptor(descriptor: GroupDescriptor, bytes: Uint8Array, offset: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, EXT2_GROUP_DESCRIPTOR_SIZE);
  view.setUint32(0, descriptor.blockBitmap, true);
  view.setUint32(4, descriptor.inodeBitmap, true);
  view.setUint32(8, descriptor.inodeTable, true);
  view.setUint16(12, descriptor.freeBlocksCount, true);
  view.setUint16(14, descriptor.freeInodesCount, true);
  view.setUint16(16, descriptor.usedDirsCount, true);
}

/** Sparse superblocks: backups only in groups 0, 1 and powers of 3, 5 and 7 (ext2fs_bg_has_super). */
export function groupHasSuperblock(group: number, sparse: boolean): boolean {
  if (!sparse || group <= 1) return true;
  if (group % 2 === 0) return false;
  for (const base of [3, 5, 7]) {
    let power = base;
    while (power < group) power *= base;
    if (power === group) return true;
  }
  return false;
}
