/**
 * The hot-path soft-float routines against their simple reference versions, bit
 * for bit, on seeded random and edge-case operands (all precisions and roundings).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExtendedArithmetic } from './extended-arithmetic.js';
import { divideReference, squareRootReference } from './extended-arithmetic-reference.js';

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return (z ^ (z >>> 14)) >>> 0;
  };
}

const edgeWords = [0x80000000, 0xffffffff, 0x80000001, 0xfffffffe, 0xc0000000, 0xaaaaaaaa, 0x55555555, 0];

test('divide matches the restoring-division reference bit for bit', () => {
  const random = seeded(87);
  const fast = new ExtendedArithmetic();
  const reference = new ExtendedArithmetic();
  const precisions = [24, 53, 64];
  for (let i = 0; i < 200000; i++) {
    const pick = (): number => (random() & 3) === 0 ? edgeWords[random() & 7]! : random();
    const highA = (pick() | 0x80000000) >>> 0, lowA = pick();
    let highB = (pick() | 0x80000000) >>> 0, lowB = pick();
    if ((random() & 7) === 0) { highB = highA; lowB = (lowA + (random() & 3) - 1) >>> 0; }
    if ((random() & 15) === 0) { highB = 0x80000000; lowB = 0; }
    // Quotients that land in the denormal and overflow ranges as well as normal ones.
    const exponentA = (random() & 1) === 0 ? 16383 + (random() & 63) - 32 : 1 + (random() % 32766);
    const exponentB = (random() & 1) === 0 ? 16383 + (random() & 63) - 32 : 1 + (random() % 32766);
    const precision = precisions[random() % 3]!;
    const rounding = random() & 3;
    const underflowMasked = (random() & 1) === 0, overflowMasked = (random() & 1) === 0;
    const sign = random() & 1;
    fast.exceptions = 0; reference.exceptions = 0;
    fast.divide(sign, exponentA, highA | 0, lowA | 0, exponentB, highB | 0, lowB | 0, precision, rounding, underflowMasked, overflowMasked);
    divideReference(reference, sign, exponentA, highA | 0, lowA | 0, exponentB, highB | 0, lowB | 0, precision, rounding,
      underflowMasked, overflowMasked);
    const describe = `${highA.toString(16)}:${lowA.toString(16)} / ${highB.toString(16)}:${lowB.toString(16)} e ${exponentA} ${exponentB}`;
    assert.deepEqual([fast.sign, fast.exponent, fast.high, fast.low, fast.exceptions, fast.roundedUp],
      [reference.sign, reference.exponent, reference.high, reference.low, reference.exceptions, reference.roundedUp], describe);
  }
});

test('squareRoot matches the digit-by-digit reference bit for bit', () => {
  const random = seeded(2087);
  const fast = new ExtendedArithmetic();
  const reference = new ExtendedArithmetic();
  const precisions = [24, 53, 64];
  for (let i = 0; i < 100000; i++) {
    const pick = (): number => (random() & 3) === 0 ? edgeWords[random() & 7]! : random();
    let high = (pick() | 0x80000000) >>> 0, low = pick();
    if ((random() & 7) === 0) {
      // Exact squares and their neighbours: a 32-bit root squared, nudged by -1, 0 or +1.
      const root = (random() | 0x80000000) >>> 0;
      const square = BigInt(root) * BigInt(root) + BigInt((random() % 3) - 1);
      high = Number(square >> 32n) >>> 0; low = Number(square & 0xffffffffn) >>> 0;
      if ((high & 0x80000000) === 0) high = (high | 0x80000000) >>> 0;
    }
    const exponent = 1 + (random() % 32766);
    const precision = precisions[random() % 3]!;
    const rounding = random() & 3;
    fast.exceptions = 0; reference.exceptions = 0;
    fast.squareRoot(exponent, high | 0, low | 0, precision, rounding);
    squareRootReference(reference, exponent, high | 0, low | 0, precision, rounding);
    assert.deepEqual([fast.sign, fast.exponent, fast.high, fast.low, fast.exceptions, fast.roundedUp],
      [reference.sign, reference.exponent, reference.high, reference.low, reference.exceptions, reference.roundedUp],
      `sqrt ${high.toString(16)}:${low.toString(16)} e ${exponent}`);
  }
});
