/**
 * Differential test cases for the x87 unit: each case is an initial fnsave
 * image, EFLAGS, 112 bytes of memory and one instruction (opcode, ModRM, with
 * memory forms addressing [eax]), optionally followed by fwait. The same cases
 * run on the real FPU (userland/fpu-check) and on X87 (x87.test.ts).
 * Deterministic: values come from a seeded generator.
 */

export const CODE_ADDRESS = 0x10000000;
export const DATA_ADDRESS = 0x20000000;
export const MEMORY_SIZE = 112;

export interface X87Case {
  readonly name: string;
  readonly image: Uint8Array;
  readonly eflags: number;
  readonly memory: Uint8Array;
  /** opcode, modrm, and 0x9b at the end for a trailing fwait. */
  readonly code: readonly number[];
  /** Transcendental: results compared within TRANSCENDENTAL_ULPS. */
  readonly approximate?: boolean;
}

/** An 80-bit value: sign+exponent word and significand halves. */
export type Extended = readonly [number, number, number];

export const EDGE_VALUES: readonly Extended[] = [
  [0x0000, 0, 0], [0x8000, 0, 0],
  [0x3fff, 0x80000000, 0], [0xbfff, 0x80000000, 0], [0x4000, 0x80000000, 0], [0x3fff, 0xc0000000, 0],
  [0x0001, 0x80000000, 0], [0x8001, 0x80000000, 0], [0x7ffe, 0xffffffff, 0xffffffff], [0xfffe, 0xffffffff, 0xffffffff],
  [0x0000, 0, 1], [0x8000, 0x7fffffff, 0xffffffff], [0x0000, 0x40000000, 0], [0x0000, 0x80000000, 0], // denormals, pseudo-denormal
  [0x7fff, 0x80000000, 0], [0xffff, 0x80000000, 0],
  [0x7fff, 0xc0000000, 1], [0xffff, 0xe0000000, 0], [0x7fff, 0xa0000000, 0], [0xffff, 0x80000000, 5], [0xffff, 0xc0000000, 0],
  [0x3fff, 0x40000000, 0], [0x4005, 0, 0], [0x7fff, 0x40000000, 0], [0x7fff, 0, 0], // unnormal, pseudo-zero, pseudo-NaN, pseudo-inf
  [0x3fff, 0x80000080, 0], [0x3fff, 0x80000180, 0], [0x3fff, 0x80000000, 0x400], [0x3fff, 0x80000000, 0xc00], // rounding ties
  [0x3fff, 0xffffff80, 0], [0x3fff, 0xffffffff, 0xfffff800], [0xbfff, 0xffffffff, 0xffffffff],
  [0x407e, 0xffffff80, 0], [0x43fe, 0xffffffff, 0xfffffc00], [0x3f81, 0x80000000, 0], [0x3c01, 0x80000000, 0], // single/double limits
  [0x3f6a, 0x80000000, 0], [0x3bcd, 0x80000000, 0], [0x3f80, 0xffffffff, 0xffffffff], [0x3c00, 0xfffffffff, 0xffffffff],
  [0x401e, 0x80000000, 0], [0xc01e, 0x80000000, 0], [0x403e, 0x80000000, 0], [0xc03e, 0x80000000, 0], [0x400d, 0xfffe0000, 0],
  [0x3ffe, 0x80000000, 0], [0xbffe, 0xc0000000, 0], [0x4000, 0xa0000000, 0], [0x403a, 0xde0b6b3a, 0x763ffff0],
  [0x4000, 0xc90fdaa2, 0x2168c235], [0x3ffd, 0x9a209a84, 0xfbcff799],
];

