import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeMemory, FakeVcpu } from '../testing/index.js';
import {
  AddressSpace, BuddyAllocator, copyFromUser, copyToUser, Fault, MAX_ORDER, PAGE_SIZE, PhysicalPages,
  PROT_READ, PROT_WRITE, strncpyFromUser, STACK_TOP, MAP_GROWSDOWN, GFP_DMA,
} from './index.js';

test('buddy: zones from e820, split and merge back to the initial free lists', () => {
  const memory = fakeMemory(32);
  const buddy = new BuddyAllocator(memory.size, memory.map);
  const before = buddy.buddyinfo();
  const free = buddy.freePageCount;
  // 32 MiB minus page 0, the 0x9f000-0x100000 hole.
  assert.equal(free, 8192 - 1 - 0x61);
  assert.equal(buddy.presentPages[0], 4096 - 1 - 0x61);
  assert.equal(buddy.presentPages[1], 4096);
  const pages: number[] = [];
  for (let i = 0; i < 100; i++) pages.push(buddy.allocPage());
  const big = buddy.allocPages(MAX_ORDER);
  assert.equal(big % (PAGE_SIZE << MAX_ORDER), 0);
  const dma = buddy.allocPage(GFP_DMA);
  assert.ok(dma > 0 && dma < 16 << 20);
  assert.ok(pages.every((p) => p >= 16 << 20), 'user pages prefer the higher zones');
  assert.equal(new Set(pages).size, 100);
  for (const p of pages) buddy.freePages(p, 0);
  buddy.freePages(big, MAX_ORDER);
  buddy.freePages(dma, 0);
  assert.equal(buddy.freePageCount, free);
  assert.equal(buddy.buddyinfo(), before);
});

test('buddy: exhaustion returns -1 and refcounts free at zero', () => {
  const memory = fakeMemory(4);
  const buddy = new BuddyAllocator(memory.size, memory.map);
  const all: number[] = [];
  for (;;) { const p = buddy.allocPage(); if (p < 0) break; all.push(p); }
  assert.equal(buddy.freePageCount, 0);
  buddy.getPage(all[0]!);
  buddy.putPage(all[0]!);
  assert.equal(buddy.freePageCount, 0);
  buddy.putPage(all[0]!);
  assert.equal(buddy.freePageCount, 1);
});

test('slab: size classes, reuse, stats and krealloc', () => {
  const pages = new PhysicalPages(fakeMemory(8), new FakeVcpu());
  const free = pages.buddy.freePageCount;
  const a = pages.slab.kmalloc(20);
  const b = pages.slab.kmalloc(20);
  assert.equal(pages.slab.ksize(a), 32);
  assert.equal(b - a === 32 || a - b === 32, true);
  pages.bytes.set([1, 2, 3], a);
  const c = pages.slab.krealloc(a, 100, pages.bytes);
  assert.deepEqual([...pages.bytes.subarray(c, c + 3)], [1, 2, 3]);
  const big = pages.slab.kmalloc(10000);
  assert.equal(pages.slab.ksize(big), 16384);
  const info = pages.slab.slabinfo().find((s) => s.name === 'kmalloc-32')!;
  assert.equal(info.active, 1);
  pages.slab.kfree(b); pages.slab.kfree(c); pages.slab.kfree(big);
  assert.equal(pages.buddy.freePageCount, free);
});

function setup(): { pages: PhysicalPages; vcpu: FakeVcpu; mm: AddressSpace } {
  const vcpu = new FakeVcpu();
  const pages = new PhysicalPages(fakeMemory(16), vcpu);
  const mm = AddressSpace.create(pages)!;
  vcpu.setCr3(mm.directory);
  return { pages, vcpu, mm };
}

