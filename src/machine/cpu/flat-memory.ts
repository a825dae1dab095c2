/**
 * A flat CpuMemory for tests and tools: linear = physical, every page user
 * read/write, #PF only outside the buffer or on pages marked absent/read-only.
 * The real system uses src/machine/mmu/mmu.ts.
 */
import { Vector, PageFaultError } from '../../hal/vcpu.js';
import { CPU_FAULT } from './fault.js';
import type { CpuMemory } from './cpu-memory.js';

export class FlatMemory implements CpuMemory {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  /** Per page: 0 absent, 1 read-only, 2 read/write. */
  readonly access: Uint8Array;
  faultVector = 0;
  faultErrorCode = 0;
  cr2 = 0;
  alignmentCheck = false;
  readonly codePages: Uint8Array;
  onCodeWrite: (physicalPage: number) => void = () => {};
  /** Linear = physical, always. */
  readonly translationStamp = 0;
  private cr3 = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
    this.access = new Uint8Array(size >>> 12).fill(2);
    this.codePages = new Uint8Array(size >>> 12);
  }

  private pageFault(linear: number, write: boolean): never {
    const page = linear >>> 12;
    const present = page < this.access.length && this.access[page] !== 0;
    this.faultVector = Vector.PF;
    this.faultErrorCode = (present ? PageFaultError.P : 0) | (write ? PageFaultError.W : 0) | PageFaultError.U;
    this.cr2 = linear >>> 0;
    throw CPU_FAULT;
  }

  checkRead(linear: number, length: number): void {
    for (let page = linear >>> 12; page <= (linear + Math.max(length, 1) - 1) >>> 12; page++) {
      if (page >= this.access.length || this.access[page] === 0) this.pageFault(Math.max(page << 12, linear) >>> 0, false);
    }
  }

  checkWrite(linear: number, length: number): void {
    for (let page = linear >>> 12; page <= (linear + Math.max(length, 1) - 1) >>> 12; page++) {
      if (page >= this.access.length || this.access[page] !== 2) this.pageFault(Math.max(page << 12, linear) >>> 0, true);
    }
  }

  private alignment(linear: number, size: number): void {
    if (this.alignmentCheck && (linear & (size - 1)) !== 0) {
      this.faultVector = Vector.AC;
      this.faultErrorCode = 0;
      throw CPU_FAULT;
    }
  }

  private noteWrite(linear: number, size: number): void {
    const first = linear >>> 12, last = (linear + size - 1) >>> 12;
    if (this.codePages[first] !== 0) this.onCodeWrite(first);
    if (last !== first && this.codePages[last] !== 0) this.onCodeWrite(last);
  }

  read8(linear: number): number { this.checkRead(linear, 1); return this.bytes[linear]; }
  read16(linear: number): number { this.checkRead(linear, 2); this.alignment(linear, 2); return this.view.getUint16(linear, true); }
  read32(linear: number): number { this.checkRead(linear, 4); this.alignment(linear, 4); return this.view.getInt32(linear, true); }
  write8(linear: number, value: number): void { this.checkWrite(linear, 1); this.noteWrite(linear, 1); this.bytes[linear] = value; }
  write16(linear: number, value: number): void { this.checkWrite(linear, 2); this.alignment(linear, 2); this.noteWrite(linear, 2); this.view.setUint16(linear, value, true); }
  write32(linear: number, value: number): void { this.checkWrite(linear, 4); this.alignment(linear, 4); this.noteWrite(linear, 4); this.view.setInt32(linear, value, true); }
  fetch8(linear: number): number { return this.read8(linear); }
  translateFetch(linear: number): number { this.checkRead(linear, 1); return linear; }

  getCr3(): number { return this.cr3; }
  setCr3(physical: number): void { this.cr3 = physical; }
  invalidatePage(_linear: number): void { /* no TLB */ }
  flushTlb(): void { /* no TLB */ }
}
