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
