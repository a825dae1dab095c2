/**
 * Mmu tests: the page walk against Intel SDM 3A ch. 4 (32-bit paging, PSE),
 * error codes, accessed/dirty write-back, TLB coherence and cost, page-crossing
 * accesses, #AC and code-page write notification.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PageFaultError, Vector } from '../../hal/vcpu.js';
import { CPU_FAULT } from '../cpu/fault.js';
import { Ram } from '../memory/ram.js';
import { PageTableBuilder } from '../testing/page-tables.js';
import { Mmu } from './mmu.js';
import { PageEntry, PageWalkResult, walkPageTables } from './page-walk.js';

const { P, W, U, RSVD } = PageFaultError;

function setup(sizeMiB = 16) {
  const ram = new Ram(sizeMiB << 20);
  const pages = new PageTableBuilder(ram);
  const mmu = new Mmu(ram);
  mmu.setCr3(pages.cr3);
  return { ram, pages, mmu };
}

interface Fault { vector: number; errorCode: number; cr2: number }

/** Runs `access`; returns the recorded fault, or undefined if it did not fault. */
function faultOf(mmu: Mmu, access: () => unknown): Fault | undefined {
  try {
    access();
    return undefined;
  } catch (e) {
    if (e !== CPU_FAULT) throw e;
    return { vector: mmu.faultVector, errorCode: mmu.faultErrorCode, cr2: mmu.cr2 };
  }
}

test('every P/RW/US combination at both levels, for reads and writes', () => {
  const linear = 0x00401000;
  const frame = 0x00200000;
  for (let pdeFlags = 0; pdeFlags < 8; pdeFlags++) {
    for (let pteFlags = 0; pteFlags < 8; pteFlags++) {
      for (const write of [false, true]) {
        const { ram, pages, mmu } = setup(4);
        const pteAddress = pages.pteAddress(linear);
        const pdeAddress = pages.pdeAddress(linear);
        const table = ram.readPhysical32(pdeAddress) & ~0xfff;
        ram.writePhysical32(pdeAddress, table | pdeFlags);
        ram.writePhysical32(pteAddress, frame | pteFlags);
        ram.writePhysical32(frame + 8, 0x11223344);

        const present = (pdeFlags & PageEntry.P) !== 0 && (pteFlags & PageEntry.P) !== 0;
        const both = pdeFlags & pteFlags;
        const allowed = present && (both & PageEntry.US) !== 0 && (!write || (both & PageEntry.RW) !== 0);
        const expectedCode = U | (write ? W : 0) | (present ? P : 0);

        const fault = faultOf(mmu, () => (write ? mmu.write32(linear + 8, 0x55667788) : mmu.read32(linear + 8)));
        const what = `pde=${pdeFlags} pte=${pteFlags} write=${write}`;
        if (allowed) {
          assert.equal(fault, undefined, what);
          assert.equal(ram.readPhysical32(frame + 8), write ? 0x55667788 : 0x11223344, what);
          assert.equal(ram.readPhysical32(pdeAddress), table | pdeFlags | PageEntry.A, `${what}: PDE accessed`);
          assert.equal(ram.readPhysical32(pteAddress), frame | pteFlags | PageEntry.A | (write ? PageEntry.D : 0),
            `${what}: PTE accessed/dirty`);
        } else {
          assert.deepEqual(fault, { vector: Vector.PF, errorCode: expectedCode, cr2: linear + 8 }, what);
          assert.equal(ram.readPhysical32(frame + 8), 0x11223344, what);
          assert.equal(ram.readPhysical32(pdeAddress), table | pdeFlags, `${what}: PDE untouched`);
          assert.equal(ram.readPhysical32(pteAddress), frame | pteFlags, `${what}: PTE untouched`);
        }
      }
    }
  }
});

test('byte, word and dword accesses read and write little-endian RAM', () => {
  const { ram, pages, mmu } = setup();
  const [frame] = pages.allocAndMap(0x08048000, 4096, { writable: true });
  mmu.write32(0x08048010, 0xdeadbeef);
  assert.equal(mmu.read32(0x08048010), 0xdeadbeef | 0);
  assert.equal(mmu.read16(0x08048010), 0xbeef);
  assert.equal(mmu.read16(0x08048011), 0xadbe);
  assert.equal(mmu.read8(0x08048013), 0xde);
  assert.equal(mmu.fetch8(0x08048012), 0xad);
  assert.equal(mmu.read32(0x08048011), 0x00deadbe);
  mmu.write16(0x08048021, 0x1234);
  mmu.write8(0x08048023, 0x5678);
  assert.equal(ram.readPhysical32(frame + 0x20), 0x78123400);
  assert.equal(mmu.translateFetch(0x08048abc), frame + 0xabc);
});

