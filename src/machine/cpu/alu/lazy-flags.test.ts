/**
 * The interpreter's lazy flags (../cpu-core.ts, recorded by ../opcodes/arithmetic.ts)
 * checked against this folder's reference functions, which alu.test.ts proves
 * against the host CPU: EFLAGS materialised by getEflags() and every condition
 * code, for add/or/adc/sbb/and/sub/xor/cmp, inc, dec and neg. 8-bit operands are
 * exhaustive; 16- and 32-bit use edge values and seeded random ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuCore, LazyOp } from '../cpu-core.js';
import { FlatMemory } from '../flat-memory.js';
import { alu } from '../opcodes/arithmetic.js';
import { adc, add, aluOut, and, ARITH_FLAGS, CF, dec, inc, neg, OF, type OperandSize, or, PF, sbb, SF, sub, xor, ZF } from './index.js';

const GROUP1 = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
const reference = [add, or, adc, sbb, and, sub, xor, sub];

/** Condition code cc (Intel SDM 2 Appendix B.1.4.7) evaluated on materialised flags. */
function condition(flags: number, cc: number): boolean {
  const cf = (flags & CF) !== 0, zf = (flags & ZF) !== 0, sf = (flags & SF) !== 0, of = (flags & OF) !== 0;
  const results = [of, cf, zf, cf || zf, sf, (flags & PF) !== 0, sf !== of, zf || sf !== of];
  return results[cc >> 1] !== ((cc & 1) === 1);
}

const edges = [0, 1, 2, 0x7f, 0x80, 0x81, 0xff, 0x100, 0x7fff, 0x8000, 0x8001, 0xffff, 0x10000,
  0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff];

/** Operand pairs per size: all of them for 8 bits, edges x edges plus xorshift randoms otherwise. */
function* operands(size: OperandSize): Generator<[number, number]> {
  if (size === 8) {
    for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) yield [a, b];
    return;
  }
  const mask = size === 32 ? 0xffffffff : 0xffff;
  for (const a of edges) for (const b of edges) yield [(a & mask) >>> 0, (b & mask) >>> 0];
  let state = 0x1234567 + size;
  const next = (): number => {
    state ^= state << 13; state ^= state >>> 17; state ^= state << 5;
    return state >>> 0;
  };
  for (let i = 0; i < 20000; i++) yield [(next() & mask) >>> 0, (next() & mask) >>> 0];
}

/** Compares the core's materialised flags and conditions with `expected`; returns a description or ''. */
function check(cpu: CpuCore, expected: number, what: string, conditions: boolean): string {
  const actual = cpu.getEflags() & ARITH_FLAGS;
  if (actual !== (expected & ARITH_FLAGS)) return `${what}: eflags ${actual.toString(16)}, expected ${(expected & ARITH_FLAGS).toString(16)}`;
  if (conditions) {
    for (let cc = 0; cc < 16; cc++) {
      if (cpu.condition(cc) !== condition(expected, cc)) return `${what}: condition ${cc} is ${cpu.condition(cc)}`;
    }
  }
  return '';
}

test('lazy flags of add/or/adc/sbb/and/sub/xor/cmp, inc, dec, neg match the reference ALU', () => {
  const cpu = new CpuCore(new FlatMemory(0x1000));
  const failures: string[] = [];
  let cases = 0;
  for (const size of [8, 16, 32] as const) {
    for (const [a, b] of operands(size)) {
      // The core keeps 32-bit operands as i32 (Int32Array registers).
      const coreA = size === 32 ? a | 0 : a, coreB = size === 32 ? b | 0 : b;
      const conditions = size !== 8 || (a * 7 + b) % 5 === 0;
      for (const carry of [0, 1]) {
        // Input flags: CF as chosen, the other arithmetic flags the opposite of the usual, to catch leaks.
        const flagsIn = 0x202 | carry | (carry ? 0 : ZF | SF | OF | PF);
        for (let op = 0; op < 8; op++) {
          cpu.setEflags(flagsIn);
          alu(cpu, op, coreA, coreB, size);
          reference[op](size, a, b, flagsIn);
          const failure = check(cpu, aluOut.flags, `${GROUP1[op]}${size} ${a.toString(16)}, ${b.toString(16)} CF=${carry}`, conditions);
          if (failure !== '') failures.push(failure);
          cases++;
        }
        if (b !== 0 && b !== a) continue; // inc/dec/neg need only one operand: a few b values per a
        for (const [name, fn, lazy, result] of [
          ['inc', inc, LazyOp.Add, coreA + 1], ['dec', dec, LazyOp.Sub, coreA - 1]] as const) {
          cpu.setEflags(flagsIn);
          // As the inc/dec handlers record them (../opcodes/arithmetic.ts).
          cpu.setLazyKeepCarry(lazy, coreA, 1, size === 32 ? result | 0 : result, size);
          fn(size, a, flagsIn);
          const failure = check(cpu, aluOut.flags, `${name}${size} ${a.toString(16)} CF=${carry}`, conditions);
          if (failure !== '') failures.push(failure);
          cases++;
        }
        cpu.setEflags(flagsIn);
        cpu.setLazy(LazyOp.Sub, 0, coreA, -coreA | 0, size);
        neg(size, a, flagsIn);
        const failure = check(cpu, aluOut.flags, `neg${size} ${a.toString(16)} CF=${carry}`, conditions);
        if (failure !== '') failures.push(failure);
        cases++;
      }
    }
  }
  assert.ok(cases > 1_000_000);
  assert.equal(failures.length, 0, `${failures.length} of ${cases} cases differ:\n${failures.slice(0, 30).join('\n')}`);
});
