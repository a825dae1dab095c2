import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeMemory, FakeVcpu } from '../testing/index.js';
import { PhysicalPages } from '../mm/index.js';
import { BlockCache, encodeMbr, MemoryDisk, readPartitions, SECTOR_SIZE } from './index.js';
import type { DiskRequest } from './index.js';

test('block cache: MBR partitions, write-back on sync with merged requests, reclaim gives pages back', () => {
  const pages = new PhysicalPages(fakeMemory(8), new FakeVcpu());
  const free = pages.buddy.freePageCount;
  const bytes = new Uint8Array(2048 * SECTOR_SIZE);
  bytes.set(encodeMbr(2048, 63, 0x83));
  const disk = new MemoryDisk('hda', bytes);
  const partitions = readPartitions(disk);
  assert.deepEqual(partitions, [{ number: 1, type: 0x83, firstSector: 63, sectorCount: 2048 - 63 }]);
  const cache = new BlockCache(pages);
  const device = cache.device(disk, partitions[0]!.firstSector, partitions[0]!.sectorCount);
  assert.equal(device.byteLength, (2048 - 63) * SECTOR_SIZE);
  const block = new Uint8Array(1024).map((_, i) => (i * 7) & 0xff);
  for (let b = 0; b < 40; b++) assert.equal(device.writeBlock(b, block), 0);
  // Write-back: nothing reached the disk yet.
  assert.equal(bytes[63 * SECTOR_SIZE + 1], 0);
  assert.ok(cache.dirtyPages > 0);
  const readBack = new Uint8Array(1024);
  assert.equal(device.readBlock(39, readBack), 0);
  assert.deepEqual(readBack, block);
  assert.equal(device.flush(), 0);
  assert.equal(disk.flushes, 1);
  assert.equal(cache.dirtyPages, 0);
  assert.deepEqual(bytes.subarray(63 * SECTOR_SIZE + 39 * 1024, 63 * SECTOR_SIZE + 40 * 1024), block);
  assert.equal(device.readBlock(device.byteLength / 1024, readBack), -5, 'past the end is EIO');
  const used = free - pages.buddy.freePageCount;
  assert.equal(used, cache.cachedPages);
  assert.equal(cache.reclaim(1000), used);
  assert.equal(pages.buddy.freePageCount, free);
});

test('block cache: no valid MBR means no partitions; a read-only disk refuses writes', () => {
  const pages = new PhysicalPages(fakeMemory(8), new FakeVcpu());
  const disk = new MemoryDisk('hdb', new Uint8Array(64 * SECTOR_SIZE), true);
  assert.deepEqual(readPartitions(disk), []);
  const cache = new BlockCache(pages);
  assert.equal(cache.device(disk).writeBlock(0, new Uint8Array(512)), -30);
});

/** A memory disk whose writes to sectors in `failing` return -EIO while `failing` holds them. */
class FlakyDisk extends MemoryDisk {
  readonly failing = new Set<number>();
  override writeSectors(sector: number, from: Uint8Array): number {
    for (let s = sector; s < sector + from.length / SECTOR_SIZE; s++) if (this.failing.has(s)) return -5;
    return super.writeSectors(sector, from);
  }
}

test('block cache: a failed write-back keeps its pages dirty, logs, and reports EIO until a retry succeeds', () => {
  const pages = new PhysicalPages(fakeMemory(8), new FakeVcpu());
  const bytes = new Uint8Array(1024 * SECTOR_SIZE);
  const disk = new FlakyDisk('hda', bytes);
  const cache = new BlockCache(pages);
  const log: string[] = [];
  cache.log = (line) => log.push(line);
  const device = cache.device(disk);
  const block = new Uint8Array(4096).fill(0xa5);
  // Pages 0..3 and 100: page 2 sits on a bad sector, so its merged request (pages 0..3) fails; page 100 is fine.
  for (const b of [0, 1, 2, 3, 100]) assert.equal(device.writeBlock(b, block), 0);
  disk.failing.add(2 * 8 + 3);
  assert.equal(device.flush(), -5, 'fsync sees EIO');
  assert.equal(cache.dirtyPages, 4, 'the failed request\'s pages stay dirty');
  assert.equal(cache.writeErrors, 4);
  assert.match(log.join('\n'), /write-back I\/O error: 4 page\(s\) from sector 0 kept dirty/);
  assert.equal(bytes[100 * 4096], 0xa5, 'the good page reached the disk');
  assert.equal(bytes[0], 0, 'the failed pages did not');
  // Reclaim cannot drop unwritten data.
  cache.reclaim(1000);
  assert.equal(cache.dirtyPages, 4);
  const readBack = new Uint8Array(4096);
  assert.equal(device.readBlock(2, readBack), 0);
  assert.deepEqual(readBack, block);
  disk.failing.clear();
  assert.equal(device.flush(), 0);
  assert.equal(cache.dirtyPages, 0);
  assert.equal(bytes[2 * 4096 + 5], 0xa5);
  cache.reclaim(1000);
});

/** A memory disk whose submitted reads complete when the test says (the IRQ), or fail at once when `refuse` is set. */
class InterruptDisk extends MemoryDisk {
  readonly submitted: DiskRequest[] = [];
  refuse = false;
  drains = 0;
  submit(request: DiskRequest): void {
    if (this.refuse) { request.done(-5); return; }
    this.submitted.push(request);
  }
  /** The drive's interrupt for the oldest request: its data, or an error. */
  complete(status = 0): void {
    const request = this.submitted.shift()!;
    if (status === 0) {
      if (request.write) this.writeSectors(request.sector, request.buffer);
      else this.readSectors(request.sector, request.buffer);
    }
    request.done(status);
  }
  drain(): void { this.drains++; while (this.submitted.length > 0) this.complete(); }
}

