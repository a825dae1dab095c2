/**
 * The paging MMU: implements MemoryBus (linear addresses, user permissions)
 * over RAM with a soft TLB in front of the page walk of page-walk.ts.
 * On a fault it records faultVector / faultErrorCode / cr2 and throws
 * CPU_FAULT. Invariant: an access that faults has changed nothing in memory
 * (every page it touches is translated before any byte is written).
 *
 * Hot path, written for speed: an aligned access within a page costs one TLB
 * load, one test and one typed-array access; a write adds one load of
 * codePages (self-modifying-code detection). Everything else goes to *Slow.
 *
 * TLBs are tagged by CR3 (TLB_CONTEXTS of them, as PCIDs): setCr3(x, true)
 * switches to x's cached translations, so a context switch costs no refill.
 * That is exact only because whoever changes a paging entry of any address
 * space invalidates it there (invalidatePage(linear, cr3), flushTlb(cr3));
 * setCr3 without keepTlb flushes every context, as mov cr3 without PCIDs.
 * translationStamp names the current translations, so that the CPU can keep
 * what it derived from them (links between compiled blocks) until they change.
 */
import { PageFaultError, Vector } from '../../hal/vcpu.js';
import { CPU_FAULT } from '../cpu/fault.js';
import type { Ram } from '../memory/ram.js';
import type { MemoryBus } from './memory-bus.js';
import { PageWalkResult, walkPageTables } from './page-walk.js';
import { SoftTlb, TLB_FRAME_MASK, TLB_READ, TLB_WRITE } from './soft-tlb.js';

/** Address spaces whose translations stay cached at once (a pipe's two ends, a shell and its children). */
export const TLB_CONTEXTS = 8;

export class Mmu implements MemoryBus {
  readonly ram: Ram;
  /** Details of the last fault, valid when CPU_FAULT was thrown. */
  faultVector = 0;
  faultErrorCode = 0;
  /** Faulting linear address of the last #PF. */
  cr2 = 0;
  /**
   * CR0.AM=1 and EFLAGS.AC=1 at CPL 3: misaligned 16/32-bit data accesses
   * raise #AC (Intel SDM 3A §6.15, interrupt 17). Set by the CPU when AC changes.
   */
  alignmentCheck = false;
  /** One byte per physical page of RAM; non-zero where the CPU caches decoded code. */
  readonly codePages: Uint8Array;
  /** Called on a write to a page whose codePages byte is non-zero (the CPU drops its cache and clears the byte). */
  onCodeWrite: (physicalPage: number) => void = () => {};

  /**
   * The entries of the current CR3's TLB (a field load on the fast paths). Compiled
   * blocks read it too (cpu/block-memory.ts): it changes only in setCr3, never while guest code runs.
   */
  tlbEntries: Int32Array;
  /** RAM as i32 and u8, for the same compiled-block fast path. */
  readonly ramI32: Int32Array;
  readonly ramU8: Uint8Array;
  /**
   * The current TLB's stamp: equal values mean the same linear-to-physical translations
   * (another address space or any invalidation, flush or changed fill gives a new value;
   * switching back to an unchanged TLB gives its old one back).
   */
  translationStamp = 0;
  private stamps = 0;
  private tlb = new SoftTlb();
  /** The tagged TLBs, made as address spaces are switched to (at most TLB_CONTEXTS). */
  private readonly contexts: SoftTlb[] = [this.tlb];
  private switches = 0;
  private readonly u16: Uint16Array;
  private readonly walk = new PageWalkResult();
  private cr3 = 0;

  constructor(ram: Ram) {
    this.ram = ram;
    this.codePages = new Uint8Array(ram.pageCount);
    this.tlb.cr3 = 0;
    this.tlbEntries = this.tlb.entries;
    this.ramU8 = ram.u8;
    this.u16 = ram.u16;
    this.ramI32 = ram.i32;
  }

  // ---- control ----------------------------------------------------------

  getCr3(): number {
    return this.cr3;
  }

