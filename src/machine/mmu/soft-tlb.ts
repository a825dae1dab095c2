/**
 * The soft TLB: a flat Int32Array indexed by linear page number (2^20
 * entries), each holding the physical page base plus validity bits, and a
 * stack of the indices filled since the last flush so that a CR3 load costs
 * what was used, never 2^20 stores. Only pages backed by RAM are cached, so a
 * valid entry always indexes the RAM views directly.
 *
 * Entry layout: bits 31:12 physical page base, bit 0 valid for reads,
 * bit 1 valid for writes (the page is user-writable at both levels and its
 * dirty bit is already set in memory, so a write needs no walk). 0 = invalid.
 */

export const TLB_READ = 1;
export const TLB_WRITE = 2;
export const TLB_FRAME_MASK = -4096; // 0xfffff000 as i32

const LINEAR_PAGES = 1 << 20;

export class SoftTlb {
  /** The entries; the MMU reads this array directly on its fast paths. */
  readonly entries = new Int32Array(LINEAR_PAGES);
  /** Linear page numbers filled since the last flush (may repeat after invalidations). */
  private readonly used = new Int32Array(LINEAR_PAGES);
  private usedCount = 0;

  /** Number of used-list slots a flush will clear (what a CR3 load costs). */
  get entriesInUse(): number {
    return this.usedCount;
  }

  /** Caches the translation of linear page `linearPage` to `physicalPage` (page-aligned) with TLB_* bits. */
  set(linearPage: number, physicalPage: number, bits: number): void {
    const entries = this.entries;
    if (entries[linearPage] === 0) {
      if (this.usedCount === LINEAR_PAGES) {
        // Only reachable through many invalidate/refill cycles: start over.
        entries.fill(0);
        this.usedCount = 0;
      }
      this.used[this.usedCount++] = linearPage;
    }
    entries[linearPage] = physicalPage | bits;
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
  }
}
