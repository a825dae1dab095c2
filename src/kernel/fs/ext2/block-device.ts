/**
 * The block device ext2 runs on: whole blocks of any power-of-two size addressed
 * by block number. In the kernel it is backed by the block layer's buffer cache;
 * in tests and in `ir0 mkimage` by a byte array. Errors are negative errnos.
 */
import { EIO } from '../../lib/index.js';

export interface BlockDevice {
  /** Size in bytes. */
  readonly byteLength: number;
  /** Fills `into` (whose length is the block size) with block `block`; 0 or -EIO. */
  readBlock(block: number, into: Uint8Array): number;
  /** Writes `data` (one block) at block `block`; 0 or -EIO. */
  writeBlock(block: number, data: Uint8Array): number;
  /** Makes earlier writes durable (FLUSH CACHE); 0 or -EIO. */
  flush(): number;
}

/** A block device over a byte array: the tests' and mkimage's disk, or a partition inside one. */
export class MemoryBlockDevice implements BlockDevice {
  readonly byteLength: number;

  constructor(readonly bytes: Uint8Array, private readonly start = 0, length = bytes.length - start) {
    this.byteLength = length;
  }

  readBlock(block: number, into: Uint8Array): number {
    const offset = block * into.length;
    if (offset < 0 || offset + into.length > this.byteLength) return -EIO;
    into.set(this.bytes.subarray(this.start + offset, this.start + offset + into.length));
    return 0;
  }

  writeBlock(block: number, data: Uint8Array): number {
    const offset = block * data.length;
    if (offset < 0 || offset + data.length > this.byteLength) return -EIO;
    this.bytes.set(data, this.start + offset);
    return 0;
  }

  flush(): number { return 0; }
}
