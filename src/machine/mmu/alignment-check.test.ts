/**
 * #AC against the host: userland/ac-order runs each case natively with
 * EFLAGS.AC=1 (a read-only page followed by an unmapped one) and reports
 * SIGBUS (#AC) or SIGSEGV (#PF); the Mmu with alignmentCheck on must raise the
 * same exception for the same access.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Vector } from '../../hal/vcpu.js';
import { CPU_FAULT } from '../cpu/fault.js';
import { Ram } from '../memory/ram.js';
import { PageTableBuilder } from '../testing/page-tables.js';
import { Mmu } from './mmu.js';
import { ReferenceMmu } from './reference-mmu.js';

const PROBE = fileURLToPath(new URL('../../../userland/ac-order/build/ac-order', import.meta.url));

test('#AC versus #PF priority matches the host', { skip: !existsSync(PROBE) && 'userland not built' }, () => {
  const host = spawnSync(PROBE, { encoding: 'utf8' }).stdout.trim().split('\n');
  const ram = new Ram(4 << 20);
  const pages = new PageTableBuilder(ram);
  const mmu = new Mmu(ram);
  mmu.setCr3(pages.cr3);
  const page = 0x10000;
  pages.allocAndMap(page, 4096, { writable: false });
  const cases: (() => unknown)[] = [
    () => mmu.read32(page + 4096 + 1),
    () => mmu.read32(page + 4094),
    () => mmu.write32(page + 1, 1),
    () => mmu.read32(page + 4096),
    () => mmu.read16(page + 3),
    () => mmu.read8(page + 3),
    () => mmu.write16(page + 2, 1),
    () => mmu.read32(page + 8),
  ];
  mmu.alignmentCheck = true;
  const ours = cases.map((access, i) => {
    try {
      access();
      return `case ${i}: none`;
    } catch (e) {
      if (e !== CPU_FAULT) throw e;
      return `case ${i}: ${mmu.faultVector === Vector.AC ? 'SIGBUS' : mmu.faultVector === Vector.PF ? 'SIGSEGV' : 'other'}`;
    }
  });
  assert.deepEqual(ours, host);
});

test('checkAlignment raises #AC before any translation, only with alignment checking on', () => {
  // No page tables at all: any translation would be a #PF, so #AC proves none happened.
  const ram = new Ram(4 << 20);
  for (const bus of [new Mmu(ram), new ReferenceMmu(ram)]) {
    const unmapped = 0x40000004;
    bus.alignmentCheck = false;
    bus.checkAlignment(unmapped + 1, 8);
    bus.alignmentCheck = true;
    bus.checkAlignment(unmapped, 4);
    bus.checkAlignment(unmapped - 4, 8);
    assert.throws(() => bus.checkAlignment(unmapped, 8), (e) => e === CPU_FAULT && bus.faultVector === Vector.AC);
    assert.throws(() => bus.checkAlignment(unmapped + 2, 4), (e) => e === CPU_FAULT && bus.faultVector === Vector.AC);
  }
});