  /**
   * mov cr3: loads the page-directory base. Without `keepTlb` every cached
   * translation is dropped (no global pages, no PCIDs). With it the MMU reuses
   * what it cached for this CR3 before: the caller promises it invalidated every
   * entry it changed in that address space since (invalidatePage / flushTlb with its CR3).
   */
  setCr3(physical: number, keepTlb = false): void {
    physical >>>= 0;
    this.cr3 = physical;
    if (!keepTlb) {
      for (const context of this.contexts) if (context !== this.tlb) { context.flush(); context.cr3 = -1; this.restamp(context); }
      this.tlb.flush();
      this.tlb.cr3 = physical;
      this.restamp(this.tlb);
      return;
    }
    if (this.tlb.cr3 === physical) return;
    let next: SoftTlb | undefined;
    for (const context of this.contexts) if (context.cr3 === physical) { next = context; break; }
    if (next === undefined) {
      if (this.contexts.length < TLB_CONTEXTS) {
        next = new SoftTlb();
        this.contexts.push(next);
      } else {
        // Reuse the TLB switched to least recently.
        next = this.contexts[0]!;
        for (const context of this.contexts) if (context.lastUse < next.lastUse) next = context;
        next.flush();
      }
      next.cr3 = physical;
      this.restampOnly(next);
    }
    next.lastUse = ++this.switches;
    this.tlb = next;
    this.tlbEntries = next.entries;
    this.translationStamp = next.stamp;
  }

  /** Gives `tlb` a new stamp (its translations may have changed). */
  private restamp(tlb: SoftTlb): void {
    this.restampOnly(tlb);
    if (tlb === this.tlb) this.translationStamp = tlb.stamp;
  }

  private restampOnly(tlb: SoftTlb): void {
    tlb.stamp = ++this.stamps;
  }

  /**
   * invlpg. Intel SDM 3A §4.10.4.1: it drops the translation of the page
   * containing `linear`, which for a 4 MiB page is all of it; the soft TLB
   * keeps 4 KiB pieces, so then it drops all 1024 (over-invalidating is allowed).
   * With `cr3`, the page is dropped from that address space's TLB (INVPCID's
   * individual-address form), wherever it is cached.
   */
  invalidatePage(linear: number, cr3 = this.cr3): void {
    const tlb = this.contextOf(cr3);
    if (tlb === undefined) return;
    this.restamp(tlb);
    if (!tlb.largePagesCached) {
      tlb.invalidate(linear >>> 12);
      return;
    }
    const first = (linear >>> 22) << 10;
    for (let page = first; page < first + 1024; page++) tlb.invalidate(page);
  }

  /** Flushes every TLB, or with `cr3` only that address space's (INVPCID's single-context form). */
  flushTlb(cr3?: number): void {
    if (cr3 === undefined) {
      for (const context of this.contexts) { context.flush(); this.restamp(context); }
      return;
    }
    const tlb = this.contextOf(cr3);
    if (tlb === undefined) return;
    tlb.flush();
    this.restamp(tlb);
  }

  private contextOf(cr3: number): SoftTlb | undefined {
    cr3 >>>= 0;
    if (this.tlb.cr3 === cr3) return this.tlb;
    for (const context of this.contexts) if (context.cr3 === cr3) return context;
    return undefined;
  }

  /** Used-list length: what the next flush will cost (for tests and statistics). */
  get tlbEntriesInUse(): number {
    return this.tlb.entriesInUse;
  }

  // ---- fast paths ---------------------------------------------------------

  read8(linear: number): number {
    const entry = this.tlbEntries[linear >>> 12];
    if ((entry & TLB_READ) !== 0) return this.ramU8[(entry & TLB_FRAME_MASK) | (linear & 0xfff)];
    return this.ram.readPhysical8(this.translateSlow(linear, false));
  }

  fetch8(linear: number): number {
    const entry = this.tlbEntries[linear >>> 12];
    if ((entry & TLB_READ) !== 0) return this.ramU8[(entry & TLB_FRAME_MASK) | (linear & 0xfff)];
    return this.ram.readPhysical8(this.translateSlow(linear, false));
  }

