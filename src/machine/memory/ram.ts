/**
 * Physical RAM: one SharedArrayBuffer (physical address 0 at offset 0) with an
 * e820-style map, plus typed views for the MMU's fast paths. Physical
 * addresses past the end of RAM are unbacked: reads return all ones and writes
 * are dropped, as on a PC bus with nothing decoding the address.
 */
import { E820Type, type E820Entry, type PhysicalMemory } from '../../hal/memory.js';

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;

/** Start of the legacy hole (EBDA, VGA memory, option ROMs, BIOS) below 1 MiB. */
const LEGACY_HOLE_START = 0x9fc00;
const ONE_MIB = 0x100000;

/**
 * The default map of a PC with `sizeBytes` of RAM: conventional memory, the
 * legacy hole reserved, then everything from 1 MiB up usable.
 */
export function defaultE820Map(sizeBytes: number): E820Entry[] {
  const map: E820Entry[] = [
    { base: 0, length: Math.min(LEGACY_HOLE_START, sizeBytes), type: E820Type.Usable },
  ];
  if (sizeBytes > LEGACY_HOLE_START) {
    map.push({ base: LEGACY_HOLE_START, length: Math.min(ONE_MIB, sizeBytes) - LEGACY_HOLE_START, type: E820Type.Reserved });
  }
  if (sizeBytes > ONE_MIB) map.push({ base: ONE_MIB, length: sizeBytes - ONE_MIB, type: E820Type.Usable });
  return map;
}

/** What answers physical accesses outside RAM: nothing today (open bus); the MMIO bus later. */
export interface UnbackedPhysical {
  read8(physical: number): number;
  write8(physical: number, value: number): void;
}

/** An undecoded PC bus: reads float high (all ones), writes vanish. */
export const openBus: UnbackedPhysical = { read8: () => 0xff, write8: () => {} };

export class Ram implements PhysicalMemory {
  readonly buffer: SharedArrayBuffer;
  readonly size: number;
  readonly map: readonly E820Entry[];
  /** Byte view of all of RAM. */
  readonly u8: Uint8Array;
  /** 16-bit view; index = physical >>> 1 (little-endian host assumed, as every JS engine on x86/ARM is). */
  readonly u16: Uint16Array;
  /** 32-bit view returning i32; index = physical >>> 2. */
  readonly i32: Int32Array;
  /**
   * The seam for MMIO: byte accesses outside RAM go here. The MMU never caches
   * such pages in its TLB, so every access to them reaches this handler.
   */
  unbacked: UnbackedPhysical = openBus;

  /** `buffer`: zeroed memory of exactly `sizeBytes` made beforehand (a host that pre-faults it while other work runs). */
  constructor(sizeBytes: number, map?: E820Entry[], buffer?: SharedArrayBuffer) {
    if (!Number.isInteger(sizeBytes) || sizeBytes <= 0 || sizeBytes % PAGE_SIZE !== 0 || sizeBytes > 0x80000000) {
      throw new RangeError(`RAM size must be a positive multiple of 4 KiB up to 2 GiB, not ${sizeBytes}`);
    }
    if (buffer && buffer.byteLength !== sizeBytes) throw new RangeError(`RAM buffer of ${buffer.byteLength} bytes for ${sizeBytes} bytes of RAM`);
    this.buffer = buffer ?? new SharedArrayBuffer(sizeBytes);
    this.size = sizeBytes;
    this.map = map ?? defaultE820Map(sizeBytes);
    this.u8 = new Uint8Array(this.buffer);
    this.u16 = new Uint16Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
  }

  /** Number of 4 KiB physical page frames in RAM. */
  get pageCount(): number {
    return this.size >>> PAGE_SHIFT;
  }

  /** Byte access by physical address, for slow paths; outside RAM it goes to `unbacked`. */
  readPhysical8(physical: number): number {
    physical >>>= 0;
    return physical < this.size ? this.u8[physical] : this.unbacked.read8(physical) & 0xff;
  }

  writePhysical8(physical: number, value: number): void {
    physical >>>= 0;
    if (physical < this.size) this.u8[physical] = value;
    else this.unbacked.write8(physical, value & 0xff);
  }

  /** 32-bit little-endian read by physical address (any alignment); unbacked bytes read 0xff. */
  readPhysical32(physical: number): number {
    physical >>>= 0;
    if ((physical & 3) === 0 && physical < this.size) return this.i32[physical >>> 2];
    return (this.readPhysical8(physical) | (this.readPhysical8(physical + 1) << 8) |
      (this.readPhysical8(physical + 2) << 16) | (this.readPhysical8(physical + 3) << 24));
  }

  writePhysical32(physical: number, value: number): void {
    physical >>>= 0;
    if ((physical & 3) === 0 && physical < this.size) {
      this.i32[physical >>> 2] = value;
      return;
    }
    for (let i = 0; i < 4; i++) this.writePhysical8(physical + i, value >>> (i * 8));
  }
}
