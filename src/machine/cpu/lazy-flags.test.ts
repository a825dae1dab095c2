/**
 * Lazy flags: the EFLAGS materialised from the last operation equal the exact
 * flags the ALU (../cpu/alu, itself proven against the host) computes, for
 * add/adc/sub/sbb/and/or/xor/inc/dec/neg over edge-case operands of each size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuCore, ARITHMETIC_FLAGS } from './cpu-core.js';
import { FlatMemory } from './flat-memory.js';
import { alu } from './opcodes/arithmetic.js';
import * as reference from './alu/index.js';
import { LazyOp } from './cpu-core.js';

const VALUES = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0x12345678, 0xfffffffe];
const OPERATIONS = [reference.add, reference.or, reference.adc, reference.sbb, reference.and, reference.sub, reference.xor, reference.sub];

test('add/or/adc/sbb/and/sub/xor/cmp lazy flags equal the ALU reference', () => {
  const core = new CpuCore(new FlatMemory(1 << 16));
  for (const bits of [8, 16, 32] as const) {
    const mask = bits === 32 ? 0xffffffff : (1 << bits) - 1;
    for (let op = 0; op < 8; op++) {
      for (const carry of [0, 1]) {
        for (const x of VALUES) {
          for (const y of VALUES) {
            const a = (x & mask) >>> 0, b = (y & mask) >>> 0;
            core.setFlagBits(carry, ARITHMETIC_FLAGS);
            const result = alu(core, op, bits === 32 ? a | 0 : a, bits === 32 ? b | 0 : b, bits);
            const expected = OPERATIONS[op](bits, a, b, carry);
            const undefinedFlags = op === 1 || op === 4 || op === 6 ? reference.AF : 0;
            const context = `op ${op} bits ${bits} a ${a.toString(16)} b ${b.toString(16)} cf ${carry}`;
            assert.equal((result & mask) >>> 0, expected, context);
            assert.equal(core.getEflags() & ARITHMETIC_FLAGS & ~undefinedFlags, reference.aluOut.flags & ARITHMETIC_FLAGS & ~undefinedFlags, context);
          }
        }
      }
    }
  }
});

test('inc/dec keep CF; neg sets CF unless zero', () => {
  const core = new CpuCore(new FlatMemory(1 << 16));
  for (const bits of [8, 16, 32] as const) {
    const mask = bits === 32 ? 0xffffffff : (1 << bits) - 1;
    for (const x of VALUES) {
      for (const carry of [0, 1]) {
        const a = (x & mask) >>> 0;
        core.setFlagBits(carry, ARITHMETIC_FLAGS);
        core.setLazyKeepCarry(LazyOp.Add, a, 1, a + 1, bits);
        assert.equal(core.getEflags() & ARITHMETIC_FLAGS, reference.inc(bits, a, carry) >= 0 ? reference.aluOut.flags & ARITHMETIC_FLAGS : -1);
        core.setFlagBits(carry, ARITHMETIC_FLAGS);
        core.setLazyKeepCarry(LazyOp.Sub, a, 1, a - 1, bits);
        assert.equal(core.getEflags() & ARITHMETIC_FLAGS, reference.dec(bits, a, carry) >= 0 ? reference.aluOut.flags & ARITHMETIC_FLAGS : -1);
        core.setLazy(LazyOp.Sub, 0, a, -a, bits);
        reference.neg(bits, a, 0);
        assert.equal(core.getEflags() & ARITHMETIC_FLAGS, reference.aluOut.flags & ARITHMETIC_FLAGS, `neg ${a}`);
      }
    }
  }
});

test('condition codes follow the materialised flags', () => {
  const core = new CpuCore(new FlatMemory(1 << 16));
  for (const bits of [8, 16, 32]) for (const a of VALUES) {
    for (const b of VALUES) {
      const mask = bits === 32 ? -1 : (1 << bits) - 1;
      alu(core, 7, a & mask, b & mask, bits);
      const lazy: boolean[] = [];
      for (let cc = 0; cc < 16; cc++) lazy.push(core.condition(cc));
      const fast = [core.belowOrEqual(), core.lessSigned(), core.lessOrEqualSigned()];
      core.setFlagBits(core.getEflags(), ARITHMETIC_FLAGS);
      for (let cc = 0; cc < 16; cc++) assert.equal(core.condition(cc), lazy[cc], `cc ${cc} cmp ${a} ${b}`);
      assert.deepEqual(fast, [core.condition(6), core.condition(12), core.condition(14)], `fast conditions cmp ${a} ${b}`);
      const shift = 32 - bits;
      assert.equal(core.condition(2), ((a & mask) >>> 0) < ((b & mask) >>> 0));
      assert.equal(core.condition(12), a << shift < b << shift);
    }
  }
});
