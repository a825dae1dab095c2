/**
 * A fake hal for kernel unit tests: RAM with an e820 map (a hole included) and
 * a vcpu that records what the kernel asked of it but runs nothing, unless a
 * test gives it a `script` to play as the guest.
 */
import type { CpuContext, E820Entry, Exit, PhysicalMemory, Vcpu } from '../../hal/index.js';
import { E820Type, Exit as ExitReason } from '../../hal/index.js';

export function fakeMemory(mebibytes: number): PhysicalMemory {
  const size = mebibytes * 1024 * 1024;
  const map: E820Entry[] = [
    { base: 0, length: 0x9f000, type: E820Type.Usable },
    { base: 0x9f000, length: 0x61000, type: E820Type.Reserved },
    { base: 0x100000, length: size - 0x100000, type: E820Type.Usable },
  ];
  return { buffer: new SharedArrayBuffer(size), size, map };
}

export class FakeVcpu implements Vcpu {
  readonly gpr = new Int32Array(8);
  eip = 0;
  private eflags = 0x202;
  private cr3 = 0;
  exitVector = 0;
  exitErrorCode = 0;
  cr2 = 0;
  instructionsRetired = 0;
  readonly invalidatedPages: number[] = [];
  readonly gdt = new Map<number, [number, number]>();
  readonly segments = new Uint16Array(6);
  /** Called by run(): plays the guest, returns an exit. */
  script: (vcpu: FakeVcpu) => Exit = () => ExitReason.Budget;

  getEflags(): number { return this.eflags; }
  setEflags(value: number): void { this.eflags = value; }
  run(budget: number): Exit { this.instructionsRetired += Math.min(budget, 100); return this.script(this); }
  setCr3(physical: number): void { this.cr3 = physical; }
  getCr3(): number { return this.cr3; }
  invalidatePage(linear: number): void { this.invalidatedPages.push(linear); }
  flushTlb(): void { /* nothing cached */ }
  setGdtEntry(index: number, low: number, high: number): void { this.gdt.set(index, [low, high]); }
  getSegment(seg: number): number { return this.segments[seg]!; }
  setSegment(seg: number, selector: number): boolean { this.segments[seg] = selector; return true; }
  createContext(): CpuContext {
    return { gpr: new Int32Array(8), eip: 0, eflags: 0x202, segments: new Uint16Array(6), fpu: new Uint8Array(108) };
  }
  saveContext(into: CpuContext): void {
    into.gpr.set(this.gpr); into.eip = this.eip; into.eflags = this.eflags; into.segments.set(this.segments);
  }
  loadContext(from: CpuContext): void {
    this.gpr.set(from.gpr); this.eip = from.eip; this.eflags = from.eflags; this.segments.set(from.segments);
  }
  resetFpu(): void { /* no x87 */ }
  invalidatePhysicalPage(_physical: number): void { /* no code cache */ }
  requestInterrupt(): void { /* never pending */ }
}
