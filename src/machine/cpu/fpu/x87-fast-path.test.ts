/**
 * The x87 fast path against the general path (X87Operations, itself proven
 * against the host FPU by x87.test.ts): seeded register files, memory operands
 * and control words (every PC and RC, masked and unmasked), every form the fast
 * path takes, and the fused entries (x87-fused.ts) of the forms that have one.
 * Where it takes an instruction the state afterwards must be the
 * general path's bit for bit; where it declines nothing may have changed.
 * FAST_PATH_CASES=n runs n cases (default 200000).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../../base/random.js';
import type { MemoryBus } from '../../mmu/memory-bus.js';
import type { FpuHost } from './fpu-host.js';
import { ExtendedArithmetic } from './extended-arithmetic.js';
import { IntegerRounding } from './integer-rounding.js';
import { X87Compares } from './x87-compares.js';
import { X87FastPath } from './x87-fast-path.js';
import { X87Fused, fusedMemoryForm, fusedRegisterForm } from './x87-fused.js';
import { X87MemoryForms } from './x87-memory-forms.js';
import { FunctionGroup } from './x87-function-group.js';
import { X87Operations } from './x87-operations.js';
import { X87Registers } from './x87-registers.js';
import { X87Stores } from './x87-stores.js';

const CASES = Number(process.env.FAST_PATH_CASES ?? 200000);
const MEMORY_SIZE = 64;

class FlatMemory implements MemoryBus {
  readonly bytes = new Uint8Array(MEMORY_SIZE);
  read8(linear: number): number { return this.bytes[linear]; }
  read16(linear: number): number { return this.bytes[linear] | (this.bytes[linear + 1] << 8); }
  read32(linear: number): number {
    return this.bytes[linear] | (this.bytes[linear + 1] << 8) | (this.bytes[linear + 2] << 16) | (this.bytes[linear + 3] << 24);
  }
  write8(linear: number, value: number): void { this.bytes[linear] = value; }
  write16(linear: number, value: number): void { this.bytes[linear] = value; this.bytes[linear + 1] = value >> 8; }
  write32(linear: number, value: number): void {
    for (let index = 0; index < 4; index++) this.bytes[linear + index] = value >>> (index * 8);
  }
  checkWrite(): void { /* flat: never faults */ }
  checkRead(): void { /* flat: never faults */ }
  fetch8(): number { return 0; }
}

class Host implements FpuHost {
  readonly memory = new FlatMemory();
  eflags = 0;
  setComparisonFlags(zf: boolean, pf: boolean, cf: boolean): void {
    this.eflags = (this.eflags & ~0x8d5) | (zf ? 0x40 : 0) | (pf ? 4 : 0) | (cf ? 1 : 0);
  }
  getEflags(): number { return this.eflags; }
  setAx(): void { /* fnstsw ax is not a fast form */ }
}

/** One x87 unit's parts as X87 wires them, with or without the fast path. */
class Unit {
  readonly host = new Host();
  readonly registers = new X87Registers();
  readonly math = new ExtendedArithmetic();
  readonly operations = new X87Operations(this.registers, this.host, this.math, new IntegerRounding());
  readonly fast = new X87FastPath(this.registers, this.host, this.math);
  readonly fused = new X87Fused(this.registers, this.host.memory);
  readonly memoryForms = new X87MemoryForms(this.operations, this.host);
  constructor() {
    this.operations.functions = new FunctionGroup(this.registers, this.math, this.operations);
    this.operations.stores = new X87Stores(this.registers, this.host, this.math, this.operations);
    this.operations.compares = new X87Compares(this.operations, this.registers, this.host);
  }

  state(): string {
    const r = this.registers;
    return [r.top, r.emptyMask, r.statusFlags, r.controlWord, this.host.eflags, [...r.signExponent].join(','),
      [...r.high].join(','), [...r.low].join(','), [...this.host.memory.bytes].join(',')].join(' ');
  }

  copyFrom(other: Unit): void {
    const r = this.registers, o = other.registers;
    r.top = o.top; r.emptyMask = o.emptyMask; r.statusFlags = o.statusFlags; r.controlWord = o.controlWord;
    r.signExponent.set(o.signExponent); r.high.set(o.high); r.low.set(o.low);
    this.host.eflags = other.host.eflags;
    this.host.memory.bytes.set(other.host.memory.bytes);
  }
}

