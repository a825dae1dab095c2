/**
 * The file page cache on a fake hal: shared and private faults, write notification and
 * write-back, truncate through the reverse map, reclaim that spares mapped and dirty pages,
 * and every frame back in the allocator at the end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeMemory, FakeVcpu } from '../testing/index.js';
import { AddressSpace, copyFromUser, copyToUser, Fault, MAP_PRIVATE, MAP_SHARED, PAGE_SIZE, PageCache, PhysicalPages, PROT_READ, PROT_WRITE } from './index.js';
import type { FileBacking } from './index.js';

/** A file in a byte array, counting the writes that reach it. */
function memoryFile(size: number): FileBacking & { bytes: Uint8Array; writes: number; holds: number } {
  const file = {
    bytes: new Uint8Array(size).map((_, i) => 97 + (i % 26)),
    writes: 0,
    holds: 0,
    size: () => file.bytes.length,
    read(offset: number, into: Uint8Array): number {
      const part = file.bytes.subarray(offset, offset + into.length);
      into.set(part);
      return part.length;
    },
    write(offset: number, data: Uint8Array): number {
      file.writes++;
      file.bytes.set(data.subarray(0, Math.max(0, file.bytes.length - offset)), offset);
      return 0;
    },
    sync: () => 0,
    hold: () => { file.holds++; },
    release: () => { file.holds--; },
  };
  return file;
}

function setup() {
  const pages = new PhysicalPages(fakeMemory(16), new FakeVcpu());
  const cache = new PageCache(pages);
  return { pages, cache, free: pages.buddy.freePageCount };
}

const text = (bytes: Uint8Array | number): string => (typeof bytes === 'number' ? `errno ${bytes}` : new TextDecoder().decode(bytes));

test('page cache: shared stores reach other mappings, read and the file only at write-back; pages are write-protected again', () => {
  const { pages, cache, free } = setup();
  const file = memoryFile(2 * PAGE_SIZE + 10);
  const filePages = cache.create(file);
  const first = AddressSpace.create(pages)!;
  const second = AddressSpace.create(pages)!;
  first.map(0x10000000, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, filePages.source('f'), 0);
  second.map(0x20000000, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, filePages.source('f'), 0);
  assert.equal(file.holds, 2);
  // A read fault maps the page read-only: the first store must be noticed.
  assert.equal(first.handleFault(0x10000000, false), Fault.Handled);
  assert.equal(first.translate(0x10000000, true), -1);
  assert.equal(copyToUser(first, 0x10000004, new TextEncoder().encode('STORE')), 0);
  assert.equal(text(copyFromUser(second, 0x20000004, 5)), 'STORE');
  assert.equal(cache.dirtyPages, 1);
  const out = new Uint8Array(5);
  file.read(4, out);
  assert.equal(text(out), 'efghi', 'not written back yet');
  filePages.copyOut(4, out);
  assert.equal(text(out), 'STORE', 'read(2) sees the cached page');
  assert.equal(filePages.writeback(), 0);
  assert.equal(text(file.bytes.subarray(4, 9)), 'STORE');
  assert.equal(file.writes, 1);
  assert.equal(first.translate(0x10000000, true), -1, 'clean again: the next store faults');
  // The page past the end of the file is SIGBUS; the end page reads zeros past the end.
  assert.equal(first.handleFault(0x10000000 + 2 * PAGE_SIZE, false), Fault.Handled);
  assert.equal(text(copyFromUser(first, 0x10000000 + 2 * PAGE_SIZE + 8, 3)), 'kl\0');
  first.destroy();
  second.destroy();
  assert.equal(file.holds, 0);
  filePages.drop();
  assert.equal(pages.buddy.freePageCount, free);
});