  read16(linear: number): number {
    const entry = this.tlbEntries[linear >>> 12];
    if ((linear & 1) === 0 && (entry & TLB_READ) !== 0) {
      return this.u16[((entry & TLB_FRAME_MASK) | (linear & 0xfff)) >>> 1];
    }
    return this.read16Slow(linear);
  }

  read32(linear: number): number {
    const entry = this.tlbEntries[linear >>> 12];
    if ((linear & 3) === 0 && (entry & TLB_READ) !== 0) {
      return this.ramI32[((entry & TLB_FRAME_MASK) | (linear & 0xfff)) >>> 2];
    }
    return this.read32Slow(linear);
  }

  write8(linear: number, value: number): void {
    const entry = this.tlbEntries[linear >>> 12];
    if ((entry & TLB_WRITE) !== 0) {
      if (this.codePages[entry >>> 12] !== 0) this.onCodeWrite(entry >>> 12);
      this.ramU8[(entry & TLB_FRAME_MASK) | (linear & 0xfff)] = value;
      return;
    }
    this.writeBytesSlow(linear, value, 1);
  }

  write16(linear: number, value: number): void {
    const entry = this.tlbEntries[linear >>> 12];
    if ((linear & 1) === 0 && (entry & TLB_WRITE) !== 0) {
      if (this.codePages[entry >>> 12] !== 0) this.onCodeWrite(entry >>> 12);
      this.u16[((entry & TLB_FRAME_MASK) | (linear & 0xfff)) >>> 1] = value;
      return;
    }
    if ((linear & 1) !== 0 && this.alignmentCheck) this.alignmentFault();
    this.writeBytesSlow(linear, value, 2);
  }

  write32(linear: number, value: number): void {
    const entry = this.tlbEntries[linear >>> 12];
    if ((linear & 3) === 0 && (entry & TLB_WRITE) !== 0) {
      if (this.codePages[entry >>> 12] !== 0) this.onCodeWrite(entry >>> 12);
      this.ramI32[((entry & TLB_FRAME_MASK) | (linear & 0xfff)) >>> 2] = value;
      return;
    }
    if ((linear & 3) !== 0 && this.alignmentCheck) this.alignmentFault();
    this.writeBytesSlow(linear, value, 4);
  }

  /** Physical address of the instruction byte at `linear` (read permission), or #PF. May be outside RAM. */
  translateFetch(linear: number): number {
    const entry = this.tlbEntries[linear >>> 12];
    if ((entry & TLB_READ) !== 0) return ((entry & TLB_FRAME_MASK) | (linear & 0xfff)) >>> 0;
    return this.translateSlow(linear, false);
  }

  checkRead(linear: number, length: number): void {
    this.checkRange(linear, length, false);
  }

  checkWrite(linear: number, length: number): void {
    this.checkRange(linear, length, true);
  }

  checkAlignment(linear: number, alignment: number): void {
    if ((linear & (alignment - 1)) !== 0 && this.alignmentCheck) this.alignmentFault();
  }

  // ---- slow paths ---------------------------------------------------------

  /** Physical address of `linear` for a read or write: TLB hit or page walk (filling the TLB), or #PF. */
  translate(linear: number, write: boolean): number {
    const entry = this.tlbEntries[linear >>> 12];
    if ((entry & (write ? TLB_WRITE : TLB_READ)) !== 0) return ((entry & TLB_FRAME_MASK) | (linear & 0xfff)) >>> 0;
    return this.translateSlow(linear, write);
  }

