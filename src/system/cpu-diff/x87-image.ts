/**
 * Random x87 states as 108-byte fnsave images (Intel SDM 1 §8.1.10, 32-bit
 * protected mode): control word, status word with TOP, a tag word that agrees
 * with the register contents (so neither side re-tags what it loads), and
 * ST(0)..ST(7) in stack order as 80-bit extended values.
 */
import type { Random } from './random.js';
import { FNSAVE_BYTES } from './layout.js';

const REGISTERS_OFFSET = 28;

/** The state after fninit: control word 0x037f, empty stack. */
export function fninitImage(): Uint8Array {
  const image = new Uint8Array(FNSAVE_BYTES);
  const view = new DataView(image.buffer);
  view.setUint32(0, 0xffff037f, true);
  view.setUint32(4, 0xffff0000, true);
  view.setUint32(8, 0xffffffff, true);
  return image;
}

/** Tag of an 80-bit value (Intel SDM 1 §8.1.7): 0 valid, 1 zero, 2 special. */
export function tagOf(bytes: Uint8Array, at: number): number {
  const exponent = (bytes[at + 8] | (bytes[at + 9] << 8)) & 0x7fff;
  let significandZero = true;
  for (let i = 0; i < 8; i++) if (bytes[at + i] !== 0) significandZero = false;
  if (exponent === 0) return significandZero ? 1 : 2;
  if (exponent === 0x7fff) return 2;
  return (bytes[at + 7] & 0x80) !== 0 ? 0 : 2;
}

function writeExtended(image: Uint8Array, at: number, sign: number, exponent: number, high: number, low: number): void {
  const view = new DataView(image.buffer, image.byteOffset);
  view.setUint32(at, low >>> 0, true);
  view.setUint32(at + 4, high >>> 0, true);
  view.setUint16(at + 8, ((sign << 15) | exponent) & 0xffff, true);
}

/** One random register value: ordinary numbers mostly, plus zeros, infinities, NaNs and denormals. */
function randomExtended(random: Random, image: Uint8Array, at: number): void {
  const sign = random.below(2);
  const kind = random.below(16);
  if (kind === 0) return writeExtended(image, at, sign, 0, 0, 0);
  if (kind === 1) return writeExtended(image, at, sign, 0x7fff, 0x80000000, 0);
  if (kind === 2) return writeExtended(image, at, sign, 0x7fff, 0xc0000000 | random.u32() >>> 2, random.u32());
  if (kind === 3) return writeExtended(image, at, sign, 0, random.u32() >>> 1, random.u32());
  if (kind <= 6) {
    // Small integers: exact in every format, what fist/fild and friends mostly see.
    const value = random.range(1, 100000);
    const bits = 32 - Math.clz32(value);
    return writeExtended(image, at, sign, 0x3fff + bits - 1, (value << (32 - bits)) >>> 0, 0);
  }
  const exponent = kind <= 12 ? 0x3fff + random.range(-40, 40) : random.range(1, 0x7ffe);
  writeExtended(image, at, sign, exponent, (0x80000000 | random.u32()) >>> 0, random.u32());
}

/** A random x87 state: `depth` registers in use below a random TOP, the rest empty. */
export function randomX87Image(random: Random): Uint8Array {
  const image = fninitImage();
  const view = new DataView(image.buffer);
  // Rounding and precision control vary; exceptions stay masked except rarely.
  let control = 0x037f | (random.below(4) << 10) | (random.pick([3, 3, 3, 2, 0]) << 8);
  if (random.chance(0.05)) control &= ~(1 << random.below(6));
  const top = random.below(8);
  let status = (random.u32() & 0x4700) | (top << 11);
  if (random.chance(0.04)) {
    // A pending unmasked exception (ES and B set): the next waiting x87 instruction raises #MF.
    const exception = random.below(6);
    control &= ~(1 << exception);
    status |= (1 << exception) | 0x80 | 0x8000;
  }
  view.setUint32(0, (0xffff0000 | control) >>> 0, true);
  view.setUint32(4, (0xffff0000 | status) >>> 0, true);
  const depth = random.pick([0, 1, 2, 2, 3, 3, 4, 5, 7, 8]);
  let tags = 0xffff;
  for (let i = 0; i < 8; i++) {
    const at = REGISTERS_OFFSET + i * 10;
    randomExtended(random, image, at);
    const physical = (top + i) & 7;
    if (i < depth) tags = (tags & ~(3 << (physical * 2))) | (tagOf(image, at) << (physical * 2));
  }
  view.setUint32(8, (0xffff0000 | tags) >>> 0, true);
  return image;
}

/**
 * Makes ST(0) a valid normal number with |x| < 2^(exponentLimit - 0x3fff + 1),
 * for instructions whose result the SDM leaves undefined outside a range
 * (f2xm1: -1 < x < 1).
 */
export function limitStackTop(image: Uint8Array, random: Random, exponentLimit: number): void {
  const view = new DataView(image.buffer, image.byteOffset);
  const top = (view.getUint16(4, true) >> 11) & 7;
  writeExtended(image, REGISTERS_OFFSET, random.below(2), random.range(exponentLimit - 40, exponentLimit),
    (0x80000000 | random.u32()) >>> 0, random.u32());
  const tags = view.getUint16(8, true) & ~(3 << (top * 2));
  view.setUint16(8, tags, true);
}
