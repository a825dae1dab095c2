/**
 * Memory-mapped device registers above RAM (the HPET at 0xFED00000, the
 * local APIC at 0xFEE00000, the I/O APIC at 0xFEC00000). Devices claim
 * physical ranges; the kernel accesses them with 32-bit loads and stores
 * (MmioAccess), and byte accesses that reach RAM's unbacked seam land here
 * too. Unclaimed addresses read all ones.
 */
import type { MmioAccess } from '../../hal/platform.js';
import type { UnbackedPhysical } from '../memory/ram.js';

/** A device's register window; `offset` is physical - base, 32-bit aligned for read32/write32. */
export interface MmioDevice {
  read32(offset: number): number;
  write32(offset: number, value: number): void;
}

interface Window { readonly base: number; readonly length: number; readonly device: MmioDevice; readonly name: string }

export class MmioBus implements MmioAccess, UnbackedPhysical {
  private readonly windows: Window[] = [];

  register(base: number, length: number, device: MmioDevice, name: string): void {
    for (const w of this.windows) {
      if (base < w.base + w.length && w.base < base + length) throw new Error(`MMIO ${base.toString(16)} claimed by ${w.name} and ${name}`);
    }
    this.windows.push({ base: base >>> 0, length, device, name });
  }

  private find(physical: number): Window | undefined {
    for (const w of this.windows) if (physical >= w.base && physical < w.base + w.length) return w;
    return undefined;
  }

  read32(physical: number): number {
    physical >>>= 0;
    const w = this.find(physical);
    return w ? w.device.read32(physical - w.base) >>> 0 : 0xffffffff;
  }

  write32(physical: number, value: number): void {
    physical >>>= 0;
    const w = this.find(physical);
    if (w) w.device.write32(physical - w.base, value >>> 0);
  }

  /** Byte reads: the containing dword, shifted (registers are dword-wide). */
  read8(physical: number): number {
    return (this.read32(physical & ~3) >>> ((physical & 3) * 8)) & 0xff;
  }

  /** Byte writes are read-modify-write of the containing dword. */
  write8(physical: number, value: number): void {
    const aligned = (physical & ~3) >>> 0;
    const shift = (physical & 3) * 8;
    const old = this.read32(aligned);
    this.write32(aligned, ((old & ~(0xff << shift)) | ((value & 0xff) << shift)) >>> 0);
  }
}