  private translateSlow(linear: number, write: boolean): number {
    linear >>>= 0;
    const walk = this.walk;
    const linearPage = linear >>> 12;
    if (!walkPageTables(this.ram, this.cr3, linear, write, true, walk)) {
      // Intel SDM 3A §4.10.4.1: a page fault invalidates the TLB entries for the faulting address.
      this.invalidatePage(linear);
      this.pageFault(linear, walk.errorCode);
    }
    const physicalPage = walk.physicalPage;
    if (physicalPage < this.ram.size) {
      if (walk.large) this.tlb.largePagesCached = true;
      if (!this.tlb.set(linearPage, physicalPage, TLB_READ | (walk.writable && walk.dirty ? TLB_WRITE : 0))) this.restamp(this.tlb);
    }
    return (physicalPage | (linear & 0xfff)) >>> 0;
  }

  private read16Slow(linear: number): number {
    if ((linear & 1) !== 0 && this.alignmentCheck) this.alignmentFault();
    const first = this.translate(linear, false);
    if ((linear & 0xfff) !== 0xfff) {
      if (first + 2 <= this.ram.size) return this.ramU8[first] | (this.ramU8[first + 1] << 8);
      return this.ram.readPhysical8(first) | (this.ram.readPhysical8(first + 1) << 8);
    }
    const second = this.translate((linear + 1) >>> 0, false);
    return this.ram.readPhysical8(first) | (this.ram.readPhysical8(second) << 8);
  }

  private read32Slow(linear: number): number {
    if ((linear & 3) !== 0 && this.alignmentCheck) this.alignmentFault();
    const first = this.translate(linear, false);
    const offset = linear & 0xfff;
    if (offset <= 0xffc) {
      // Misaligned within one page (common in packed data): compose from bytes.
      const u8 = this.ramU8;
      if (first + 4 <= this.ram.size) return u8[first] | (u8[first + 1] << 8) | (u8[first + 2] << 16) | (u8[first + 3] << 24);
      return this.ram.readPhysical32(first);
    }
    // Crosses into the next page: bytes [0, split) in the first page, the rest in the second.
    const split = 0x1000 - offset;
    const second = this.translate((linear + split) >>> 0, false);
    let value = 0;
    for (let i = 0; i < 4; i++) {
      const physical = i < split ? first + i : second + (i - split);
      value |= this.ram.readPhysical8(physical) << (8 * i);
    }
    return value;
  }

  /** Writes `size` bytes little-endian after translating every page they touch. */
  private writeBytesSlow(linear: number, value: number, size: number): void {
    const first = this.translate(linear, true);
    const split = 0x1000 - (linear & 0xfff);
    if (split >= size && first + size <= this.ram.size) {
      this.noteWrite(first);
      const u8 = this.ramU8;
      for (let i = 0; i < size; i++) u8[first + i] = value >>> (8 * i);
      return;
    }
    const second = split < size ? this.translate((linear + split) >>> 0, true) : 0;
    this.noteWrite(first);
    if (split < size) this.noteWrite(second);
    for (let i = 0; i < size; i++) {
      const physical = i < split ? first + i : second + (i - split);
      this.ram.writePhysical8(physical, value >>> (8 * i));
    }
  }

  private noteWrite(physical: number): void {
    const page = physical >>> 12;
    if (page < this.codePages.length && this.codePages[page] !== 0) this.onCodeWrite(page);
  }

  private checkRange(linear: number, length: number, write: boolean): void {
    if (length <= 0) return;
    linear >>>= 0;
    const lastPage = ((linear + length - 1) >>> 0) >>> 12;
    this.translate(linear, write);
    // Walk the following pages by page number; linear addresses wrap at 4 GiB.
    for (let page = linear >>> 12; page !== lastPage;) {
      page = (page + 1) & 0xfffff;
      this.translate(page << 12, write);
    }
  }

  private pageFault(linear: number, errorCode: number): never {
    this.faultVector = Vector.PF;
    this.faultErrorCode = errorCode | PageFaultError.U;
    this.cr2 = linear >>> 0;
    throw CPU_FAULT;
  }

  /** #AC is checked before translation: on the host, a misaligned access to an unmapped page with AC=1 gets SIGBUS. */
  private alignmentFault(): never {
    this.faultVector = Vector.AC;
    this.faultErrorCode = 0;
    throw CPU_FAULT;
  }
}
