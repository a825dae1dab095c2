/**
 * The request queue (block/blk-mq.c, reduced to one elevator pass): pending
 * page-sized writes of one disk are sorted by sector and adjacent ones merged into
 * requests of up to MAX_SECTORS, then handed to the driver in order. Reads are
 * issued at once (a reader waits for them), so only write-back goes through here.
 * Each write carries a completion callback called with the status of the merged
 * request it went out in (0 or -EIO): the cache marks a page clean only on success.
 */
import type { DiskDriver } from './block-device.js';
import { SECTOR_SIZE } from './block-device.js';

/** ATA's 8-bit sector count allows 256 sectors per command; LBA48 allows more, the queue keeps requests at 128 KiB. */
export const MAX_SECTORS = 256;

export interface WriteRequest {
  readonly sector: number;
  readonly data: Uint8Array;
  /** Called once the request this write was merged into has completed. */
  readonly done?: (status: number) => void;
}

export class RequestQueue {
  private pending: WriteRequest[] = [];
  /** Requests issued to the driver since boot, after merging (for tests and /proc/diskstats-like figures). */
  issued = 0;

  constructor(readonly driver: DiskDriver) {}

  add(sector: number, data: Uint8Array, done?: (status: number) => void): void {
    this.pending.push({ sector, data, done });
  }

  get length(): number { return this.pending.length; }

  /** Sorts, merges and issues every pending write; 0 or the first error (the rest are still tried). */
  run(): number {
    const requests = this.pending.sort((a, b) => a.sector - b.sector);
    this.pending = [];
    let status = 0;
    for (let i = 0; i < requests.length;) {
      let j = i + 1;
      let sectors = requests[i]!.data.length / SECTOR_SIZE;
      while (j < requests.length && requests[j]!.sector === requests[i]!.sector + sectors && sectors + requests[j]!.data.length / SECTOR_SIZE <= MAX_SECTORS) {
        sectors += requests[j]!.data.length / SECTOR_SIZE;
        j++;
      }
      const merged = new Uint8Array(sectors * SECTOR_SIZE);
      let at = 0;
      for (let k = i; k < j; k++) { merged.set(requests[k]!.data, at); at += requests[k]!.data.length; }
      const result = this.driver.writeSectors(requests[i]!.sector, merged);
      this.issued++;
      for (let k = i; k < j; k++) requests[k]!.done?.(result < 0 ? result : 0);
      if (result < 0 && status === 0) status = result;
      i = j;
    }
    return status;
  }
}