test('4 MiB PSE pages: translation, accessed and dirty bits in the PDE', () => {
  const { ram, pages, mmu } = setup(16);
  pages.mapLarge(0x40000000, 0x00800000, { writable: true });
  const pdeAddress = pages.pdeAddress(0x40000000);
  mmu.write32(0x40123454, 42);
  assert.equal(ram.readPhysical32(0x00923454), 42);
  assert.equal(mmu.read32(0x40123454), 42);
  assert.equal(ram.readPhysical32(pdeAddress), 0x00800000 | PageEntry.P | PageEntry.RW | PageEntry.US | PageEntry.PS |
    PageEntry.A | PageEntry.D);

  // A read-only large page: reads work, writes fault with P|W|U.
  pages.mapLarge(0x40400000, 0x00c00000, { writable: false });
  assert.equal(mmu.read8(0x40400000), 0);
  assert.deepEqual(faultOf(mmu, () => mmu.write8(0x40400001, 1)), { vector: Vector.PF, errorCode: P | W | U, cr2: 0x40400001 });
  // Bit 12 is PAT, not reserved.
  ram.writePhysical32(pages.pdeAddress(0x40800000), 0x00800000 | 0x1000 | PageEntry.P | PageEntry.US | PageEntry.PS);
  assert.equal(mmu.read8(0x40800000), 0);
});

test('invlpg anywhere in a 4 MiB page drops the whole page', () => {
  const { ram, pages, mmu } = setup(16);
  pages.mapLarge(0x40000000, 0x00400000, { writable: true });
  ram.writePhysical32(0x00400000 + 0x123000, 1);
  ram.writePhysical32(0x00800000 + 0x123000, 2);
  assert.equal(mmu.read32(0x40000000), 0);
  assert.equal(mmu.read32(0x40123000), 1);
  pages.mapLarge(0x40000000, 0x00800000, { writable: true });
  mmu.invalidatePage(0x40000000);
  assert.equal(mmu.read32(0x40123000), 2);
});

test('4 MiB pages with any of bits 21:13 set are reserved-bit faults', () => {
  for (let bit = 13; bit <= 21; bit++) {
    for (const write of [false, true]) {
      const { ram, pages, mmu } = setup(16);
      const pde = 0x00800000 | (1 << bit) | PageEntry.P | PageEntry.RW | PageEntry.US | PageEntry.PS;
      ram.writePhysical32(pages.pdeAddress(0x40000000), pde);
      const fault = faultOf(mmu, () => (write ? mmu.write8(0x40000005, 1) : mmu.read8(0x40000005)));
      assert.deepEqual(fault, { vector: Vector.PF, errorCode: P | RSVD | U | (write ? W : 0), cr2: 0x40000005 }, `bit ${bit}`);
      assert.equal(ram.readPhysical32(pages.pdeAddress(0x40000000)), pde, 'no accessed bit on a fault');
    }
  }
});

test('a write through a TLB entry cached for a read still sets the dirty bit', () => {
  const { ram, pages, mmu } = setup();
  pages.allocAndMap(0x1000, 4096, { writable: true });
  const pteAddress = pages.pteAddress(0x1000);
  mmu.read32(0x1000);
  assert.equal(ram.readPhysical32(pteAddress) & (PageEntry.A | PageEntry.D), PageEntry.A);
  mmu.write32(0x1000, 7);
  assert.equal(ram.readPhysical32(pteAddress) & (PageEntry.A | PageEntry.D), PageEntry.A | PageEntry.D);
  // Software clears D (as the kernel's writeback would) and invalidates: the next write sets it again.
  ram.writePhysical32(pteAddress, ram.readPhysical32(pteAddress) & ~PageEntry.D);
  mmu.invalidatePage(0x1000);
  mmu.write8(0x1003, 1);
  assert.equal(ram.readPhysical32(pteAddress) & PageEntry.D, PageEntry.D);
});

