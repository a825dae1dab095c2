/**
 * Loader tests without a CPU: loads userland/bare-hello through the bare
 * loader, then reads the initial stack through the MMU the way the program's
 * own start code does, and compares argc, argv, the stack alignment and the
 * auxv entries bare-hello prints with what it prints when Linux loads it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Vcpu } from '../../hal/vcpu.js';
import { Mmu, Ram, type Machine } from '../../machine/index.js';
import { loadStaticElf } from './load-static-elf.js';
import { AT } from './linux-stack.js';

const HELLO = fileURLToPath(new URL('../../../userland/bare-hello/build/bare-hello', import.meta.url));

/** Just enough of a vcpu for loading: registers and CR3. */
function loaderOnlyMachine(): Machine {
  const ram = new Ram(32 << 20);
  const mmu = new Mmu(ram);
  const cpu = {
    gpr: new Int32Array(8), eip: 0,
    setCr3: (cr3: number) => mmu.setCr3(cr3),
    setEflags: () => {}, setSegment: () => true, resetFpu: () => {}, invalidatePhysicalPage: () => {},
  } as unknown as Vcpu;
  return { ram, mmu, cpu };
}

function readString(mmu: Mmu, address: number): string {
  const bytes: number[] = [];
  for (let b = mmu.read8(address); b !== 0; b = mmu.read8(++address)) bytes.push(b);
  return Buffer.from(bytes).toString('utf8');
}

test('the initial stack matches what Linux gives bare-hello', () => {
  const argv = [HELLO, 'one', 'two words', ''];
  const native = spawnSync(HELLO, argv.slice(1), { env: {}, encoding: 'utf8' }).stdout.split('\n');
  const machine = loaderOnlyMachine();
  const image = loadStaticElf(machine, readFileSync(HELLO), argv);
  const { mmu, cpu } = machine;
  assert.equal(cpu.eip, image.entry);
  const sp = cpu.gpr[4] >>> 0;
  const argc = mmu.read32(sp);
  const lines = ['hello from bare-hello', `argc=${argc}`];
  for (let i = 0; i < argc; i++) lines.push(`argv[${i}]=${readString(mmu, mmu.read32(sp + 4 + 4 * i) >>> 0)}`);
  assert.equal(mmu.read32(sp + 4 + 4 * argc), 0);
  let envc = 0;
  while (mmu.read32(sp + 8 + 4 * (argc + envc)) !== 0) envc++;
  const auxv = new Map<number, number>();
  for (let at = sp + 12 + 4 * (argc + envc); mmu.read32(at) !== 0; at += 8) auxv.set(mmu.read32(at), mmu.read32(at + 4) >>> 0);
  const aux = (key: number): number => auxv.get(key) ?? 0;
  lines.push(`envc=${envc}`, `esp%16=${sp % 16}`, `AT_PAGESZ=${aux(AT.PAGESZ)}`, `AT_PHENT=${aux(AT.PHENT)}`,
    `AT_PHNUM=${aux(AT.PHNUM)}`, `AT_ENTRY is _start: ${aux(AT.ENTRY) === image.entry ? 'yes' : 'no'}`,
    `AT_PHDR[0].p_type=${mmu.read32(aux(AT.PHDR))}`, `AT_RANDOM present: ${aux(AT.RANDOM) !== 0 ? 'yes' : 'no'}`,
    `AT_PLATFORM=${readString(mmu, aux(AT.PLATFORM))}`, `AT_EXECFN=${readString(mmu, aux(AT.EXECFN))}`);
  assert.deepEqual(lines, native.slice(0, lines.length));
  mmu.checkRead(aux(AT.RANDOM), 16);
});

test('segments are mapped with their permissions, bss zeroed, text read-only', () => {
  const machine = loaderOnlyMachine();
  const bytes = readFileSync(HELLO);
  const image = loadStaticElf(machine, bytes, ['bare-hello']);
  const { mmu } = machine;
  // The entry point holds the first bytes of _start (xor %ebp,%ebp = 31 ed).
  assert.equal(mmu.fetch8(image.entry), 0x31);
  assert.equal(mmu.fetch8(image.entry + 1), 0xed);
  assert.throws(() => mmu.write8(image.entry, 0x90));
  assert.equal(mmu.faultErrorCode, 7, 'protection fault, write, user');
  mmu.checkWrite(image.brk - 0x10000, 0x10000); // .data and .bss writable
  assert.equal(image.brk % 4096, 0);
});
