/**
 * i386 two-level page tables (Intel SDM 3A §4.3, 32-bit paging) kept in RAM,
 * written through a Uint32Array over the RAM buffer so that the machine's MMU
 * walks exactly what the kernel wrote. One page directory per address space;
 * page tables are allocated on first use and freed with the directory.
 * Software bit PTE_PROTNONE (an AVL bit, as Linux's _PAGE_PROTNONE) keeps the
 * frame of a PROT_NONE page while P is clear. The vcpu caches translations per
 * address space (tagged by directory), so every change of a present entry here
 * invalidates it in its own address space, active or not, and a freed directory
 * drops its cached translations.
 */
import { assert } from '../../base/assert.js';
import type { PhysicalPages } from './physical-pages.js';
import { PAGE_SHIFT } from './buddy.js';

export const PTE_P = 0x001;
export const PTE_RW = 0x002;
export const PTE_US = 0x004;
export const PTE_A = 0x020;
export const PTE_D = 0x040;
export const PDE_PS = 0x080;
export const PTE_PROTNONE = 0x200;
export const PTE_FRAME = 0xfffff000;

/** User space ends here: the i386 3G/1G split (TASK_SIZE). */
export const TASK_SIZE = 0xc0000000;
/** Page-directory entries below TASK_SIZE: the only ones that ever point to a page table. */
const USER_TABLES = TASK_SIZE >>> 22;

export class PageTables {
  constructor(private readonly pages: PhysicalPages) {}

  /** Allocates a zeroed page directory; returns its physical address or -1. */
  createDirectory(): number {
    return this.pages.allocZeroedPage();
  }

  /** The PTE of `linear`, or 0 when no page table covers it. */
  getPte(directory: number, linear: number): number {
    const words = this.pages.words;
    const pde = words[(directory >>> 2) + (linear >>> 22)]!;
    if ((pde & PTE_P) === 0) return 0;
    assert((pde & PDE_PS) === 0, 'the kernel never creates 4 MiB user pages');
    return words[((pde & PTE_FRAME) >>> 2) + ((linear >>> PAGE_SHIFT) & 0x3ff)]!;
  }

  /** Sets the PTE of `linear`, allocating the page table; false when out of memory. */
  setPte(directory: number, linear: number, pte: number): boolean {
    const words = this.pages.words;
    const pdeIndex = (directory >>> 2) + (linear >>> 22);
    let pde = words[pdeIndex]!;
    if ((pde & PTE_P) === 0) {
      if (pte === 0) return true;
      const table = this.pages.allocZeroedPage();
      if (table < 0) return false;
      // PDEs grant everything; the PTEs decide (Intel SDM 3A §4.6: the stricter of both applies).
      pde = (table | PTE_P | PTE_RW | PTE_US) >>> 0;
      words[pdeIndex] = pde;
    }
    const index = ((pde & PTE_FRAME) >>> 2) + ((linear >>> PAGE_SHIFT) & 0x3ff);
    const old = words[index]!;
    words[index] = pte >>> 0;
    // Only a present entry can be cached (the MMU caches successful walks alone).
    if ((old & PTE_P) !== 0 && old !== pte >>> 0) this.pages.hooks.invalidatePage(linear, directory);
    return true;
  }

  /**
   * fork's copy of the entries of [start, end) from `directory` into `child`: each frame gains a
   * reference and, unless `shared`, both entries lose RW (copy-on-write; the parent's changed
   * entries are invalidated). False when a page table cannot be allocated. Hot path of fork: one
   * loop over the words, no callback per entry.
   */
  copyForFork(directory: number, child: number, start: number, end: number, shared: boolean): boolean {
    const words = this.pages.words;
    const buddy = this.pages.buddy;
    for (let linear = start; linear < end;) {
      const pde = words[(directory >>> 2) + (linear >>> 22)]!;
      const tableEnd = Math.min(end, (Math.floor(linear / 0x400000) + 1) * 0x400000);
      if ((pde & PTE_P) === 0) { linear = tableEnd; continue; }
      const table = (pde & PTE_FRAME) >>> 2;
      for (; linear < tableEnd; linear += 4096) {
        const index = table + ((linear >>> PAGE_SHIFT) & 0x3ff);
        const pte = words[index]!;
        if (pte === 0) continue;
        const copyOnWrite = !shared && (pte & PTE_RW) !== 0;
        const copied = copyOnWrite ? (pte & ~PTE_RW) >>> 0 : pte;
        if (!this.setPte(child, linear, copied)) return false;
        buddy.getPage((pte & PTE_FRAME) >>> 0);
        if (copyOnWrite) {
          words[index] = copied;
          if ((pte & PTE_P) !== 0) this.pages.hooks.invalidatePage(linear, directory);
        }
      }
    }
    return true;
  }

  /**
   * Drops one reference to the frame of every non-zero user entry (exit, exec: the tables go next).
   * Hot path of exit: most entries are zero, so the tables are scanned two entries per read.
   */
  putAllFrames(directory: number): void {
    const words = this.pages.words;
    const pairs = this.pages.wordPairs;
    const buddy = this.pages.buddy;
    for (let i = 0; i < USER_TABLES; i++) {
      const pde = words[(directory >>> 2) + i]!;
      if ((pde & PTE_P) === 0) continue;
      const table = (pde & PTE_FRAME) >>> 2;
      for (let j = 0; j < 1024; j += 2) {
        if (pairs[(table + j) >>> 1] === 0) continue;
        const low = words[table + j]!;
        const high = words[table + j + 1]!;
        if (low !== 0) buddy.putPage((low & PTE_FRAME) >>> 0);
        if (high !== 0) buddy.putPage((high & PTE_FRAME) >>> 0);
      }
    }
  }

  /** Calls `visit(linear, pte)` for every non-zero PTE in [start, end). */
  forEachPte(directory: number, start: number, end: number, visit: (linear: number, pte: number) => void): void {
    const words = this.pages.words;
    for (let linear = start; linear < end;) {
      const pde = words[(directory >>> 2) + (linear >>> 22)]!;
      const tableEnd = Math.min(end, (Math.floor(linear / 0x400000) + 1) * 0x400000);
      if ((pde & PTE_P) === 0) { linear = tableEnd; continue; }
      const table = (pde & PTE_FRAME) >>> 2;
      for (; linear < tableEnd; linear += 4096) {
        const pte = words[table + ((linear >>> PAGE_SHIFT) & 0x3ff)]!;
        if (pte !== 0) visit(linear, pte >>> 0);
      }
    }
  }

  /** Frees the page tables and the directory (the mapped frames must already be released). */
  destroyDirectory(directory: number): void {
    // The directory's frame may come back as another directory: nothing cached for it may survive.
    this.pages.hooks.flushTlb(directory);
    const words = this.pages.words;
    for (let i = 0; i < 1024; i++) {
      const pde = words[(directory >>> 2) + i]!;
      if (pde & PTE_P) this.pages.buddy.freePages((pde & PTE_FRAME) >>> 0, 0);
    }
    this.pages.buddy.freePages(directory, 0);
  }
}
