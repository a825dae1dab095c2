/**
 * What the CPU core needs from the MMU beyond MemoryBus: fetch translation for
 * the decoded-code cache, the code-page write hook, fault details, TLB control
 * and the #AC switch. src/machine/mmu/mmu.ts (class Mmu) satisfies it; tests may
 * use a flat implementation.
 */
import type { MemoryBus } from '../mmu/memory-bus.js';

export interface CpuMemory extends MemoryBus {
  getCr3(): number;
  /** Vcpu.setCr3, invalidatePage and flushTlb (hal/vcpu.ts): keepTlb and cr3 select tagged TLBs. */
  setCr3(physical: number, keepTlb?: boolean): void;
  invalidatePage(linear: number, cr3?: number): void;
  flushTlb(cr3?: number): void;
  /** Set before a MemoryBus access throws CPU_FAULT. */
  faultVector: number;
  faultErrorCode: number;
  cr2: number;
  /** True while EFLAGS.AC = 1 (Linux runs with CR0.AM = 1): misaligned accesses raise #AC. */
  alignmentCheck: boolean;
  /** Physical address of an instruction fetch, or records #PF and throws CPU_FAULT. */
  translateFetch(linear: number): number;
  /** One byte per physical page: 1 while the CPU holds decoded instructions of it. */
  codePages: Uint8Array;
  /** Called by the MMU on a write to a page whose codePages byte is set. */
  onCodeWrite: (physicalPage: number) => void;
  /**
   * Names the current linear-to-physical translations (Mmu.translationStamp): while it
   * keeps its value, an address translates as it did. A memory without paging keeps it at 0.
   */
  readonly translationStamp: number;
  /**
   * Optional, for compiled blocks' in-place fast path (block-memory.ts): the current
   * TLB's entries in soft-tlb.ts's layout (replaced only by setCr3) and RAM as i32 and u8.
   * A memory without them gets every access through read32/write32/read8/write8.
   */
  readonly tlbEntries?: Int32Array;
  readonly ramI32?: Int32Array;
  readonly ramU8?: Uint8Array;
}
