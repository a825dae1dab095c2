/**
 * What i_block and i_file_acl hold besides block pointers: device numbers of
 * device nodes (old and new encodings, fs/ext2/inode.c) and the shared
 * extended-attribute block, freed when its h_refcount drops to zero.
 */
import { freeBlock } from './allocator.js';
import { S_IFBLK, S_IFCHR, S_IFMT } from './constants.js';
import type { DiskInode } from './disk-inode.js';
import type { Ext2Filesystem } from './filesystem.js';

export function freeSharedAttributeBlock(fs: Ext2Filesystem, block: number): number {
  if (!fs.validBlock(block)) return fs.corrupt(`bad xattr block ${block}`);
  const data = fs.cache.get(block);
  if (typeof data === 'number') return data;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const references = view.getUint32(4, true);
  if (references > 1) {
    view.setUint32(4, references - 1, true);
    fs.cache.markDirty(block);
    return 0;
  }
  return freeBlock(fs, block);
}

/** rdev in Linux's new_encode_dev form (what stat64 reports): i_block[0] holds the old form, i_block[1] the new. */
export function deviceNumber(inode: DiskInode): number {
  const type = inode.mode & S_IFMT;
  if (type !== S_IFCHR && type !== S_IFBLK) return 0;
  const old = inode.block(0);
  // The old form (major << 8 | minor, both < 256) equals the new one for such numbers.
  return old !== 0 ? old & 0xffff : inode.block(1);
}

/** fs/ext2/inode.c: old encoding in i_block[0] when major and minor fit a byte each, else new in i_block[1]. */
export function setDeviceNumber(inode: DiskInode, rdev: number): void {
  const major = (rdev >>> 8) & 0xfff;
  const minor = (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
  if (major < 256 && minor < 256) {
    inode.setBlock(0, (major << 8) | minor);
    inode.setBlock(1, 0);
  } else {
    inode.setBlock(0, 0);
    inode.setBlock(1, ((minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12)) >>> 0);
    inode.setBlock(2, 0);
  }
}
