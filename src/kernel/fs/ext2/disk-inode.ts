/**
 * An ext2 inode as stored in the inode table (128 bytes, or s_inode_size with
 * the extra fields after byte 128), read and written in place like the
 * superblock. Layout: e2fsprogs ext2_fs.h struct ext2_inode (the Linux osd2).
 * `ino` and the in-memory bookkeeping (references, allocation goal) ride along.
 */
import { EXT2_N_BLOCKS, S_IFDIR, S_IFMT, S_IFREG } from './constants.js';

export class DiskInode {
  readonly raw: Uint8Array;
  private readonly view: DataView;
  /** Open references the VFS holds: an unlinked inode is freed when the last goes. */
  references = 0;
  /** Physical block allocated last, the goal of the next allocation (Linux's i_block_alloc_info). */
  lastAllocatedBlock = 0;

  constructor(readonly ino: number, raw: Uint8Array) {
    this.raw = raw;
    this.view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  }

  private u32(offset: number): number { return this.view.getUint32(offset, true); }
  private setU32(offset: number, value: number): void { this.view.setUint32(offset, value >>> 0, true); }
  private u16(offset: number): number { return this.view.getUint16(offset, true); }
  private setU16(offset: number, value: number): void { this.view.setUint16(offset, value & 0xffff, true); }

  get mode(): number { return this.u16(0); }
  set mode(v: number) { this.setU16(0, v); }
  /** 32-bit uid: i_uid plus l_i_uid_high. */
  get uid(): number { return (this.u16(2) | (this.u16(120) << 16)) >>> 0; }
  set uid(v: number) { this.setU16(2, v); this.setU16(120, v >>> 16); }
  get gid(): number { return (this.u16(24) | (this.u16(122) << 16)) >>> 0; }
  set gid(v: number) { this.setU16(24, v); this.setU16(122, v >>> 16); }
  /** 64-bit size for regular files (i_size_high, RO_COMPAT_LARGE_FILE); 32-bit for the rest (i_dir_acl). */
  get size(): number {
    const high = (this.mode & S_IFMT) === S_IFREG ? this.u32(108) : 0;
    return high * 0x1_0000_0000 + this.u32(4);
  }
  set size(v: number) {
    this.setU32(4, v % 0x1_0000_0000);
    if ((this.mode & S_IFMT) === S_IFREG) this.setU32(108, Math.floor(v / 0x1_0000_0000));
  }
  get atime(): number { return this.u32(8); }
  set atime(v: number) { this.setU32(8, v); }
  get ctime(): number { return this.u32(12); }
  set ctime(v: number) { this.setU32(12, v); }
  get mtime(): number { return this.u32(16); }
  set mtime(v: number) { this.setU32(16, v); }
  /** Deletion time; for an inode on the orphan list, the next orphan's number. */
  get dtime(): number { return this.u32(20); }
  set dtime(v: number) { this.setU32(20, v); }
  get linksCount(): number { return this.u16(26); }
  set linksCount(v: number) { this.setU16(26, v); }
  /** Blocks in 512-byte units, including indirect blocks and the xattr block. */
  get blocks(): number { return this.u32(28); }
  set blocks(v: number) { this.setU32(28, v); }
  get flags(): number { return this.u32(32); }
  set flags(v: number) { this.setU32(32, v); }
  block(index: number): number { return this.u32(40 + index * 4); }
  setBlock(index: number, value: number): void { this.setU32(40 + index * 4, value); }
  /** i_block as bytes: a fast symlink's target lives here. */
  get blockBytes(): Uint8Array { return this.raw.subarray(40, 40 + EXT2_N_BLOCKS * 4); }
  get generation(): number { return this.u32(100); }
  set generation(v: number) { this.setU32(100, v); }
  get fileAcl(): number { return this.u32(104); }
  set fileAcl(v: number) { this.setU32(104, v); }
  get extraInodeSize(): number { return this.raw.length > 128 ? this.u16(128) : 0; }
  set extraInodeSize(v: number) { if (this.raw.length > 128) this.setU16(128, v); }

  get isDirectory(): boolean { return (this.mode & S_IFMT) === S_IFDIR; }
  get isRegular(): boolean { return (this.mode & S_IFMT) === S_IFREG; }
}
