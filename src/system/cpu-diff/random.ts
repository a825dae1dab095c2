/**
 * The generator's seeded randomness: xoshiro128** (Blackman and Vigna), seeded
 * through splitmix32, so a seed gives the same cases on every host; and the
 * edge values operands are drawn from besides random ones.
 */

export class Random {
  private readonly state = new Uint32Array(4);

  constructor(seed: number) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32: spreads one seed over the four state words (never all zero).
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.state[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.state[0] | this.state[1] | this.state[2] | this.state[3]) === 0) this.state[0] = 1;
  }

  /** A uniformly distributed u32. */
  u32(): number {
    const s = this.state;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.u32() / 0x100000000) * n);
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

function rotl(value: number, count: number): number {
  return ((value << count) | (value >>> (32 - count))) >>> 0;
}
