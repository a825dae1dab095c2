/**
 * Physical memory as the kernel sees it: one SharedArrayBuffer of RAM and an
 * e820-style map of which ranges are usable. Holes and reserved ranges inside
 * the buffer must not be allocated.
 */

export const E820Type = { Usable: 1, Reserved: 2, Acpi: 3, Nvs: 4, Unusable: 5 } as const;
export type E820Type = (typeof E820Type)[keyof typeof E820Type];

export interface E820Entry {
  base: number;
  length: number;
  type: E820Type;
}

export interface PhysicalMemory {
  /** The RAM bytes, physical address 0 at offset 0. */
  readonly buffer: SharedArrayBuffer;
  readonly size: number;
  readonly map: readonly E820Entry[];
}
