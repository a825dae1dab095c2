/**
 * Differential test of X87 against the real FPU: the cases of x87-cases.ts run
 * through userland/fpu-check (gcc -m32, the host's x87) and through X87 on a
 * fake host; results must match bit for bit (fnsave image, memory, EFLAGS, AX,
 * #MF). Transcendentals are compared within TRANSCENDENTAL_ULPS of the 64-bit
 * significand. FPU_CHECK_SCALE=n multiplies the random case counts, FPU_CHECK_SEED picks
 * another seed, FPU_CHECK_ONLY=<name prefix> restricts the comparison.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CPU_FAULT } from '../fault.js';
import type { MemoryBus } from '../../mmu/memory-bus.js';
import type { FpuHost } from './fpu-host.js';
import { X87 } from './x87.js';
import { CODE_ADDRESS, DATA_ADDRESS, MEMORY_SIZE, caseLine, generateCases, type X87Case } from './x87-cases.js';

/** Tolerance for fsin/fcos/fsincos/fptan/fpatan/f2xm1/fyl2x/fyl2xp1 (double-double, rounded once): one ulp of the 64-bit significand. */
const TRANSCENDENTAL_ULPS = BigInt(process.env.FPU_CHECK_ULPS ?? '1');

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const harness = `${root}userland/fpu-check/build/fpu-check`;

class FakeMemory implements MemoryBus {
  readonly bytes = new Uint8Array(4096);
  private offset(linear: number, length: number): number {
    const offset = (linear >>> 0) - DATA_ADDRESS;
    if (offset < 0 || offset + length > this.bytes.length) throw CPU_FAULT;
    return offset;
  }
  read8(linear: number): number { return this.bytes[this.offset(linear, 1)]; }
  read16(linear: number): number { const o = this.offset(linear, 2); return this.bytes[o] | (this.bytes[o + 1] << 8); }
  read32(linear: number): number {
    const o = this.offset(linear, 4);
    return this.bytes[o] | (this.bytes[o + 1] << 8) | (this.bytes[o + 2] << 16) | (this.bytes[o + 3] << 24);
  }
  write8(linear: number, value: number): void { this.bytes[this.offset(linear, 1)] = value; }
  write16(linear: number, value: number): void { const o = this.offset(linear, 2); this.bytes[o] = value; this.bytes[o + 1] = value >> 8; }
  write32(linear: number, value: number): void {
    const o = this.offset(linear, 4);
    for (let index = 0; index < 4; index++) this.bytes[o + index] = value >>> (index * 8);
  }
  checkWrite(linear: number, length: number): void { this.offset(linear, length); }
  checkRead(linear: number, length: number): void { this.offset(linear, length); }
  fetch8(): number { throw CPU_FAULT; }
}

class FakeHost implements FpuHost {
  readonly memory = new FakeMemory();
  eflags = 0;
  eax = 0;
  setComparisonFlags(zf: boolean, pf: boolean, cf: boolean): void {
    this.eflags = (this.eflags & ~(0x40 | 0x04 | 0x01 | 0x800 | 0x80 | 0x10)) | (zf ? 0x40 : 0) | (pf ? 4 : 0) | (cf ? 1 : 0);
  }
  getEflags(): number { return this.eflags; }
  setAx(value: number): void { this.eax = (this.eax & ~0xffff) | (value & 0xffff); }
}

interface Outcome { image: Uint8Array; eflags: number; eax: number; memory: Uint8Array; vector: number }

function runReal(cases: readonly X87Case[]): Outcome[] | undefined {
  if (!existsSync(harness)) spawnSync('make', ['-s', '-C', `${root}userland/fpu-check`], { stdio: 'ignore' });
  if (!existsSync(harness)) return undefined;
  const result = spawnSync(harness, { input: cases.map(caseLine).join('\n') + '\n', maxBuffer: 1 << 30, encoding: 'utf8' });
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, cases.length, `fpu-check answered ${lines.length} of ${cases.length} cases: ${result.stderr}`);
  return lines.map((line) => {
    const [image, eflags, eax, memory, vector] = line.split(' ');
    return { image: Buffer.from(image, 'hex'), eflags: parseInt(eflags, 16), eax: parseInt(eax, 16), memory: Buffer.from(memory, 'hex'), vector: Number(vector) };
  });
}

function runEmulated(unit: X87, host: FakeHost, testCase: X87Case): Outcome {
  unit.restore(testCase.image);
  host.memory.bytes.fill(0);
  host.memory.bytes.set(testCase.memory);
  host.eflags = testCase.eflags;
  host.eax = DATA_ADDRESS;
  let vector = 0;
  try {
    unit.execute(testCase.code[0], testCase.code[1], DATA_ADDRESS, CODE_ADDRESS);
    if (testCase.code[2] === 0x9b) unit.fwait();
  } catch (fault) {
    if (fault !== CPU_FAULT) throw fault;
    vector = unit.faultVector;
  }
  const image = new Uint8Array(108);
  unit.save(image);
  return { image, eflags: host.eflags, eax: host.eax, memory: host.memory.bytes.slice(0, MEMORY_SIZE), vector };
}

const hex = (bytes: Uint8Array, from = 0, to = bytes.length): string => Buffer.from(bytes.subarray(from, to)).toString('hex');

function register(image: Uint8Array, index: number): { signExponent: number; significand: bigint } {
  const view = new DataView(image.buffer, image.byteOffset);
  return { signExponent: view.getUint16(28 + index * 10 + 8, true), significand: view.getBigUint64(28 + index * 10, true) };
}