test('TLB coherence: a changed PTE is ignored until invlpg, as on hardware', () => {
  const { ram, pages, mmu } = setup();
  const [oldFrame] = pages.allocAndMap(0x5000, 4096, { writable: true });
  const newFrame = pages.allocFrame();
  ram.writePhysical32(oldFrame, 111);
  ram.writePhysical32(newFrame, 222);
  assert.equal(mmu.read32(0x5000), 111);
  pages.map(0x5000, newFrame, { writable: true });
  assert.equal(mmu.read32(0x5000), 111, 'stale translation still used');
  mmu.invalidatePage(0x5000);
  assert.equal(mmu.read32(0x5000), 222);

  // Unmapping without invlpg: the stale entry still works; after invlpg, #PF.
  pages.unmap(0x5000);
  assert.equal(mmu.read32(0x5000), 222);
  mmu.invalidatePage(0x5000);
  assert.deepEqual(faultOf(mmu, () => mmu.read32(0x5000)), { vector: Vector.PF, errorCode: U, cr2: 0x5000 });

  // A CR3 load flushes everything.
  pages.map(0x5000, oldFrame, { writable: true });
  assert.equal(mmu.read32(0x5000), 111);
  pages.map(0x5000, newFrame, { writable: true });
  mmu.setCr3(mmu.getCr3());
  assert.equal(mmu.read32(0x5000), 222);
});

test('a page fault drops the stale TLB entry for its address (SDM 3A 4.10.4.1)', () => {
  const { pages, mmu } = setup();
  pages.allocAndMap(0x7000, 4096, { writable: false });
  mmu.read8(0x7000);
  assert.equal(faultOf(mmu, () => mmu.write8(0x7000, 1))?.errorCode, P | W | U);
  pages.map(0x7000, pages.allocFrame(), { writable: true });
  mmu.write8(0x7000, 1); // no invlpg needed: the fault invalidated the entry
});

test('flushing costs only the entries in use', () => {
  const { pages, mmu } = setup(64);
  pages.allocAndMap(0x10000000, 256 * 4096, { writable: true });
  assert.equal(mmu.tlbEntriesInUse, 0);
  for (let i = 0; i < 256; i++) mmu.read8(0x10000000 + i * 4096);
  assert.equal(mmu.tlbEntriesInUse, 256);
  mmu.flushTlb();
  assert.equal(mmu.tlbEntriesInUse, 0);
  // 100k context switches touching one page each must be cheap (never 2^20 stores each).
  const start = performance.now();
  for (let i = 0; i < 100_000; i++) {
    mmu.setCr3(pages.cr3);
    mmu.read8(0x10000000);
  }
  assert.ok(performance.now() - start < 2000, 'setCr3 cost is proportional to use');
});

test('page-crossing accesses: CR2 is the first byte in the faulting page and nothing is written', () => {
  const { ram, pages, mmu } = setup();
  const [frame] = pages.allocAndMap(0x9000, 4096, { writable: true });
  ram.writePhysical32(frame + 0xffc, 0x01020304);
  for (const [size, offset] of [[2, 0xfff], [4, 0xffd], [4, 0xffe], [4, 0xfff]]) {
    const linear = 0x9000 + offset;
    const write = () => (size === 2 ? mmu.write16(linear, 0xaaaa) : mmu.write32(linear, 0xaaaaaaaa));
    assert.deepEqual(faultOf(mmu, write), { vector: Vector.PF, errorCode: W | U, cr2: 0xa000 });
    assert.equal(ram.readPhysical32(frame + 0xffc), 0x01020304, `size ${size} offset ${offset}`);
    const read = () => (size === 2 ? mmu.read16(linear) : mmu.read32(linear));
    assert.deepEqual(faultOf(mmu, read), { vector: Vector.PF, errorCode: U, cr2: 0xa000 });
  }
  // First page unmapped: CR2 is the access address itself.
  pages.allocAndMap(0xc000, 4096, { writable: true });
  assert.deepEqual(faultOf(mmu, () => mmu.write32(0xbffe, 1)), { vector: Vector.PF, errorCode: W | U, cr2: 0xbffe });
  // Second page read-only: protection fault on it, first page untouched.
  pages.allocAndMap(0xd000, 4096, { writable: false });
  assert.deepEqual(faultOf(mmu, () => mmu.write32(0xcffe, 0x12345678)), { vector: Vector.PF, errorCode: P | W | U, cr2: 0xd000 });
  assert.equal(mmu.read16(0xcffe), 0);
  // Both mapped and writable: the split access works.
  pages.allocAndMap(0xe000, 2 * 4096, { writable: true });
  mmu.write32(0xeffe, 0x12345678);
  assert.equal(mmu.read32(0xeffe), 0x12345678);
  assert.equal(mmu.read16(0xefff), 0x3456);
  assert.equal(mmu.read8(0xf000), 0x34);
});

