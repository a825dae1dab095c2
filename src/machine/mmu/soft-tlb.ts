/**
 * The soft TLB of one address space: a flat Int32Array indexed by linear page
 * number (2^20 entries), each holding the physical page base plus validity
 * bits, and a stack of the indices filled since the last flush so that a flush
 * costs what was used, never 2^20 stores. Only pages backed by RAM are cached,
 * so a valid entry always indexes the RAM views directly. The MMU keeps a few
 * of these tagged with the CR3 they translate for (as PCIDs do), so switching
 * between address spaces keeps each one's translations.
 *
 * Entry layout: bits 31:12 physical page base, bit 0 valid for reads,
 * bit 1 valid for writes (the page is user-writable at both levels and its
 * dirty bit is already set in memory, so a write needs no walk). 0 = invalid.
 */

export const TLB_READ = 1;
export const TLB_WRITE = 2;
export const TLB_FRAME_MASK = -4096; // 0xfffff000 as i32

const LINEAR_PAGES = 1 << 20;
/** First size of the used list; it doubles as needed (most address spaces touch a few hundred pages). */
const INITIAL_USED = 1024;

export class SoftTlb {
  /**
   * The entries; the MMU reads this array directly on its fast paths. Untouched
   * parts of the 4 MiB array are never written, so the host commits little memory for it.
   */
  readonly entries = new Int32Array(LINEAR_PAGES);
  /** Linear page numbers filled since the last flush (may repeat after invalidations). */
  private used = new Int32Array(INITIAL_USED);
  private usedCount = 0;
  /** The CR3 whose translations this holds (-1: none). */
  cr3 = -1;
  /** Some entry since the last flush came from a 4 MiB page (invlpg must then drop the whole 4 MiB). */
  largePagesCached = false;
  /** When the MMU last switched to this TLB (its choice of which one to reuse). */
  lastUse = 0;
  /**
   * Names this TLB's contents: the MMU gives it a new value, unique within the MMU, whenever
   * a translation it holds may have changed (Mmu.translationStamp).
   */
  stamp = 0;

  /** Number of used-list slots a flush will clear (what a CR3 load costs). */
  get entriesInUse(): number {
    return this.usedCount;
  }

  /**
   * Caches the translation of linear page `linearPage` to `physicalPage` (page-aligned) with TLB_* bits.
   * Returns false when that changed a translation held before (another frame, or a reset of the whole TLB).
   */
  set(linearPage: number, physicalPage: number, bits: number): boolean {
    const entries = this.entries;
    const old = entries[linearPage];
    let kept = true;
    if (old === 0) {
      if (this.usedCount === this.used.length) kept = this.growUsed();
      this.used[this.usedCount++] = linearPage;
    } else {
      kept = ((old ^ physicalPage) & TLB_FRAME_MASK) === 0;
    }
    entries[linearPage] = physicalPage | bits;
    return kept;
  }

  /** invlpg: drops one linear page's entry. */
  invalidate(linearPage: number): void {
    this.entries[linearPage] = 0;
  }

  /** Drops every entry, in time proportional to the entries filled since the last flush. */
  flush(): void {
    const entries = this.entries;
    const used = this.used;
    for (let i = 0; i < this.usedCount; i++) entries[used[i]] = 0;
    this.usedCount = 0;
    this.largePagesCached = false;
  }

  /** Makes room in the used list; false when it had to drop every entry instead. */
  private growUsed(): boolean {
    if (this.used.length === LINEAR_PAGES) {
      // Only reachable through many invalidate/refill cycles: start over.
      this.entries.fill(0);
      this.usedCount = 0;
      return false;
    }
    const grown = new Int32Array(Math.min(LINEAR_PAGES, this.used.length * 2));
    grown.set(this.used);
    this.used = grown;
    return true;
  }
}