const EDGE_LOWS = [0, 1, 2, 0x400, 0x401, 0x800, 0x80000000, 0x80000001, 0xffffffff, 0x7fffffff];
const SHIFTS = [0, 1, 2, 11, 31, 32, 33, 63, 64, 65, 66, 95, 96, 97, 100, 101];
/** Exponent centres: 1.0, the double and single ranges' ends (stores), or anywhere. */
const CENTERS = [0x3fff, 15361, 17406, 16257, 16510];

/** A register value: mostly normal with exponents bunched together (cancellation, carries), some specials. */
function randomValue(random: Random, exponentCenter: number): [number, number, number] {
  const sign = random.below(2) << 15;
  const kind = random.below(40);
  let high = (random.nextU32() | 0x80000000) >>> 0;
  let low = random.nextU32();
  if (random.below(4) === 0) low &= 0xfffff800; // a double
  if (random.below(8) === 0) { high = 0xffffffff; low = random.below(2) === 0 ? 0xffffffff : 0xfffff800; }
  if (random.below(8) === 0) { high = 0x80000000; low = random.below(2); }
  if (random.below(6) === 0) low = EDGE_LOWS[random.below(EDGE_LOWS.length)]; // sticky-only and tie tails
  if (kind === 0) return [sign, 0, 0]; // zero
  if (kind === 1) return [sign | 0x7fff, 0x80000000, 0]; // infinity
  if (kind === 2) return [sign, high >>> 1, low]; // denormal
  if (kind === 3) return [sign | (1 + random.below(3)), high, low]; // near underflow
  if (kind === 4) return [sign | (0x7ffe - random.below(3)), high, low]; // near overflow
  if (kind === 5) return [sign | 0x7fff, (high | 0xc0000000) >>> 0, low]; // NaN
  // Exponent differences at the word boundaries of the alignment shift, or anywhere near.
  const offset = random.below(2) === 0 ? SHIFTS[random.below(SHIFTS.length)] * (random.below(2) === 0 ? 1 : -1) : random.below(140) - 70;
  const exponent = Math.max(1, Math.min(0x7ffe, exponentCenter + offset));
  return [sign | exponent, high, low];
}

/** A double or single in memory: normal mostly, with edge exponents, zeros, denormals and NaNs. */
function randomMemory(random: Random, bytes: Uint8Array): void {
  for (let offset = 0; offset < MEMORY_SIZE; offset += 4) {
    let word = random.nextU32();
    if (random.below(16) === 0) word &= 0x800fffff; // exponent 0 (double high word or single)
    if (random.below(16) === 0) word |= 0x7ff00000;
    if (random.below(16) === 0) word = (word & 0x800fffff) | (random.below(2) === 0 ? 0x7fe00000 : 0x00100000);
    if (random.below(16) === 0) word = (word & 0x807fffff) | (random.below(2) === 0 ? 0x7f000000 : 0x00800000);
    if (random.below(16) === 0) word = 0;
    if (random.below(8) === 0) word = (word & 0x800fffff) | ((0x3c0 + random.below(0x80)) << 20); // doubles near 1
    for (let index = 0; index < 4; index++) bytes[offset + index] = word >>> (index * 8);
  }
}

/** The fast forms: [opcode, ModRM] with a memory operand at offset 0, 8 or 16. */
function randomForm(random: Random): [number, number, boolean] {
  const index = random.below(8);
  switch (random.below(12)) {
    case 0: return [0xd8, 0xc0 | (random.below(8) << 3) | index, true];
    case 1: return [0xdc, 0xc0 | (random.below(8) << 3) | index, true];
    case 2: return [0xde, 0xc0 | (random.below(8) << 3) | index, true];
    case 3: return [0xd9, [0xc0 | index, 0xc8 | index, 0xe0, 0xe1, 0xe8, 0xee, 0xfa, 0xfa][random.below(8)], true];
    case 4: return [0xdd, 0xd0 | (random.below(2) << 3) | index, true];
    case 5: return [random.below(2) === 0 ? 0xdb : 0xdf, 0xe8 | (random.below(2) << 3) | index, true];
    case 6: return [0xd8, random.below(8) << 3, false];
    case 7: return [0xdc, random.below(8) << 3, false];
    case 8: return [0xd9, [0, 2, 3][random.below(3)] << 3, false];
    case 9: return [0xdd, [0, 2, 3][random.below(3)] << 3, false];
    case 10: return [0xdb, 0, false];
    default: return [0xdc, random.below(8) << 3, false];
  }
}