test('page cache: private mappings follow the file until their first store; truncate unmaps both kinds; reclaim unmaps pages, writing dirty ones back first', () => {
  const { pages, cache, free } = setup();
  const file = memoryFile(3 * PAGE_SIZE);
  const filePages = cache.create(file);
  const mm = AddressSpace.create(pages)!;
  mm.map(0x10000000, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, filePages.source('f'), 0);
  mm.map(0x20000000, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, filePages.source('f'), 0);
  assert.equal(text(copyFromUser(mm, 0x10000000, 3)), 'abc');
  filePages.copyIn(0, new TextEncoder().encode('XYZ'));
  assert.equal(text(copyFromUser(mm, 0x10000000, 3)), 'XYZ', 'write(2) reaches the untouched private page');
  assert.equal(copyToUser(mm, 0x10000000, new TextEncoder().encode('mine')), 0);
  filePages.copyIn(0, new TextEncoder().encode('QQQ'));
  assert.equal(text(copyFromUser(mm, 0x10000000, 4)), 'mine', 'the private copy keeps its bytes');
  assert.equal(text(copyFromUser(mm, 0x20000000, 4)), 'QQQd');
  assert.equal(text(copyFromUser(mm, 0x10000000 + 2 * PAGE_SIZE, 1)), 'c');
  assert.equal(text(copyFromUser(mm, 0x20000000 + PAGE_SIZE, 1)), 'o');
  file.bytes = file.bytes.subarray(0, PAGE_SIZE + 1);
  filePages.resize(3 * PAGE_SIZE, PAGE_SIZE + 1);
  assert.equal(mm.handleFault(0x10000000 + 2 * PAGE_SIZE, false), Fault.BusError);
  assert.equal(mm.handleFault(0x20000000 + 2 * PAGE_SIZE, false), Fault.BusError);
  assert.equal(text(copyFromUser(mm, 0x20000000 + PAGE_SIZE, 3)), 'o\0\0', 'the end page is zeroed past the end');
  // Under pressure mapped clean pages go too: the mappings let go and fault them in again; private copies stay.
  assert.equal(cache.cachedPages, 2);
  assert.equal(cache.reclaim(100), 2);
  assert.equal(text(copyFromUser(mm, 0x10000000, 4)), 'mine');
  assert.equal(text(copyFromUser(mm, 0x20000000 + PAGE_SIZE, 1)), 'o');
  assert.equal(cache.cachedPages, 1);
  // A dirty mapped page is written back before it goes.
  assert.equal(copyToUser(mm, 0x20000000 + PAGE_SIZE, new TextEncoder().encode('d')), 0);
  assert.equal(cache.reclaim(100), 1);
  assert.equal(text(file.bytes.subarray(PAGE_SIZE, PAGE_SIZE + 1)), 'd');
  assert.equal(text(copyFromUser(mm, 0x20000000 + PAGE_SIZE, 1)), 'd');
  mm.destroy();
  assert.equal(cache.reclaim(100), 1);
  assert.equal(cache.cachedPages, 0);
  assert.equal(pages.buddy.freePageCount, free);
});

test('page cache: the last munmap writes dirty pages back; fork keeps the mapping shared', () => {
  const { pages, cache, free } = setup();
  const file = memoryFile(PAGE_SIZE);
  const filePages = cache.create(file);
  const parent = AddressSpace.create(pages)!;
  parent.map(0x10000000, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, filePages.source('f'), 0);
  assert.equal(copyToUser(parent, 0x10000000, new TextEncoder().encode('one')), 0);
  const child = parent.fork()!;
  assert.equal(copyToUser(child, 0x10000003, new TextEncoder().encode('two')), 0);
  assert.equal(text(copyFromUser(parent, 0x10000000, 6)), 'onetwo');
  parent.unmap(0x10000000, PAGE_SIZE);
  assert.equal(file.writes, 0, 'the child still maps it');
  child.destroy();
  assert.equal(text(file.bytes.subarray(0, 6)), 'onetwo');
  parent.destroy();
  filePages.drop();
  assert.equal(pages.buddy.freePageCount, free);
});
