import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeMemory, FakeVcpu } from '../testing/index.js';
import { PhysicalPages } from '../mm/index.js';
import { BlockCache, encodeMbr, MemoryDisk, readPartitions, SECTOR_SIZE } from './index.js';

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
