/**
 * The generator's seeded randomness: xoshiro128** (Blackman and Vigna), seeded
 * through splitmix32, so a seed gives the same cases on every host; and the
 * edge values operands are drawn from besides random ones.
 */
import { Random as BaseRandom } from '../../base/random.js';

/** The shared generator (base/random.ts) with the draws case generation needs. */
export class Random {
  private readonly source: BaseRandom;

  constructor(seed: number) {
    this.source = new BaseRandom(seed);
  }

  /** A uniformly distributed u32. */
  u32(): number {
    return this.source.nextU32();
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return this.source.below(n);
  }

  /** An integer in [low, high]. */
  range(low: number, high: number): number {
    return low + this.below(high - low + 1);
  }

  chance(probability: number): boolean {
    return this.u32() / 0x100000000 < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }
}

/** Values where arithmetic changes behaviour: zero, signs, carries out of each width. */
export const EDGE_VALUES: readonly number[] = [
  0, 1, 2, -1, -2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000,
  0x7fffffff, 0x80000000 | 0, 0x80000001 | 0, 0x0f0f0f0f, 0x55555555, 0xaaaaaaaa | 0, 0x12345678,
];

/** Shift and rotate counts around each operand width (the CPU masks counts to 5 bits). */
export const SHIFT_COUNTS: readonly number[] = [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 255];

/** A register or immediate value: an edge value, a sign-extended small value, or random bits. */
export function operandValue(random: Random): number {
  const kind = random.below(8);
  if (kind < 3) return random.pick(EDGE_VALUES) | 0;
  if (kind === 3) return random.range(-300, 300);
  if (kind === 4) return random.pick(EDGE_VALUES) + random.range(-2, 2) | 0;
  return random.u32() | 0;
}

