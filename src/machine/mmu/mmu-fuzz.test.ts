/**
 * Randomised comparison of the Mmu (soft TLB, fast paths) with the ReferenceMmu
 * (a page walk per byte): random page tables with random P/RW/US bits and 4 MiB
 * pages, random accesses of every size and alignment, random invlpg/flushes and
 * #AC switching. Results, faults and the final RAM (A/D bits included) must
 * agree. Page tables stay fixed during a run, so the TLB may never be observed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CPU_FAULT } from '../cpu/fault.js';
import { Ram } from '../memory/ram.js';
import { PageTableBuilder } from '../testing/page-tables.js';
import { Mmu } from './mmu.js';
import { PageEntry } from './page-walk.js';
import { ReferenceMmu } from './reference-mmu.js';
import type { MemoryBus } from './memory-bus.js';

/** xorshift32: deterministic test randomness. */
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

const LINEAR_BASE = 0x7fff0000; // straddles the 2 GiB boundary (signed-wrap bugs)
const PAGES = 24;

function buildSpace(rand: (n: number) => number): Ram {
  const ram = new Ram(24 << 20);
  const pages = new PageTableBuilder(ram, { floor: 8 << 20 });
  for (let i = 0; i < PAGES; i++) {
    const linear = LINEAR_BASE + i * 4096;
    const frame = pages.allocFrame();
    // 1/8 unmapped, otherwise random RW/US (mostly user).
    const flags = rand(8) === 0 ? 0 : PageEntry.P | (rand(3) !== 0 ? PageEntry.RW : 0) | (rand(6) !== 0 ? PageEntry.US : 0);
    ram.writePhysical32(pages.pteAddress(linear), frame | flags);
    for (let b = 0; b < 4096; b += 4) ram.writePhysical32(frame + b, rand(0x7fffffff) * 2 + rand(2));
  }
  // Random PDE restrictions on the two page tables the range uses.
  for (const linear of [LINEAR_BASE, LINEAR_BASE + PAGES * 4096 - 1]) {
    const pdeAddress = pages.pdeAddress(linear);
    const pde = ram.readPhysical32(pdeAddress);
    ram.writePhysical32(pdeAddress, (pde & ~(PageEntry.RW | PageEntry.US)) | (rand(4) !== 0 ? PageEntry.RW : 0) |
      (rand(5) !== 0 ? PageEntry.US : 0));
  }
  // One 4 MiB page at 0x40000000, physical 4 MiB, random permissions, sometimes a reserved bit.
  ram.writePhysical32(pages.pdeAddress(0x40000000), 0x00400000 | PageEntry.P | PageEntry.PS |
    (rand(2) ? PageEntry.RW : 0) | (rand(6) ? PageEntry.US : 0) | (rand(6) === 0 ? 1 << (13 + rand(9)) : 0));
  ram.writePhysical32(0, pages.cr3); // remember cr3 in physical word 0
  return ram;
}

type Outcome = number | string;

function attempt(bus: MemoryBus & { faultVector: number; faultErrorCode: number; cr2: number }, run: () => number | void): Outcome {
  try {
    const value = run();
    return value === undefined ? 'ok' : value;
  } catch (e) {
    if (e !== CPU_FAULT) throw e;
    return `fault ${bus.faultVector} ${bus.faultErrorCode} ${bus.cr2.toString(16)}`;
  }
}

test('Mmu agrees with ReferenceMmu on random page tables and accesses', () => {
  const seen = new Map<string, number>();
  for (let seed = 1; seed <= 12; seed++) {
    const rand = random(seed * 7919);
    const template = buildSpace(rand);
    const ramA = new Ram(template.size);
    const ramB = new Ram(template.size);
    ramA.u8.set(template.u8);
    ramB.u8.set(template.u8);
    const cr3 = template.readPhysical32(0);
    const fast = new Mmu(ramA);
    fast.setCr3(cr3);
    const reference = new ReferenceMmu(ramB);
    reference.cr3 = cr3;
    for (let step = 0; step < 6000; step++) {
      const region = rand(10) === 0 ? 0x40000000 + rand(8) * 4096 : LINEAR_BASE;
      const linear = (region + rand(PAGES * 4096 + 8) - 4) >>> 0;
      const value = rand(0x7fffffff) ^ (rand(2) << 31);
      const op = rand(13);
      const length = rand(3) === 0 ? rand(10000) : rand(9);
      const act = (bus: Mmu | ReferenceMmu): Outcome => attempt(bus, () => {
        switch (op) {
          case 0: return bus.read8(linear);
          case 1: return bus.read16(linear);
          case 2: return bus.read32(linear);
          case 3: return bus.fetch8(linear);
          case 4: return bus.write8(linear, value);
          case 5: return bus.write16(linear, value);
          case 6: return bus.write32(linear, value);
          case 7: return bus.checkRead(linear, length);
          case 8: return bus.checkWrite(linear, length);
          default: return bus.read32(linear & ~3);
        }
      });
      const a = act(fast);
      const b = act(reference);
      assert.equal(a, b, `seed ${seed} step ${step} op ${op} at ${linear.toString(16)}`);
      const kind = typeof a === 'string' ? a.split(' ').slice(0, 3).join(' ') : 'value';
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
      if (rand(50) === 0) fast.invalidatePage(LINEAR_BASE + rand(PAGES) * 4096);
      if (rand(400) === 0) fast.flushTlb();
      if (rand(300) === 0) fast.alignmentCheck = reference.alignmentCheck = !fast.alignmentCheck;
    }
    assert.ok(Buffer.from(ramA.u8).equals(Buffer.from(ramB.u8)), `seed ${seed}: RAM differs`);
  }
  // The run must have exercised successes and every kind of fault.
  for (const kind of ['value', 'ok', 'fault 14 4', 'fault 14 5', 'fault 14 6', 'fault 14 7', 'fault 14 13', 'fault 17 0']) {
    assert.ok((seen.get(kind) ?? 0) > 0, `${kind} never happened: ${JSON.stringify([...seen])}`);
  }
});