test('address space: demand zero, protections, unmap, and no leaks', () => {
  const { pages, mm } = setup();
  const free = pages.buddy.freePageCount + 1;
  mm.map(0x10000000, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, 0x22, null, 0);
  assert.equal(copyToUser(mm, 0x10000ffe, new Uint8Array([7, 8, 9, 10])), 0);
  assert.deepEqual([...(copyFromUser(mm, 0x10000ffe, 4) as Uint8Array)], [7, 8, 9, 10]);
  assert.equal(mm.residentPages(), 2);
  assert.equal(mm.protect(0x10000000, PAGE_SIZE, PROT_READ), 0);
  assert.equal(mm.handleFault(0x10000000, true), Fault.AccessError);
  assert.equal(mm.handleFault(0x20000000, false), Fault.MapError);
  assert.equal(mm.vmas.length, 2);
  assert.equal(copyToUser(mm, 0x10000000, new Uint8Array(1)), -14);
  mm.unmap(0x10001000, PAGE_SIZE);
  assert.equal(mm.vmas.length, 2);
  assert.equal(mm.residentPages(), 1);
  mm.destroy();
  assert.equal(pages.buddy.freePageCount, free);
});

test('address space: fork shares frames copy-on-write', () => {
  const { pages, vcpu, mm } = setup();
  const free = pages.buddy.freePageCount + 1;
  mm.map(0x10000000, PAGE_SIZE, PROT_READ | PROT_WRITE, 0x22, null, 0);
  copyToUser(mm, 0x10000000, new Uint8Array([1]));
  const child = mm.fork()!;
  assert.equal(mm.translate(0x10000000, false), child.translate(0x10000000, false));
  assert.equal(mm.translate(0x10000000, true), -1, 'parent page is read-only after fork');
  vcpu.setCr3(child.directory);
  copyToUser(child, 0x10000000, new Uint8Array([2]));
  assert.notEqual(mm.translate(0x10000000, false), child.translate(0x10000000, false));
  assert.deepEqual([...(copyFromUser(mm, 0x10000000, 1) as Uint8Array)], [1]);
  assert.deepEqual([...(copyFromUser(child, 0x10000000, 1) as Uint8Array)], [2]);
  // The parent is the last holder: its write reuses the frame.
  const frame = mm.translate(0x10000000, false);
  copyToUser(mm, 0x10000000, new Uint8Array([3]));
  assert.equal(mm.translate(0x10000000, true), frame);
  child.destroy(); mm.destroy();
  assert.equal(pages.buddy.freePageCount, free);
});

test('address space: stack growth, brk, top-down mmap, file-backed private pages', () => {
  const { pages, mm } = setup();
  mm.map(STACK_TOP - PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_GROWSDOWN, null, 0, '[stack]');
  assert.equal(mm.handleFault(STACK_TOP - 5 * PAGE_SIZE, true), Fault.Handled);
  assert.equal(mm.handleFault(STACK_TOP - 9 * 1024 * 1024, true), Fault.MapError);
  mm.brkStart = mm.brk = 0x0804c123;
  assert.equal(mm.setBrk(0x0804e000), 0x0804e000);
  assert.equal(copyToUser(mm, 0x0804d000, new Uint8Array([5])), 0);
  assert.equal(mm.setBrk(0x0804c123), 0x0804c123);
  assert.equal(copyToUser(mm, 0x0804d000, new Uint8Array([5])), -14);
  const a = mm.findFreeArea(0, 3 * PAGE_SIZE, 0);
  mm.map(a, 3 * PAGE_SIZE, PROT_READ, 0x22, null, 0);
  const b = mm.findFreeArea(0, PAGE_SIZE, 0);
  assert.equal(b, a - PAGE_SIZE);
  const file = new TextEncoder().encode('hello, world\0');
  const source = { name: 'f', readAt: (offset: number, dest: Uint8Array) => { const part = file.subarray(offset, offset + dest.length); dest.set(part); return part.length; } };
  mm.map(0x08048000, PAGE_SIZE, PROT_READ, 0x02, source, 0);
  mm.vmas.find((v) => v.start === 0x08048000)!.fileLimit = 0x08048005;
  assert.equal(new TextDecoder().decode(strncpyFromUser(mm, 0x08048000, 100) as Uint8Array), 'hello');
  // A page wholly past the end of the file is a bus error (SIGBUS for the program, EFAULT for the kernel).
  mm.map(0x08050000, 2 * PAGE_SIZE, PROT_READ, 0x02, source, 0);
  assert.equal(mm.handleFault(0x08050000, false), Fault.Handled);
  assert.equal(mm.handleFault(0x08051000, false), Fault.BusError);
  mm.destroy();
  assert.equal(pages.buddy.freePageCount, pages.buddy.totalPageCount);
});
