/**
 * The block layer's interfaces (include/linux/blkdev.h, reduced). A DiskDriver
 * moves whole 512-byte sectors (the ATA driver, a RAM disk); a BlockDevice is what
 * filesystems read and write: blocks of any power-of-two size through the page
 * cache (block-cache.ts), whole disks and MBR partitions alike. Errors are
 * negative errnos (-EIO). The BlockDevice shape is the one fs/ext2 declares.
 */

import type { WaitQueue } from '../lib/index.js';

export const SECTOR_SIZE = 512;

/**
 * A transfer started with DiskDriver.submit: buffer.length / 512 sectors from `sector`, read
 * into `buffer` or written from it; `done` runs (in interrupt context) when it has completed.
 */
export interface DiskRequest {
  readonly sector: number;
  readonly buffer: Uint8Array;
  readonly write: boolean;
  done(status: number): void;
}

/**
 * A disk as its driver sees it: sector I/O that completes before returning (the driver
 * waits for its IRQ), and optionally reads that complete later, by interrupt, so the
 * task that needs them can sleep meanwhile.
 */
export interface DiskDriver {
  readonly name: string;
  readonly sectorCount: number;
  readonly readOnly: boolean;
  /** Reads into.length / 512 sectors starting at `sector`; 0 or -EIO. */
  readSectors(sector: number, into: Uint8Array): number;
  writeSectors(sector: number, from: Uint8Array): number;
  /** FLUSH CACHE: earlier writes are durable. */
  flushCache(): number;
  /** Queues a transfer completed by interrupt. Left out: the cache reads and writes synchronously. */
  submit?(request: DiskRequest): void;
  /** Waits until every submitted request has completed (before a synchronous transfer of the cache). */
  drain?(): void;
}

/** What filesystems mount: blocks through the cache. */
export interface BlockDevice {
  /** Size in bytes. */
  readonly byteLength: number;
  /** Fills `into` (whose length is the block size) with block `block`; 0 or -EIO. */
  readBlock(block: number, into: Uint8Array): number;
  /** Writes `data` (one block) at block `block` (write-back: dirty in the cache); 0 or -EIO. */
  writeBlock(block: number, data: Uint8Array): number;
  /** Writes back this device's dirty pages and flushes the disk's cache; 0 or -EIO. */
  flush(): number;
  /**
   * Starts reading the uncached bytes [offset, offset + length) without waiting; returns the
   * queue to sleep on until they are cached, or null when they already are (or the disk cannot
   * read asynchronously, and readBlock will read them synchronously). `readAhead`: a speculative
   * window, read only once half of it is missing. Left out: same as null.
   */
  prefetch?(offset: number, length: number, readAhead?: boolean): WaitQueue | null;
}

/** A RAM disk driver over a byte array (tests, the browser before a disk is attached). */
export class MemoryDisk implements DiskDriver {
  readonly sectorCount: number;
  flushes = 0;

  constructor(readonly name: string, readonly bytes: Uint8Array, readonly readOnly = false) {
    this.sectorCount = Math.floor(bytes.length / SECTOR_SIZE);
  }

  readSectors(sector: number, into: Uint8Array): number {
    const start = sector * SECTOR_SIZE;
    if (sector < 0 || start + into.length > this.sectorCount * SECTOR_SIZE) return -5;
    into.set(this.bytes.subarray(start, start + into.length));
    return 0;
  }

  writeSectors(sector: number, from: Uint8Array): number {
    const start = sector * SECTOR_SIZE;
    if (this.readOnly || sector < 0 || start + from.length > this.sectorCount * SECTOR_SIZE) return -5;
    this.bytes.set(from, start);
    return 0;
  }

  flushCache(): number { this.flushes++; return 0; }
}
