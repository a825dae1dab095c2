/**
 * ext2's cache of metadata blocks (bitmaps, inode tables, directories, indirect
 * blocks, the superblock and descriptors): `get` reads a block once, `markDirty`
 * queues it for `writeBack`. Regular file data bypasses it, so a freed metadata
 * block must be `forget`-ten before it is reused for data. Clean blocks beyond
 * `capacity` are dropped oldest first; dirty ones stay until written.
 */
import type { BlockDevice } from './block-device.js';

export class MetadataCache {
  /** Insertion order is the age order that eviction uses. */
  private readonly blocks = new Map<number, Uint8Array>();
  private readonly dirty = new Set<number>();

  constructor(private readonly device: BlockDevice, readonly blockSize: number, private readonly capacity = 8192) {}

  /** The cached block, or a negative errno when the device fails. */
  get(block: number): Uint8Array | number {
    const cached = this.blocks.get(block);
    if (cached) return cached;
    const data = new Uint8Array(this.blockSize);
    const status = this.device.readBlock(block, data);
    if (status < 0) return status;
    this.insert(block, data);
    return data;
  }

  /** A block whose old contents do not matter (a newly allocated one): zeroed, dirty, no read. */
  getZeroed(block: number): Uint8Array {
    let data = this.blocks.get(block);
    if (data) data.fill(0);
    else {
      data = new Uint8Array(this.blockSize);
      this.insert(block, data);
    }
    this.dirty.add(block);
    return data;
  }

  markDirty(block: number): void { this.dirty.add(block); }

  /** Drops a block (freed, or about to be written as file data) without writing it. */
  forget(block: number): void {
    this.blocks.delete(block);
    this.dirty.delete(block);
  }

  /** Writes one dirty block if it is cached and dirty. */
  writeOne(block: number): number {
    if (!this.dirty.has(block)) return 0;
    const data = this.blocks.get(block);
    this.dirty.delete(block);
    return data ? this.device.writeBlock(block, data) : 0;
  }

  /** Writes every dirty block in block order; the first error is returned, the rest still written. */
  writeBack(): number {
    let result = 0;
    for (const block of [...this.dirty].sort((a, b) => a - b)) {
      const status = this.writeOne(block);
      if (status < 0 && result === 0) result = status;
    }
    return result;
  }

  get dirtyCount(): number { return this.dirty.size; }

  private insert(block: number, data: Uint8Array): void {
    this.blocks.set(block, data);
    if (this.blocks.size <= this.capacity) return;
    for (const old of this.blocks.keys()) {
      if (this.blocks.size <= this.capacity) break;
      if (!this.dirty.has(old) && old !== block) this.blocks.delete(old);
    }
  }
}
