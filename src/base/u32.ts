/** Unsigned and signed 32-bit arithmetic helpers. JS numbers are doubles: `>>> 0` gives u32, `| 0` gives i32. */

export const u32 = (x: number): number => x >>> 0;
export const i32 = (x: number): number => x | 0;
export const u16 = (x: number): number => x & 0xffff;
export const u8 = (x: number): number => x & 0xff;
export const i8 = (x: number): number => (x << 24) >> 24;
export const i16 = (x: number): number => (x << 16) >> 16;

/** Hex with a fixed number of digits, for logs and oopses: hex(0x1f, 8) === '0000001f'. */
export function hex(x: number, digits = 8): string {
  return (x >>> 0).toString(16).padStart(digits, '0');
}
