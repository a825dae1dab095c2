/**
 * CR3-tagged TLBs against the ReferenceMmu: ten address spaces (more than
 * TLB_CONTEXTS, so contexts are reused) share a pool of frames; random
 * switches with keepTlb, random PTE changes in any address space (active or
 * not) followed by the invalidation the kernel promises (invalidatePage with
 * that space's CR3), whole-space flushes and plain CR3 loads, and random
 * accesses. Every result, fault and the final RAM (A/D bits) must agree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CPU_FAULT } from '../cpu/fault.js';
import { Ram } from '../memory/ram.js';
import { Mmu, TLB_CONTEXTS } from './mmu.js';
import { PageEntry } from './page-walk.js';
import { ReferenceMmu } from './reference-mmu.js';

function random(seed: number): (n: number) => number {
  let state = seed >>> 0 || 1;
  return (n) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % n;
  };
}

const SPACES = TLB_CONTEXTS + 2;
const PAGES = 16;
const LINEAR_BASE = 0x08048000;
const FRAME_POOL = 0x400000;
const FRAMES = 48;

const directoryOf = (space: number): number => 0x100000 + space * 0x2000;
const tableOf = (space: number): number => directoryOf(space) + 0x1000;
const pteAddress = (space: number, page: number): number => tableOf(space) + (((LINEAR_BASE >>> 12) + page) & 0x3ff) * 4;

function randomPte(rand: (n: number) => number): number {
  if (rand(6) === 0) return 0;
  const frame = FRAME_POOL + rand(FRAMES) * 4096;
  return (frame | PageEntry.P | (rand(3) !== 0 ? PageEntry.RW : 0) | (rand(8) !== 0 ? PageEntry.US : 0) | (rand(3) === 0 ? PageEntry.D : 0)) >>> 0;
}

function build(rand: (n: number) => number): Ram {
  const ram = new Ram(8 << 20);
  for (let space = 0; space < SPACES; space++) {
    ram.writePhysical32(directoryOf(space) + (LINEAR_BASE >>> 22) * 4, tableOf(space) | PageEntry.P | PageEntry.RW | PageEntry.US);
    for (let page = 0; page < PAGES; page++) ram.writePhysical32(pteAddress(space, page), randomPte(rand));
  }
  for (let i = 0; i < FRAMES * 1024; i++) ram.writePhysical32(FRAME_POOL + i * 4, rand(0x7fffffff));
  return ram;
}

function attempt(bus: Mmu | ReferenceMmu, run: () => number | void): number | string {
  try {
    const value = run();
    return value === undefined ? 'ok' : value;
  } catch (e) {
    if (e !== CPU_FAULT) throw e;
    return `fault ${bus.faultVector} ${bus.faultErrorCode} ${bus.cr2.toString(16)}`;
  }
}

test('tagged TLBs agree with the reference MMU across switches and invalidated PTE changes in any address space', () => {
  let kept = 0;
  for (let seed = 1; seed <= 6; seed++) {
    const rand = random(seed * 104729);
    const template = build(rand);
    const ramA = new Ram(template.size);
    const ramB = new Ram(template.size);
    ramA.u8.set(template.u8);
    ramB.u8.set(template.u8);
    const fast = new Mmu(ramA);
    const reference = new ReferenceMmu(ramB);
    let space = 0;
    fast.setCr3(directoryOf(space));
    reference.cr3 = directoryOf(space);
    for (let step = 0; step < 8000; step++) {
      const choice = rand(100);
      if (choice < 8) {
        space = rand(SPACES);
        fast.setCr3(directoryOf(space), rand(20) !== 0);
        reference.cr3 = directoryOf(space);
        if (fast.tlbEntriesInUse > 0) kept++;
      } else if (choice < 16) {
        // The kernel's contract: change a PTE in RAM, then invalidate it in its own address space.
        const target = rand(SPACES);
        const page = rand(PAGES);
        const pte = randomPte(rand);
        ramA.writePhysical32(pteAddress(target, page), pte);
        ramB.writePhysical32(pteAddress(target, page), pte);
        fast.invalidatePage(LINEAR_BASE + page * 4096, directoryOf(target));
      } else if (choice < 17) {
        fast.flushTlb(directoryOf(rand(SPACES)));
      } else {
        const linear = (LINEAR_BASE + rand(PAGES * 4096 + 8) - 4) >>> 0;
        const value = rand(0x7fffffff);
        const op = rand(6);
        const length = rand(3) === 0 ? 5000 : 8;
        const act = (bus: Mmu | ReferenceMmu): number | string => attempt(bus, () => {
          switch (op) {
            case 0: return bus.read8(linear);
            case 1: return bus.read32(linear);
            case 2: return bus.write8(linear, value);
            case 3: return bus.write32(linear, value);
            case 4: return bus.checkWrite(linear, length);
            default: return bus.fetch8(linear);
          }
        });
        assert.equal(act(fast), act(reference), `seed ${seed} step ${step} space ${space} op ${op} at ${linear.toString(16)}`);
      }
    }
    assert.ok(Buffer.from(ramA.u8).equals(Buffer.from(ramB.u8)), `seed ${seed}: RAM differs`);
  }
  assert.ok(kept > 100, `switches back found their translations kept only ${kept} times`);
});

test('a switch with keepTlb reuses the translations of that CR3; a plain CR3 load drops them all', () => {
  const rand = random(7);
  const ram = build(rand);
  for (let space = 0; space < 2; space++) ram.writePhysical32(pteAddress(space, 0), FRAME_POOL | PageEntry.P | PageEntry.US);
  const mmu = new Mmu(ram);
  mmu.setCr3(directoryOf(0));
  mmu.read8(LINEAR_BASE);
  mmu.setCr3(directoryOf(1), true);
  mmu.read8(LINEAR_BASE);
  mmu.setCr3(directoryOf(0), true);
  assert.equal(mmu.tlbEntriesInUse, 1);
  mmu.setCr3(directoryOf(1));
  assert.equal(mmu.tlbEntriesInUse, 0);
  mmu.setCr3(directoryOf(0), true);
  assert.equal(mmu.tlbEntriesInUse, 0);
});
