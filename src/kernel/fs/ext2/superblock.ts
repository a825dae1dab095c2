/**
 * The ext2 superblock (1024 bytes at byte 1024 of the filesystem), read and
 * written in place: each field is an accessor over the raw bytes, so fields this
 * driver does not know survive a rewrite. Layout: e2fsprogs ext2_fs.h struct
 * ext2_super_block; all fields little-endian.
 */
import { EXT2_SUPERBLOCK_SIZE } from './constants.js';

export class Ext2Superblock {
  readonly raw: Uint8Array;
  private readonly view: DataView;

  constructor(raw: Uint8Array = new Uint8Array(EXT2_SUPERBLOCK_SIZE)) {
    this.raw = raw;
    this.view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  }

  private u32(offset: number): number { return this.view.getUint32(offset, true); }
  private setU32(offset: number, value: number): void { this.view.setUint32(offset, value >>> 0, true); }
  private u16(offset: number): number { return this.view.getUint16(offset, true); }
  private setU16(offset: number, value: number): void { this.view.setUint16(offset, value & 0xffff, true); }

  get inodesCount(): number { return this.u32(0); }
  set inodesCount(v: number) { this.setU32(0, v); }
  get blocksCount(): number { return this.u32(4); }
  set blocksCount(v: number) { this.setU32(4, v); }
  get reservedBlocksCount(): number { return this.u32(8); }
  set reservedBlocksCount(v: number) { this.setU32(8, v); }
  get freeBlocksCount(): number { return this.u32(12); }
  set freeBlocksCount(v: number) { this.setU32(12, v); }
  get freeInodesCount(): number { return this.u32(16); }
  set freeInodesCount(v: number) { this.setU32(16, v); }
  get firstDataBlock(): number { return this.u32(20); }
  set firstDataBlock(v: number) { this.setU32(20, v); }
  get logBlockSize(): number { return this.u32(24); }
  set logBlockSize(v: number) { this.setU32(24, v); }
  get logFragmentSize(): number { return this.u32(28); }
  set logFragmentSize(v: number) { this.setU32(28, v); }
  get blocksPerGroup(): number { return this.u32(32); }
  set blocksPerGroup(v: number) { this.setU32(32, v); }
  get fragmentsPerGroup(): number { return this.u32(36); }
  set fragmentsPerGroup(v: number) { this.setU32(36, v); }
  get inodesPerGroup(): number { return this.u32(40); }
  set inodesPerGroup(v: number) { this.setU32(40, v); }
  get mountTime(): number { return this.u32(44); }
  set mountTime(v: number) { this.setU32(44, v); }
  get writeTime(): number { return this.u32(48); }
  set writeTime(v: number) { this.setU32(48, v); }
  get mountCount(): number { return this.u16(52); }
  set mountCount(v: number) { this.setU16(52, v); }
  get maxMountCount(): number { return this.view.getInt16(54, true); }
  set maxMountCount(v: number) { this.view.setInt16(54, v, true); }
  get magic(): number { return this.u16(56); }
  set magic(v: number) { this.setU16(56, v); }
  get state(): number { return this.u16(58); }
  set state(v: number) { this.setU16(58, v); }
  get errors(): number { return this.u16(60); }
  set errors(v: number) { this.setU16(60, v); }
  get lastCheck(): number { return this.u32(64); }
  set lastCheck(v: number) { this.setU32(64, v); }
  get creatorOs(): number { return this.u32(72); }
  set creatorOs(v: number) { this.setU32(72, v); }
  get revisionLevel(): number { return this.u32(76); }
  set revisionLevel(v: number) { this.setU32(76, v); }
  get firstIno(): number { return this.u32(84); }
  set firstIno(v: number) { this.setU32(84, v); }
  get inodeSize(): number { return this.u16(88); }
  set inodeSize(v: number) { this.setU16(88, v); }
  get blockGroupNumber(): number { return this.u16(90); }
  set blockGroupNumber(v: number) { this.setU16(90, v); }
  get featureCompat(): number { return this.u32(92); }
  set featureCompat(v: number) { this.setU32(92, v); }
  get featureIncompat(): number { return this.u32(96); }
  set featureIncompat(v: number) { this.setU32(96, v); }
  get featureRoCompat(): number { return this.u32(100); }
  set featureRoCompat(v: number) { this.setU32(100, v); }
  get uuid(): Uint8Array { return this.raw.subarray(104, 120); }
  get volumeName(): Uint8Array { return this.raw.subarray(120, 136); }
  get reservedGdtBlocks(): number { return this.u16(206); }
  set reservedGdtBlocks(v: number) { this.setU16(206, v); }
  get lastOrphan(): number { return this.u32(232); }
  set lastOrphan(v: number) { this.setU32(232, v); }
  get descriptorSize(): number { return this.u16(254); }
  get firstMetaBlockGroup(): number { return this.u32(260); }
  get mkfsTime(): number { return this.u32(264); }
  set mkfsTime(v: number) { this.setU32(264, v); }
  get wantExtraInodeSize(): number { return this.u16(0x15e); }

  get blockSize(): number { return 1024 << this.logBlockSize; }
  get groupCount(): number {
    return Math.ceil((this.blocksCount - this.firstDataBlock) / this.blocksPerGroup);
  }
}
