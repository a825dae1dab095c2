/**
 * fork's address-space copy on a fake hal: private pages shared read-only (copy-on-write) and
 * isolated after writes, the page at the parent's stack pointer copied at once (each side writable,
 * its own frame, same contents), the parent's entries made read-only invalidated in its own address
 * space, and every frame back in the allocator after both exit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeMemory, FakeVcpu } from '../testing/index.js';
import { AddressSpace, copyFromUser, copyToUser, Fault, PAGE_SIZE, PhysicalPages, PROT_READ, PROT_WRITE } from './index.js';

const BASE = 0x10000000;
const MAP_PRIVATE_ANONYMOUS = 0x22;

const text = (bytes: Uint8Array | number): string => (typeof bytes === 'number' ? `errno ${bytes}` : new TextDecoder().decode(bytes));

test('fork: copy-on-write pages, the stack page copied at once, isolation after writes, no leaked frame', () => {
  const vcpu = new FakeVcpu();
  const pages = new PhysicalPages(fakeMemory(16), vcpu);
  const free = pages.buddy.freePageCount;
  const parent = AddressSpace.create(pages)!;
  vcpu.setCr3(parent.directory);
  parent.map(BASE, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE_ANONYMOUS, null, 0);
  for (let i = 0; i < 3; i++) {
    assert.equal(parent.handleFault(BASE + i * PAGE_SIZE, true), Fault.Handled);
    assert.equal(copyToUser(parent, BASE + i * PAGE_SIZE, new TextEncoder().encode(`page${i}`)), 0);
  }
  vcpu.invalidatedPages.length = 0;
  const child = parent.fork(BASE + PAGE_SIZE + 0x10)!;
  // Pages 0 and 2: one frame, read-only in both; the parent's now read-only entries were invalidated.
  for (const i of [0, 2]) {
    const address = BASE + i * PAGE_SIZE;
    assert.equal(parent.translate(address, true), -1);
    assert.equal(child.translate(address, true), -1);
    assert.equal(parent.translate(address, false), child.translate(address, false));
    assert.ok(vcpu.invalidatedPages.includes(address), `page ${i} invalidated`);
  }
  // Page 1 (the stack pointer's): already apart, writable on both sides, same contents.
  const stack = BASE + PAGE_SIZE;
  assert.ok(parent.translate(stack, true) >= 0 && child.translate(stack, true) >= 0);
  assert.notEqual(parent.translate(stack, true), child.translate(stack, true));
  assert.equal(text(copyFromUser(child, stack, 5)), 'page1');
  // Writes stay on their side.
  assert.equal(copyToUser(parent, stack, new TextEncoder().encode('PARNT')), 0);
  assert.equal(copyToUser(child, BASE, new TextEncoder().encode('CHILD')), 0);
  assert.equal(text(copyFromUser(child, stack, 5)), 'page1');
  assert.equal(text(copyFromUser(parent, BASE, 5)), 'page0');
  assert.equal(text(copyFromUser(child, BASE, 5)), 'CHILD');
  child.destroy();
  parent.destroy();
  assert.equal(pages.buddy.freePageCount, free);
});

test('fork: a stack page a third address space also holds is not copied early', () => {
  const vcpu = new FakeVcpu();
  const pages = new PhysicalPages(fakeMemory(16), vcpu);
  const free = pages.buddy.freePageCount;
  const parent = AddressSpace.create(pages)!;
  parent.map(BASE, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE_ANONYMOUS, null, 0);
  assert.equal(parent.handleFault(BASE, true), Fault.Handled);
  const first = parent.fork()!;
  const second = parent.fork(BASE)!;
  // The frame has three holders after the second fork: nothing is copied early, all three share it read-only.
  for (const space of [parent, first, second]) {
    assert.equal(space.translate(BASE, true), -1);
    assert.equal(space.translate(BASE, false), parent.translate(BASE, false));
  }
  for (const space of [first, second, parent]) space.destroy();
  assert.equal(pages.buddy.freePageCount, free);
});