/** Describes the first difference, or returns '' when the outcomes agree. */
function difference(testCase: X87Case, real: Outcome, emulated: Outcome): string {
  if (real.vector !== emulated.vector) return `vector ${real.vector} vs ${emulated.vector}`;
  const realImage = real.image, ourImage = emulated.image;
  if (real.vector !== 0) {
    // The kernel's signal-frame image: compare the words and registers, not FOP/FDP.
    const same = hex(realImage, 0, 2) === hex(ourImage, 0, 2) && hex(realImage, 4, 6) === hex(ourImage, 4, 6)
      && hex(realImage, 28) === hex(ourImage, 28);
    return same ? '' : `fault image\n  real ${hex(realImage)}\n  ours ${hex(ourImage)}`;
  }
  // A context switch between the instruction and fnsave loses FIP/FOP/FDP on AMD (Linux's
  // X86_BUG_FXSAVE_LEAK handling zeroes them): accept all-zero pointers from the host.
  // Preemption between the instruction and fnsave may zero FIP/FCS/FOP and FDP/FDS on the host.
  if (hex(realImage, 12, 20) === '0000000000000000') ourImage.fill(0, 12, 20);
  if (hex(realImage, 20, 26) === '000000000000') ourImage.fill(0, 20, 26);
  if (!testCase.approximate) {
    if (hex(realImage) !== hex(ourImage)) return `image\n  real ${hex(realImage, 0, 28)} ${hex(realImage, 28)}\n  ours ${hex(ourImage, 0, 28)} ${hex(ourImage, 28)}`;
  } else {
    const statusMask = ~0x0200; // C1 (round-up) is not comparable for approximate results
    const realStatus = realImage[4] | (realImage[5] << 8), ourStatus = ourImage[4] | (ourImage[5] << 8);
    if (hex(realImage, 0, 4) !== hex(ourImage, 0, 4) || (realStatus & statusMask) !== (ourStatus & statusMask)
      || hex(realImage, 6, 28) !== hex(ourImage, 6, 28)) {
      return `approximate environment\n  real ${hex(realImage, 0, 28)}\n  ours ${hex(ourImage, 0, 28)}`;
    }
    for (let index = 0; index < 8; index++) {
      const a = register(realImage, index), b = register(ourImage, index);
      if (a.signExponent === b.signExponent && a.significand === b.significand) continue;
      let distance: bigint;
      if (a.signExponent === b.signExponent) distance = a.significand > b.significand ? a.significand - b.significand : b.significand - a.significand;
      else if ((a.signExponent ^ b.signExponent) === 0 || Math.abs(a.signExponent - b.signExponent) === 1) {
        const [low, high] = a.signExponent < b.signExponent ? [a, b] : [b, a];
        distance = (high.significand << 1n) - low.significand;
        if (distance < 0n) distance = -distance;
      } else distance = -1n;
      if (distance < 0n || distance > TRANSCENDENTAL_ULPS) {
        return `ST(${index}) real ${a.signExponent.toString(16)} ${a.significand.toString(16)} ours ${b.signExponent.toString(16)} ${b.significand.toString(16)}`;
      }
    }
  }
  if (hex(real.memory) !== hex(emulated.memory)) return `memory\n  real ${hex(real.memory, 0, 16)}\n  ours ${hex(emulated.memory, 0, 16)}`;
  if (real.eflags !== emulated.eflags) return `eflags ${real.eflags.toString(16)} vs ${emulated.eflags.toString(16)}`;
  if (real.eax !== emulated.eax) return `eax ${real.eax.toString(16)} vs ${emulated.eax.toString(16)}`;
  return '';
}

test('x87 matches the real FPU bit for bit', () => {
  const scale = Number(process.env.FPU_CHECK_SCALE ?? '1');
  const cases = generateCases(Number(process.env.FPU_CHECK_SEED ?? '0x1234567'), scale);
  const real = runReal(cases);
  assert.ok(real !== undefined, 'userland/fpu-check is not built: run make -C userland (needs gcc-multilib)');
  const host = new FakeHost();
  const unit = new X87(host);
  const failures: string[] = [];
  const failuresByName = new Map<string, number>();
  let mismatches = 0;
  cases.forEach((testCase, index) => {
    const emulated = runEmulated(unit, host, testCase);
    const only = process.env.FPU_CHECK_ONLY;
    if (only !== undefined && !testCase.name.startsWith(only)) return;
    const description = difference(testCase, real[index], emulated);
    if (description !== '') {
      mismatches += 1;
      failuresByName.set(testCase.name, (failuresByName.get(testCase.name) ?? 0) + 1);
      if (failures.length < Number(process.env.FPU_CHECK_SHOW ?? '25')) failures.push(`#${index} ${testCase.name}: ${caseLine(testCase).split(' ').slice(0, 1)[0].slice(0, 56)}.. ${hex(testCase.image, 28, 48)} mem ${hex(testCase.memory, 0, 10)} code ${testCase.code.map((b) => b.toString(16)).join(' ')}\n  ${description}`);
    }
  });
  const summary = [...failuresByName].map(([name, count]) => `${name}: ${count}`).join(', ');
  assert.equal(mismatches, 0, `${cases.length} cases, mismatches by form: ${summary}\n${failures.join('\n')}`);
});