test('block cache: prefetch submits uncached pages, the reader sleeps until the interrupt, then reads from the cache', () => {
  const pages = new PhysicalPages(fakeMemory(8), new FakeVcpu());
  const bytes = new Uint8Array(2048 * SECTOR_SIZE).map((_, i) => (i * 13) & 0xff);
  const disk = new InterruptDisk('hda', bytes);
  const cache = new BlockCache(pages);
  const device = cache.device(disk);
  const queue = device.prefetch!(8192, 20_000);
  assert.ok(queue, 'uncached: sleep on the queue');
  assert.equal(disk.submitted.length, 1, 'one request for the run of missing pages');
  assert.equal(disk.submitted[0]!.buffer.length, 5 * 4096, 'pages 2..6');
  let woken = 0;
  queue.add({ wake: () => { woken++; } });
  assert.equal(device.prefetch!(8192, 20_000), queue, 'still in flight: sleep again, nothing submitted twice');
  assert.equal(disk.submitted.length, 1);
  disk.complete();
  assert.equal(woken, 1, 'the interrupt woke the sleeper');
  assert.equal(device.prefetch!(8192, 20_000), null, 'cached now');
  const block = new Uint8Array(1024);
  assert.equal(device.readBlock(9, block), 0);
  assert.deepEqual(block, bytes.subarray(9 * 1024, 10 * 1024));
  assert.equal(disk.drains, 0, 'no synchronous wait');
  // A read-ahead window is left alone while less than half of it is missing (a synchronous miss cached pages 7..38).
  assert.equal(device.readBlock(7 * 4, block), 0);
  assert.equal(device.prefetch!(20 * 4096, 32 * 4096, true), null, '13 of 32 pages missing');
  assert.equal(disk.submitted.length, 0);
  assert.ok(device.prefetch!(20 * 4096, 32 * 4096), 'the same range asked for, not read ahead');
  assert.equal(disk.submitted[0]!.sector, 39 * 8);
  disk.complete();
  // A request refused inside submit must not leave the caller asleep; the synchronous read reports nothing wrong here.
  disk.refuse = true;
  assert.equal(device.prefetch!(100 * 4096, 4096), null);
  disk.refuse = false;
  // A failed read: the page is dropped, the synchronous path reads it (once) instead of resubmitting forever.
  const again = device.prefetch!(150 * 4096, 4096);
  assert.ok(again);
  disk.complete(-5);
  assert.equal(device.prefetch!(150 * 4096, 4096), null, 'left to the synchronous path');
  assert.equal(device.readBlock(150 * 4, block), 0);
  assert.deepEqual(block, bytes.subarray(150 * 4096, 150 * 4096 + 1024));
  // A write into a page still in flight waits for it (drain) instead of being overwritten by the late data.
  assert.ok(device.prefetch!(200 * 4096, 4096));
  assert.equal(device.writeBlock(200 * 4, new Uint8Array(1024).fill(0xee)), 0);
  assert.equal(disk.drains, 1);
  assert.equal(device.readBlock(200 * 4, block), 0);
  assert.equal(block[0], 0xee);
  cache.forget(disk);
});

test('block cache: the periodic write-back submits runs of dirty pages; the interrupt marks them clean unless written meanwhile', () => {
  const pages = new PhysicalPages(fakeMemory(8), new FakeVcpu());
  const bytes = new Uint8Array(2048 * SECTOR_SIZE);
  const disk = new InterruptDisk('hda', bytes);
  const cache = new BlockCache(pages);
  const log: string[] = [];
  cache.log = (line) => log.push(line);
  const device = cache.device(disk);
  const block = new Uint8Array(4096).fill(0x11);
  for (const b of [3, 4, 5, 9]) assert.equal(device.writeBlock(b, block), 0);
  assert.equal(cache.writebackAll(), 0);
  assert.deepEqual(disk.submitted.map((r) => [r.sector, r.buffer.length, r.write]), [[24, 3 * 4096, true], [72, 4096, true]]);
  assert.equal(cache.dirtyPages, 4, 'dirty until the interrupt');
  assert.equal(cache.writebackAll(), 0);
  assert.equal(disk.submitted.length, 2, 'pages in flight are not queued twice');
  // Page 4 is written again while its copy is on the way: it stays dirty.
  assert.equal(device.writeBlock(4, new Uint8Array(4096).fill(0x22)), 0);
  disk.complete();
  assert.equal(cache.dirtyPages, 2, 'pages 3 and 5 clean; 4 rewritten, 9 in flight');
  assert.equal(bytes[3 * 4096], 0x11);
  assert.equal(bytes[4 * 4096], 0x11, 'the copy taken at submit went out');
  disk.complete(-5);
  assert.equal(cache.dirtyPages, 2, 'a failed request keeps its page dirty');
  assert.match(log.join('\n'), /1 page\(s\) from sector 72 kept dirty/);
  // sync drains what is in flight, then writes the rest synchronously.
  assert.equal(cache.writebackAll(), 0);
  assert.equal(disk.submitted.length, 2);
  assert.equal(device.flush(), 0);
  assert.equal(disk.submitted.length, 0);
  assert.equal(cache.dirtyPages, 0);
  assert.equal(bytes[4 * 4096], 0x22);
  assert.equal(bytes[9 * 4096], 0x11);
  cache.forget(disk);
});