test('checkRead and checkWrite probe every page of a range', () => {
  const { pages, mmu } = setup();
  pages.allocAndMap(0x20000, 3 * 4096, { writable: true });
  pages.allocAndMap(0x23000, 4096, { writable: false });
  mmu.checkWrite(0x20010, 3 * 4096 - 0x10);
  mmu.checkRead(0x20010, 4 * 4096 - 0x10);
  mmu.checkWrite(0x20000, 0);
  assert.deepEqual(faultOf(mmu, () => mmu.checkWrite(0x22ff0, 0x20)), { vector: Vector.PF, errorCode: P | W | U, cr2: 0x23000 });
  assert.deepEqual(faultOf(mmu, () => mmu.checkRead(0x23ff0, 0x20)), { vector: Vector.PF, errorCode: U, cr2: 0x24000 });
});

test('#AC: misaligned 16/32-bit data accesses fault when alignment checking is on, before any #PF', () => {
  const { pages, mmu } = setup();
  pages.allocAndMap(0x30000, 4096, { writable: true });
  mmu.read32(0x30001);
  mmu.write16(0x30003, 1);
  mmu.alignmentCheck = true;
  const ac = { vector: Vector.AC, errorCode: 0, cr2: mmu.cr2 };
  assert.deepEqual(faultOf(mmu, () => mmu.read32(0x30002)), ac);
  assert.deepEqual(faultOf(mmu, () => mmu.read16(0x30001)), ac);
  assert.deepEqual(faultOf(mmu, () => mmu.write32(0x30001, 0)), ac);
  assert.deepEqual(faultOf(mmu, () => mmu.write16(0x30003, 0)), ac);
  // Unmapped and misaligned: #AC first, as on the host (alignment-check.test.ts).
  assert.deepEqual(faultOf(mmu, () => mmu.read32(0x40001)), ac);
  mmu.read32(0x30004);
  mmu.write16(0x30002, 1);
  mmu.read8(0x30003);
  mmu.write8(0x30003, 1);
  mmu.fetch8(0x30003);
});

test('writes to code pages call onCodeWrite, on fast and slow paths', () => {
  const { pages, mmu } = setup();
  const [frameA, frameB] = pages.allocAndMap(0x50000, 2 * 4096, { writable: true });
  const seen: number[] = [];
  mmu.onCodeWrite = (page) => {
    seen.push(page);
    mmu.codePages[page] = 0;
  };
  mmu.write32(0x50000, 1);
  assert.deepEqual(seen, []);
  mmu.codePages[frameA >>> 12] = 1;
  mmu.write32(0x50004, 1);
  assert.deepEqual(seen, [frameA >>> 12]);
  mmu.write8(0x50008, 1);
  assert.deepEqual(seen, [frameA >>> 12], 'byte cleared by the handler');
  mmu.codePages[frameB >>> 12] = 1;
  mmu.write32(0x50ffe, 0x01020304); // crosses into B
  assert.deepEqual(seen, [frameA >>> 12, frameB >>> 12]);
});

test('physical addresses outside RAM read all ones and drop writes', () => {
  const ram = new Ram(4 << 20);
  const pages = new PageTableBuilder(ram);
  const mmu = new Mmu(ram);
  mmu.setCr3(pages.cr3);
  pages.map(0x1000, 0xfee00000, { writable: true });
  assert.equal(mmu.read32(0x1000), -1);
  assert.equal(mmu.read8(0x1003), 0xff);
  mmu.write32(0x1000, 0);
  assert.equal(mmu.read16(0x1000), 0xffff);
  assert.equal(mmu.translateFetch(0x1004), 0xfee00004);
});

test('the reference walk without updateBits has no side effects', () => {
  const { ram, pages } = setup();
  pages.allocAndMap(0x1000, 4096, { writable: true });
  const before = ram.u8.slice();
  const result = new PageWalkResult();
  assert.equal(walkPageTables(ram, pages.cr3, 0x1234, true, false, result), true);
  assert.equal(result.writable, true);
  assert.equal(result.dirty, false);
  assert.deepEqual(ram.u8, before);
});