test('the x87 fast path leaves the general path\'s state, or declines without a change', () => {
  const random = new Random(0x87fa57);
  const fast = new Unit(), general = new Unit();
  let taken = 0, fusedTaken = 0;
  for (let caseIndex = 0; caseIndex < CASES; caseIndex++) {
    const r = fast.registers;
    r.top = random.below(8);
    r.emptyMask = random.below(3) === 0 ? random.nextU32() & 0xff : (random.below(2) === 0 ? 0x80 : 0);
    r.statusFlags = random.nextU32() & 0x4700;
    const masks = random.below(4) === 0 ? random.nextU32() & 0x3f : 0x3f;
    r.controlWord = 0x40 | masks | ([0, 2, 3, 1][random.below(4)] << 8) | (random.below(4) << 10);
    // Every fourth case aims at the fused entries: rounding to nearest at 64 or 53 bits, a D8/DC/DE form.
    const aimFused = (caseIndex & 3) === 0;
    if (aimFused) r.controlWord = (r.controlWord & ~0xf00) | (random.below(2) === 0 ? 0x300 : 0x200);
    const exponentCenter = random.below(3) !== 0 ? CENTERS[random.below(CENTERS.length)] : 1 + random.below(0x7ffe);
    for (let register = 0; register < 8; register++) {
      const [signExponent, high, low] = randomValue(random, exponentCenter);
      r.signExponent[register] = signExponent; r.high[register] = high; r.low[register] = low;
    }
    fast.host.eflags = random.nextU32() & 0x8d5;
    randomMemory(random, fast.host.memory.bytes);
    general.copyFrom(fast);
    const before = fast.state();
    const [opcode, modrm, registerForm] = aimFused
      ? (random.below(4) === 0 ? [0xdc, random.below(8) << 3, false] : [[0xd8, 0xdc, 0xde][random.below(3)], 0xc0 | random.below(64), true])
      : randomForm(random);
    const address = random.below(3) * 8;
    // The fused entries (compiled blocks' fadd/fsub/fmul st(i)) where a form has one, on every other case.
    const fused = (caseIndex & 1) !== 0 ? undefined : registerForm ? fusedRegisterForm(opcode, modrm) : fusedMemoryForm(opcode, modrm);
    let handled: boolean;
    if (fused !== undefined && !registerForm) {
      handled = fused.multiply ? fast.fused.multiply(0, -1, address) : fast.fused.add(0, -1, address, fused.negateDestination, fused.negateOther);
      if (handled) fusedTaken++;
    } else if (fused !== undefined) {
      handled = fused.multiply ? fast.fused.multiply(fused.destination, fused.other, 0)
        : fast.fused.add(fused.destination, fused.other, 0, fused.negateDestination, fused.negateOther);
      if (handled && fused.popAfter) {
        fast.registers.emptyMask |= 1 << fast.registers.top;
        fast.registers.top = (fast.registers.top + 1) & 7;
      }
      if (handled) fusedTaken++;
    } else {
      handled = registerForm ? fast.fast.executeRegister(opcode, modrm) : fast.fast.executeMemory(opcode, (modrm >> 3) & 7, address);
    }
    const name = `case ${caseIndex}: ${opcode.toString(16)} ${modrm.toString(16)} before ${before}`;
    if (!handled) {
      assert.equal(fast.state(), before, `declined but changed state, ${name}`);
      continue;
    }
    taken++;
    if (registerForm) general.operations.executeRegister(opcode, modrm);
    else general.memoryForms.executeMemory(opcode, (modrm >> 3) & 7, address);
    assert.equal(fast.state(), general.state(), name);
  }
  // The generator must reach the fast path often, or this test proves little.
  assert.ok(taken > CASES / 4, `fast path taken in ${taken} of ${CASES} cases`);
  assert.ok(fusedTaken > CASES / 20, `fused entries taken in ${fusedTaken} of ${CASES} cases`);
});