/** Seeded xorshift32 (deterministic). */
export class CaseRandom {
  constructor(private state: number) {}
  next(): number {
    let x = this.state;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  below(limit: number): number { return this.next() % limit; }
  pick<T>(values: readonly T[]): T { return values[this.below(values.length)]; }
  /** A finite normal value with exponent within `spread` of 1.0 (occasionally anywhere). */
  extended(spread = 70): Extended {
    const sign = this.below(2) << 15;
    const exponent = this.below(16) === 0 ? 1 + this.below(0x7ffe) : 0x3fff - spread + this.below(2 * spread + 1);
    let high = (this.next() | 0x80000000) >>> 0;
    let low = this.next();
    // Short significands make exact results and ties likely.
    const shape = this.below(4);
    if (shape === 0) low = 0;
    if (shape === 1) { low = 0; high = (high & 0xffff0000) >>> 0; }
    return [sign | exponent, high, low];
  }
}

export const ROUNDING_CONTROL_WORDS: readonly number[] = (() => {
  const words: number[] = [];
  for (const precision of [0, 2, 3]) for (const rounding of [0, 1, 2, 3]) words.push(0x037f & ~0x0f00 | (precision << 8) | (rounding << 10) | 0x3f);
  return words;
})();

const FIP = 0x0badf00d, FCS = 0x0077, FOP = 0x0123, FDP = 0x0deadbe0, FDS = 0x0055;

/** An fnsave image with ST(0) = stack[0], ...; other registers empty. */
export function imageOf(stack: readonly Extended[], controlWord: number, statusWord = 0, fillEmpty = false): Uint8Array {
  const image = new Uint8Array(108);
  const top = (8 - stack.length) & 7;
  const status = (statusWord & ~0x3800) | (top << 11);
  let tags = 0;
  for (let physical = 0; physical < 8; physical++) {
    const index = (physical - top) & 7;
    tags |= (index < stack.length ? 0 : 3) << (physical * 2);
  }
  const words = [0xffff0000 | controlWord, 0xffff0000 | status, 0xffff0000 | tags, FIP, FCS | (FOP << 16), FDP, 0xffff0000 | FDS];
  const view = new DataView(image.buffer);
  words.forEach((word, index) => view.setUint32(index * 4, word >>> 0, true));
  for (let index = 0; index < 8; index++) {
    const value = index < stack.length ? stack[index] : fillEmpty ? [0x4002, 0xa0000000, 0] as Extended : [0, 0, 0] as Extended;
    view.setUint32(28 + index * 10, value[2] >>> 0, true);
    view.setUint32(28 + index * 10 + 4, value[1] >>> 0, true);
    view.setUint16(28 + index * 10 + 8, value[0], true);
  }
  return image;
}

function memoryOf(bytes: readonly number[]): Uint8Array {
  const memory = new Uint8Array(MEMORY_SIZE);
  memory.set(bytes);
  return memory;
}

function bytesOfExtended(value: Extended): number[] {
  const bytes: number[] = [];
  for (let index = 0; index < 4; index++) bytes.push((value[2] >>> (index * 8)) & 0xff);
  for (let index = 0; index < 4; index++) bytes.push((value[1] >>> (index * 8)) & 0xff);
  bytes.push(value[0] & 0xff, value[0] >>> 8);
  return bytes;
}

function bytesOfWords(words: readonly number[]): number[] {
  const bytes: number[] = [];
  for (const word of words) for (let index = 0; index < 4; index++) bytes.push((word >>> (index * 8)) & 0xff);
  return bytes;
}

const FLOAT32_EDGES = [0, 0x80000000, 0x3f800000, 0xbf800000, 1, 0x807fffff, 0x00800000, 0x7f7fffff, 0x7f800000,
  0xff800000, 0x7fc00000, 0x7fa00000, 0xffc00001, 0x3fc00000, 0x4b000001, 0x34000000];
const FLOAT64_EDGES: [number, number][] = [[0, 0], [0, 0x80000000], [0, 0x3ff00000], [0, 0xbff00000], [1, 0], [0xffffffff, 0x800fffff],
  [0, 0x00100000], [0xffffffff, 0x7fefffff], [0, 0x7ff00000], [0, 0xfff00000], [0, 0x7ff80000], [1, 0x7ff00000],
  [0x12345678, 0xfff40000], [0, 0x3ff80000], [1, 0x43300000], [0, 0x3cb00000]];
const INTEGER_EDGES = [0, 1, -1, 0x7fffffff, -0x80000000, 0x7fff, -0x8000, 12345, -98765, 0x10000, 0x7ffffffe, 3];

/** All case families; `scale` multiplies the random counts. */
export function generateCases(seed: number, scale = 1): X87Case[] {
  const random = new CaseRandom(seed);
  const cases: X87Case[] = [];
  const conditionCodes = Array.from({ length: 16 }, (_, bits) => (bits & 1 ? 0x100 : 0) | (bits & 2 ? 0x200 : 0) | (bits & 4 ? 0x400 : 0) | (bits & 8 ? 0x4000 : 0));
  const add = (name: string, stack: readonly Extended[], controlWord: number, code: number[],
    memory: readonly number[] = [], extra: { eflags?: number; statusWord?: number; approximate?: boolean; fillEmpty?: boolean } = {}): void => {
    cases.push({
      // Random condition codes in: the instruction must set, clear or keep each as the hardware does.
      name, image: imageOf(stack, controlWord, extra.statusWord ?? conditionCodes[random.below(16)], extra.fillEmpty ?? false),
      eflags: extra.eflags ?? 0x202, memory: memoryOf(memory), code, approximate: extra.approximate,
    });
  };
  const pairs: [Extended, Extended][] = [];
  for (const a of EDGE_VALUES) for (let count = 0; count < 6; count++) pairs.push([a, random.pick(EDGE_VALUES)]);
  for (let count = 0; count < 400 * scale; count++) pairs.push([random.extended(), random.extended()]);
  for (let count = 0; count < 100 * scale; count++) {
    const a = random.extended(4);
    const b: Extended = [a[0] ^ (random.below(2) << 15), a[1], (a[2] ^ random.below(4)) >>> 0];
    pairs.push([a, b]);
  }
  // Arithmetic, all operand forms, under every precision and rounding control.
  for (const controlWord of ROUNDING_CONTROL_WORDS) {
    for (const [a, b] of pairs) {
      const digit = random.pick([0, 1, 4, 5, 6, 7]);
      const form = random.below(3);
      if (form === 0) add(`d8 ${digit} st0,st1`, [a, b], controlWord, [0xd8, 0xc1 | (digit << 3)]);
      else if (form === 1) add(`dc ${digit} st1,st0`, [a, b], controlWord, [0xdc, 0xc1 | (digit << 3)]);
      else add(`de ${digit} st1,st0 pop`, [a, b], controlWord, [0xde, 0xc1 | (digit << 3)]);
    }
    for (let count = 0; count < 40 * scale; count++) add('fsqrt', [random.pick([random.extended(), random.pick(EDGE_VALUES)])], controlWord, [0xd9, 0xfa]);
    for (let count = 0; count < 30 * scale; count++) add('frndint', [random.pick([random.extended(70), random.extended(3), random.pick(EDGE_VALUES)])], controlWord, [0xd9, 0xfc]);
    for (let constant = 0; constant < 7; constant++) add(`fld constant ${constant}`, [], controlWord, [0xd9, 0xe8 + constant]);
    // Memory operand arithmetic.
    for (let count = 0; count < 24 * scale; count++) {
      const digit = random.pick([0, 1, 2, 3, 4, 5, 6, 7]);
      const st0 = random.pick([random.extended(), random.pick(EDGE_VALUES)]);
      const kind = random.below(4);
      if (kind === 0) add(`d8 /${digit} m32`, [st0], controlWord, [0xd8, digit << 3], bytesOfWords([random.below(3) ? random.next() : random.pick(FLOAT32_EDGES)]));
      if (kind === 1) {
        const value = random.below(3) ? [random.next(), random.next()] : random.pick(FLOAT64_EDGES);
        add(`dc /${digit} m64`, [st0], controlWord, [0xdc, digit << 3], bytesOfWords(value));
      }
      if (kind === 2) add(`da /${digit} m32int`, [st0], controlWord, [0xda, digit << 3], bytesOfWords([random.below(2) ? random.next() : random.pick(INTEGER_EDGES)]));
      if (kind === 3) add(`de /${digit} m16int`, [st0], controlWord, [0xde, digit << 3], bytesOfWords([random.below(2) ? random.next() : random.pick(INTEGER_EDGES)]));
    }
    // Stores.
    for (let count = 0; count < 40 * scale; count++) {
      const value = random.pick([random.extended(random.pick([3, 70, 1100])), random.pick(EDGE_VALUES)]);
      const form = random.pick([[0xd9, 2], [0xd9, 3], [0xdd, 2], [0xdd, 3], [0xdb, 7], [0xdb, 2], [0xdb, 3], [0xdb, 1],
        [0xdf, 2], [0xdf, 3], [0xdf, 1], [0xdf, 7], [0xdd, 1], [0xdf, 6]]);
      add(`${form[0].toString(16)} /${form[1]} store`, [value], controlWord, [form[0], form[1] << 3]);
    }
  }
  // Loads.
  for (const controlWord of [0x037f, 0x0f7f, 0x0360]) {
    for (const bits of FLOAT32_EDGES) add('fld m32', [], controlWord, [0xd9, 0], bytesOfWords([bits]));
    for (const words of FLOAT64_EDGES) add('fld m64', [], controlWord, [0xdd, 0], bytesOfWords(words));
    for (const value of EDGE_VALUES) add('fld m80', [], controlWord, [0xdb, 5 << 3], bytesOfExtended(value));
    for (const value of INTEGER_EDGES) {
      add('fild m16', [], controlWord, [0xdf, 0], bytesOfWords([value]));
      add('fild m32', [], controlWord, [0xdb, 0], bytesOfWords([value]));
      add('fild m64', [], controlWord, [0xdf, 5 << 3], bytesOfWords([value, value < 0 ? -1 : random.next()]));
    }
    for (let count = 0; count < 8; count++) {
      const bytes: number[] = [];
      for (let index = 0; index < 9; index++) bytes.push(random.below(10) * 16 + random.below(10));
      bytes.push(random.below(2) << 7);
      add('fbld', [], controlWord, [0xdf, 4 << 3], bytes);
    }
  }
  // Compares and examinations.
  for (const [a, b] of pairs.slice(0, pairs.length >> 1)) {
    const form = random.pick([[0xd8, 0xd1], [0xd8, 0xd9], [0xde, 0xd9], [0xdd, 0xe1], [0xdd, 0xe9], [0xda, 0xe9],
      [0xdb, 0xe9], [0xdb, 0xf1], [0xdf, 0xe9], [0xdf, 0xf1], [0xdc, 0xd1], [0xde, 0xd1]]);
    add(`compare ${form[0].toString(16)} ${form[1].toString(16)}`, [a, b], 0x037f, form, [], { eflags: 0xad7 });
  }
  for (const value of EDGE_VALUES) {
    add('ftst', [value], 0x037f, [0xd9, 0xe4]);
    add('fxam', [value], 0x037f, [0xd9, 0xe5]);
    add('fchs', [value], 0x037f, [0xd9, 0xe0]);
    add('fabs', [value], 0x037f, [0xd9, 0xe1]);
    add('fxtract', [value], 0x037f, [0xd9, 0xf4]);
  }
  add('fxam empty', [], 0x037f, [0xd9, 0xe5]);
  // Two-operand exact functions.
  for (const [a, b] of pairs.slice(0, 600 * scale)) {
    add('fprem', [a, b], 0x037f, [0xd9, 0xf8]);
    add('fprem1', [a, b], 0x037f, [0xd9, 0xf5]);
    const count: Extended = random.below(2) ? [random.below(2) << 15 | (0x3fff + random.below(16)), random.next() | 0x80000000, 0] : b;
    add('fscale', [a, count], random.pick(ROUNDING_CONTROL_WORDS), [0xd9, 0xfd]);
  }
  // Transcendentals.
  for (let count = 0; count < 60 * scale; count++) {
    const small = random.extended(3);
    const unit: Extended = [small[0] & 0x8000 | Math.min(small[0] & 0x7fff, 0x3ffe), small[1], small[2]];
    const value = random.below(8) === 0 ? random.pick(EDGE_VALUES) : small;
    const positive: Extended = [value[0] & 0x7fff, value[1], value[2]];
    add('fsin', [value], 0x037f, [0xd9, 0xfe], [], { approximate: true });
    add('fcos', [value], 0x037f, [0xd9, 0xff], [], { approximate: true });
    add('fsincos', [value], 0x037f, [0xd9, 0xfb], [], { approximate: true });
    add('fptan', [value], 0x037f, [0xd9, 0xf2], [], { approximate: true });
    add('f2xm1', [random.below(8) === 0 ? value : unit], 0x037f, [0xd9, 0xf0], [], { approximate: true });
    add('fpatan', [value, random.extended(3)], 0x037f, [0xd9, 0xf3], [], { approximate: true });
    add('fyl2x', [positive, random.extended(3)], 0x037f, [0xd9, 0xf1], [], { approximate: true });
    add('fyl2xp1', [[(unit[0] & 0x8000) | Math.min(unit[0] & 0x7fff, 0x3ffc), unit[1], unit[2]] as Extended, random.extended(3)], 0x037f, [0xd9, 0xf9], [], { approximate: true });
  }
  // Stack management and faults.
  const three: Extended[] = [random.extended(), random.extended(), random.extended()];
  for (const stack of [[], three.slice(0, 1), three, [...three, ...three, three[0], three[1]]]) {
    for (const code of [[0xd9, 0xc0], [0xd9, 0xc2], [0xd9, 0xc9], [0xd9, 0xcb], [0xdd, 0xd1], [0xdd, 0xd9], [0xdd, 0xc1],
      [0xdf, 0xc1], [0xd9, 0xf6], [0xd9, 0xf7], [0xd9, 0xd0], [0xd9, 0xe8], [0xd8, 0xc1], [0xde, 0xc1], [0xd9, 0xe0],
      [0xd9, 0xfa], [0xd9, 0xf8], [0xd9, 0xfd], [0xd9, 0xf4], [0xd9, 0xf2], [0xd9, 0xfb], [0xdb, 0x10], [0xdd, 0x18],
      [0xd9, 0x00], [0xdf, 0x30], [0xd8, 0xd1], [0xdb, 0xf1], [0xdd, 0xe1], [0xd9, 0xe4], [0xdd, 0xc9], [0xdf, 0xc9],
      [0xd8, 0xd9], [0xde, 0xd9], [0xdf, 0xf1], [0xda, 0xe9], [0xd8, 0x18], [0xdf, 0x18], [0xdb, 0x08], [0xd9, 0xe5]]) {
      const approximate = code[0] === 0xd9 && (code[1] === 0xf2 || code[1] === 0xfb);
      for (const controlWord of [0x037f, 0x037e]) add(`stack ${code.map((byte) => byte.toString(16)).join(' ')}`, stack, controlWord, code, [], { approximate });
    }
  }
  for (let flags = 0; flags < 8; flags++) {
    const eflags = 0x202 | (flags & 1 ? 1 : 0) | (flags & 2 ? 0x40 : 0) | (flags & 4 ? 4 : 0);
    for (let modrm = 0xc1; modrm < 0xe0; modrm += 8) {
      add('fcmov', three, 0x037f, [0xda, modrm], [], { eflags });
      add('fcmovn', three, 0x037f, [0xdb, modrm], [], { eflags });
    }
  }
  // Control and environment.
  add('fnstcw', three, 0x0e7f, [0xd9, 7 << 3]);
  add('fldcw', three, 0x037f, [0xd9, 5 << 3], [0x7f, 0x0b]);
  add('fldcw reserved bits', three, 0x037f, [0xd9, 5 << 3], [0xff, 0xff]);
  add('fnstsw m16', three, 0x037f, [0xdd, 7 << 3], [], { statusWord: 0x4521 });
  add('fnstsw ax', three, 0x037f, [0xdf, 0xe0], [], { statusWord: 0x4521 });
  add('fnclex', three, 0x037f, [0xdb, 0xe2], [], { statusWord: 0xc7ff });
  add('fninit', three, 0x0c60, [0xdb, 0xe3], [], { statusWord: 0x4521 });
  add('fnstenv', three, 0x037f, [0xd9, 6 << 3]);
  add('fnsave', three, 0x0f7f, [0xdd, 6 << 3]);
  add('fldenv', three, 0x037f, [0xd9, 4 << 3], bytesOfWords([0xffff0c7f, 0xffff4100, 0xffff5aff, 0x12345678, 0x01a30023, 0x9abcdef0, 0xffff002b]));
  const saved = imageOf([EDGE_VALUES[2], EDGE_VALUES[14], EDGE_VALUES[10]], 0x027f, 0x0200);
  add('frstor', three, 0x037f, [0xdd, 4 << 3], [...saved]);
  add('ffree', three, 0x037f, [0xdd, 0xc1]);
  add('feni/fdisi/fsetpm', three, 0x037f, [0xdb, 0xe0]);
  // Unmasked exceptions: the next waiting instruction raises #MF.
  add('#MF on fwait', [EDGE_VALUES[2], EDGE_VALUES[0]], 0x037b, [0xde, 0xf9, 0x9b]);
  add('#MF before fadd', [EDGE_VALUES[2], EDGE_VALUES[0]], 0x037b, [0xd8, 0xc1], [], { statusWord: 0x0004 });
  add('no #MF on fnstsw', [EDGE_VALUES[2], EDGE_VALUES[0]], 0x037b, [0xdd, 7 << 3], [], { statusWord: 0x0004 });
  for (const [a, b] of pairs.slice(0, 200 * scale)) {
    add('unmasked arithmetic', [a, b], random.pick([0x0340, 0x0f40, 0x0370, 0x037e]), [random.pick([0xd8, 0xdc, 0xde]), 0xc1 | (random.pick([0, 1, 4, 5, 6, 7]) << 3)]);
    add('unmasked store', [a, b], random.pick([0x0340, 0x0f40, 0x037e, 0x0377]), [random.pick([0xd9, 0xdd, 0xdb, 0xdf]), random.pick([2, 3]) << 3]);
  }
  // NaN pairs with equal significands (the larger-significand rule's tie) and mixed kinds.
  const nans: Extended[] = [[0x7fff, 0xc0000000, 5], [0xffff, 0xc0000000, 5], [0x7fff, 0xa0000000, 5], [0xffff, 0xa0000000, 5],
    [0x7fff, 0xe0000000, 0], [0xffff, 0x90000000, 0]];
  for (const a of nans) for (const b of nans) {
    add('nan pair', [a, b], 0x037f, [0xd8, 0xc1 | (random.pick([0, 1, 4, 5, 6, 7]) << 3)]);
    add('nan pair', [a, b], 0x037f, [0xde, 0xc1 | (random.pick([0, 1, 4, 5, 6, 7]) << 3)]);
  }
  // Reserved precision control 01, and every instruction form on edge values with all exceptions unmasked.
  for (const [a, b] of pairs.slice(0, 100 * scale)) {
    add('reserved precision', [a, b], 0x017f | (random.below(4) << 10), [0xd8, 0xc1 | (random.pick([0, 1, 4, 5, 6, 7]) << 3)]);
  }
  const unmaskedForms = [[0xd9, 0xfa], [0xd9, 0xfc], [0xd9, 0xfd], [0xd9, 0xf4], [0xd9, 0xf8], [0xd9, 0xf5], [0xd9, 0xe4],
    [0xd8, 0xd1], [0xdb, 0xf1], [0xdd, 0xe1], [0xd9, 0xc9], [0xdb, 0x10], [0xdb, 0x18], [0xdf, 0x38], [0xdf, 0x30],
    [0xdd, 0x08], [0xd9, 0x10], [0xdd, 0x18], [0xdb, 0x38], [0xd9, 0xe0], [0xd8, 0xd9], [0xdf, 0xf1], [0xde, 0xd9], [0xd8, 0x18]];
  for (const value of EDGE_VALUES) {
    for (const code of unmaskedForms) add(`unmasked ${code.map((byte) => byte.toString(16)).join(' ')}`, [value, random.pick(EDGE_VALUES)], 0x0340, code);
  }
  for (const bits of FLOAT32_EDGES) add('unmasked fld m32', [], 0x0340, [0xd9, 0], bytesOfWords([bits]));
  // Integer stores of denormals and tiny values under every rounding mode.
  const tiny: Extended[] = [[0x0000, 0, 1], [0x8000, 0x7fffffff, 0xffffffff], [0x0000, 0x80000000, 0], [0x8000, 0x80000000, 0],
    [0x3ffd, 0x80000000, 0], [0xbffe, 0x80000000, 0], [0x3ffe, 0x80000001, 0], [0x0001, 0x80000000, 0]];
  for (const value of tiny) {
    for (const rounding of [0, 1, 2, 3]) {
      for (const form of [[0xdb, 1], [0xdb, 2], [0xdf, 1], [0xdf, 3], [0xdd, 1], [0xdf, 7], [0xdf, 6], [0xd9, 0xfc]]) {
        add('integer store tiny', [value], 0x037f | (rounding << 10), form[0] === 0xd9 ? form : [form[0], form[1] << 3]);
      }
    }
  }
  // fbld with non-decimal digits (the SDM leaves the result undefined; compared with the host).
  for (let count = 0; count < 12; count++) {
    const bytes: number[] = [];
    for (let index = 0; index < 9; index++) bytes.push(random.below(256));
    bytes.push(random.below(256));
    add('fbld invalid digits', [], 0x037f, [0xdf, 4 << 3], bytes);
  }
  // Waiting control forms with a pending unmasked exception: #MF before they run.
  for (const code of [[0xd9, 5 << 3], [0xd9, 4 << 3], [0xdd, 4 << 3], [0xd9, 7 << 3], [0xd9, 6 << 3], [0xdd, 6 << 3], [0xdb, 0xe2]]) {
    add('pending #MF', three, 0x037e, code, bytesOfWords([0xffff037f, 0xffff0000, 0xffffffff]), { statusWord: 0x0001 });
  }
  // fcmov with an empty operand and a false condition; logarithms of invalid and denormal operands.
  for (const modrm of [0xc1, 0xc9, 0xd1, 0xd9]) add('fcmov empty', [three[0]], 0x037f, [0xda, modrm], [], { eflags: 0x202 });
  // Denormal y included: an exact denormal result is still UE and PE; fyl2x of ±0 takes no #D from y.
  for (const x of EDGE_VALUES) {
    const y = random.pick(EDGE_VALUES);
    add('fyl2x special', [x, y], 0x037f, [0xd9, 0xf1], [], { approximate: true });
    add('fyl2xp1 special', [x, y], 0x037f, [0xd9, 0xf9], [], { approximate: true });
    add('fpatan special', [x, random.pick(EDGE_VALUES)], 0x037f, [0xd9, 0xf3], [], { approximate: true });
  }
  for (const bits of FLOAT32_EDGES) add('unmasked fadd m32', [random.extended()], 0x0340, [0xd8, 0], bytesOfWords([bits]));
  // Logarithms under directed rounding: one rounding of the product (two drifted by 2 ulps).
  for (let count = 0; count < 40 * scale; count++) {
    const x: Extended = [random.extended(30)[0] & 0x7fff, random.next() | 0x80000000, random.next()];
    const controlWord = 0x037f | ((1 + random.below(3)) << 10);
    add('fyl2x rounding', [x, random.extended(30)], controlWord, [0xd9, 0xf1], [], { approximate: true });
    add('fyl2xp1 rounding', [[0x3ff0 + random.below(12), random.next() | 0x80000000, random.next()], random.extended(30)],
      controlWord, [0xd9, 0xf9], [], { approximate: true });
  }
  // fstp1 (D9 D8+i) with an empty ST(0): no underflow on the host (AMD FSTPNCE), whatever the mask.
  for (const controlWord of [0x037f, 0x037e]) {
    add('fstp1 empty', [], controlWord, [0xd9, 0xda]);
    add('fstp1', [three[0], three[1]], controlWord, [0xd9, 0xd9]);
  }
  return cases;
}

/** The one-line text form userland/fpu-check reads. */
export function caseLine(testCase: X87Case): string {
  const hex = (bytes: Uint8Array | readonly number[]): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex(testCase.image)} ${testCase.eflags.toString(16).padStart(8, '0')} ${hex(testCase.memory)} ${hex(testCase.code)}`;
}
