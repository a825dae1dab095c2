/**
 * Links between compiled blocks (Block.next, Cpu.runCached): a hot loop that
 * calls a function on another page runs as a chain of linked blocks; when the
 * function's page is remapped (invlpg), another address space with the same
 * code is switched to (tagged TLBs) or the function's code is rewritten, the
 * next run must execute the code the translations name now.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Exit } from '../../hal/vcpu.js';
import { Cpu } from './cpu.js';
import { Ram } from '../memory/ram.js';
import { Mmu } from '../mmu/mmu.js';
import { PageTableBuilder } from '../testing/page-tables.js';

const CODE = 0x1000;
const FUNCTION = 0x5000;
/** P | RW | US. */
const USER_RW = 7;

// 0x1000: mov ecx, 100; xor ebx, ebx; l: call 0x5000; add ebx, eax; dec ecx; jnz l; int 0x80
const LOOP = [0xb9, 100, 0, 0, 0, 0x31, 0xdb, 0xe8, 0xf4, 0x3f, 0, 0, 0x01, 0xc3, 0x49, 0x75, 0xf6, 0xcd, 0x80];

/** `mov eax, value; ret`. */
function returning(value: number): number[] {
  return [0xb8, value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24, 0xc3];
}

function setup(): { cpu: Cpu; ram: Ram; pages: PageTableBuilder } {
  const ram = new Ram(4 << 20);
  const pages = new PageTableBuilder(ram);
  pages.mapRange(0, 0, 0x100000, { writable: true });
  const cpu = new Cpu(new Mmu(ram));
  cpu.setCr3(pages.cr3);
  ram.u8.set(LOOP, CODE);
  ram.u8.set(returning(1), FUNCTION);
  return { cpu, ram, pages };
}

/** Runs the loop from the start; returns ebx (100 times what the function returned). */
function runLoop(cpu: Cpu): number {
  cpu.eip = CODE;
  cpu.gpr[4] = 0x80000;
  assert.equal(cpu.run(1_000_000), Exit.Syscall);
  return cpu.gpr[3];
}

test('a remapped page (invlpg) ends the links into it', () => {
  const { cpu, ram, pages } = setup();
  assert.equal(runLoop(cpu), 100);
  assert.ok(cpu.blocksCompiled >= 3, 'the loop ran compiled');
  const other = pages.allocFrame();
  ram.u8.set(returning(2), other);
  pages.map(FUNCTION, other, { writable: true });
  cpu.invalidatePage(FUNCTION);
  assert.equal(runLoop(cpu), 200);
});

test('switching to another address space (tagged TLBs) does not follow the first one\'s links', () => {
  const { cpu, ram, pages } = setup();
  // A second page directory whose page table is a copy of the first but for the function's page.
  const directory = pages.allocFrame(), table = pages.allocFrame(), other = pages.allocFrame();
  const firstTable = ram.readPhysical32(pages.cr3) & ~0xfff;
  ram.u8.copyWithin(table, firstTable, firstTable + 4096);
  ram.writePhysical32(directory, table | USER_RW);
  ram.writePhysical32(table + (FUNCTION >>> 12) * 4, other | USER_RW);
  ram.u8.set(returning(3), other);
  for (let round = 0; round < 3; round++) {
    cpu.setCr3(pages.cr3, true);
    assert.equal(runLoop(cpu), 100, `round ${round}`);
    cpu.setCr3(directory, true);
    assert.equal(runLoop(cpu), 300, `round ${round}`);
  }
});

test('rewritten code (a dropped code page) ends the links into it', () => {
  const { cpu, ram } = setup();
  assert.equal(runLoop(cpu), 100);
  ram.u8.set(returning(4), FUNCTION);
  cpu.invalidatePhysicalPage(FUNCTION);
  assert.equal(runLoop(cpu), 400);
});
