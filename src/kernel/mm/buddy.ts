/**
 * The physical page allocator: a binary buddy system (Knuth TAOCP 1 §2.5) with
 * orders 0..10 over zones DMA (< 16 MiB), NORMAL (< 896 MiB) and HIGHMEM, built
 * from the usable ranges of the e820 map. Each page frame has a reference count
 * (COW sharing, pipe and file pages); `putPage` frees a frame when it drops to 0.
 * Interface: allocPages(order, zones) → physical address or -1, freePages, getPage/putPage.
 * Invariant: a free block of order k starts at a pfn that is a multiple of 2^k.
 */
import type { E820Entry } from '../../hal/index.js';
import { E820Type } from '../../hal/index.js';
import { panic } from '../../base/assert.js';

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const MAX_ORDER = 10;

export const Zone = { DMA: 0, NORMAL: 1, HIGHMEM: 2 } as const;
export type Zone = (typeof Zone)[keyof typeof Zone];
export const zoneNames = ['DMA', 'Normal', 'HighMem'] as const;

/** Zone fallback lists, as Linux's GFP flags choose them. */
export const GFP_KERNEL: readonly Zone[] = [Zone.NORMAL, Zone.DMA];
export const GFP_HIGHUSER: readonly Zone[] = [Zone.HIGHMEM, Zone.NORMAL, Zone.DMA];
export const GFP_DMA: readonly Zone[] = [Zone.DMA];

const DMA_LIMIT_PFN = (16 << 20) >>> PAGE_SHIFT;
const NORMAL_LIMIT_PFN = (896 << 20) >>> PAGE_SHIFT;
const NOT_FREE = -1;
const NIL = -1;

export function zoneOf(pfn: number): Zone {
  return pfn < DMA_LIMIT_PFN ? Zone.DMA : pfn < NORMAL_LIMIT_PFN ? Zone.NORMAL : Zone.HIGHMEM;
}

export class BuddyAllocator {
  readonly pageCount: number;
  /** Order of the free block starting at this pfn, or NOT_FREE. */
  private readonly freeOrder: Int8Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  /** Per zone, per order: head pfn of the free list. */
  private readonly heads: Int32Array[];
  /** Per zone, per order: number of free blocks (/proc/buddyinfo). */
  readonly freeBlocks: Int32Array[];
  readonly refcount: Uint16Array;
  /** Usable page frames per zone (present_pages). */
  readonly presentPages = [0, 0, 0];
  private freeCount = 0;

  constructor(memorySize: number, map: readonly E820Entry[]) {
    this.pageCount = Math.floor(memorySize / PAGE_SIZE);
    this.freeOrder = new Int8Array(this.pageCount).fill(NOT_FREE);
    this.next = new Int32Array(this.pageCount).fill(NIL);
    this.prev = new Int32Array(this.pageCount).fill(NIL);
    this.refcount = new Uint16Array(this.pageCount);
    this.heads = [0, 1, 2].map(() => new Int32Array(MAX_ORDER + 1).fill(NIL));
    this.freeBlocks = [0, 1, 2].map(() => new Int32Array(MAX_ORDER + 1));
    for (const entry of map) {
      if (entry.type !== E820Type.Usable) continue;
      // Usable ranges shrink inward to whole pages; page 0 stays reserved (real-mode IVT, and a null frame).
      let first = Math.max(1, Math.ceil(entry.base / PAGE_SIZE));
      const end = Math.min(this.pageCount, Math.floor((entry.base + entry.length) / PAGE_SIZE));
      while (first < end) {
        // The largest aligned block that fits and does not cross a zone boundary.
        let order = MAX_ORDER;
        while (order > 0 && ((first & ((1 << order) - 1)) !== 0 || first + (1 << order) > end
          || zoneOf(first) !== zoneOf(first + (1 << order) - 1))) order--;
        this.presentPages[zoneOf(first)] += 1 << order;
        this.freeBlock(first, order);
        first += 1 << order;
      }
    }
  }

  get freePageCount(): number { return this.freeCount; }
  get totalPageCount(): number { return this.presentPages[0]! + this.presentPages[1]! + this.presentPages[2]!; }

  /** Allocates 2^order contiguous frames from the first zone in `zones` that has them; returns a physical address or -1. */
  allocPages(order: number, zones: readonly Zone[] = GFP_HIGHUSER): number {
    if (!(order >= 0 && order <= MAX_ORDER)) panic(`bad order ${order}`);
    for (const zone of zones) {
      const heads = this.heads[zone]!;
      for (let current = order; current <= MAX_ORDER; current++) {
        const pfn = heads[current]!;
        if (pfn === NIL) continue;
        this.unlink(zone, pfn, current);
        // Split: return the upper halves to the lower orders (expand() in mm/page_alloc.c).
        for (let split = current; split > order; split--) this.link(zone, pfn + (1 << (split - 1)), split - 1);
        for (let i = 0; i < 1 << order; i++) this.refcount[pfn + i] = 1;
        this.freeCount -= 1 << order;
        return pfn * PAGE_SIZE;
      }
    }
    return -1;
  }

  allocPage(zones: readonly Zone[] = GFP_HIGHUSER): number {
    return this.allocPages(0, zones);
  }

  /** Frees a block previously returned by allocPages with the same order. */
  freePages(physical: number, order: number): void {
    const pfn = physical >>> PAGE_SHIFT;
    if (!(pfn > 0 && pfn < this.pageCount && (physical & (PAGE_SIZE - 1)) === 0)) panic(`freePages: bad address ${physical}`);
    if (!(this.freeOrder[pfn] === NOT_FREE)) panic(`freePages: double free of pfn ${pfn}`);
    for (let i = 0; i < 1 << order; i++) this.refcount[pfn + i] = 0;
    this.freeBlock(pfn, order);
  }

  /** Takes another reference to a frame (COW sharing). */
  getPage(physical: number): void {
    const pfn = physical >>> PAGE_SHIFT;
    if (!(this.refcount[pfn]! > 0)) panic(`getPage on free pfn ${pfn}`);
    this.refcount[pfn]!++;
  }

  /** Drops a reference; the frame is freed when none remain. */
  putPage(physical: number): void {
    const pfn = physical >>> PAGE_SHIFT;
    const count = this.refcount[pfn]!;
    if (!(count > 0)) panic(`putPage on free pfn ${pfn}`);
    if (count === 1) this.freePages(pfn * PAGE_SIZE, 0);
    else this.refcount[pfn] = count - 1;
  }

  pageRefcount(physical: number): number {
    return this.refcount[physical >>> PAGE_SHIFT]!;
  }

  /** /proc/buddyinfo: one line per zone with present pages, free blocks per order. */
  buddyinfo(): string {
    const lines: string[] = [];
    for (let zone = 0; zone < 3; zone++) {
      if (this.presentPages[zone] === 0) continue;
      const counts = Array.from(this.freeBlocks[zone]!, (n) => String(n).padStart(6)).join(' ');
      lines.push(`Node 0, zone ${zoneNames[zone]!.padStart(8)} ${counts}`);
    }
    return lines.join('\n') + '\n';
  }

  private freeBlock(pfn: number, order: number): void {
    const zone = zoneOf(pfn);
    this.freeCount += 1 << order;
    // Merge with the buddy while it is a free block of the same order (__free_one_page).
    while (order < MAX_ORDER) {
      const buddy = pfn ^ (1 << order);
      if (buddy >= this.pageCount || this.freeOrder[buddy] !== order || zoneOf(buddy) !== zone) break;
      this.unlink(zone, buddy, order);
      pfn = Math.min(pfn, buddy);
      order++;
    }
    this.link(zone, pfn, order);
  }

  private link(zone: number, pfn: number, order: number): void {
    const heads = this.heads[zone]!;
    const head = heads[order]!;
    this.next[pfn] = head;
    this.prev[pfn] = NIL;
    if (head !== NIL) this.prev[head] = pfn;
    heads[order] = pfn;
    this.freeOrder[pfn] = order;
    this.freeBlocks[zone]![order]!++;
  }

  private unlink(zone: number, pfn: number, order: number): void {
    const next = this.next[pfn]!;
    const prev = this.prev[pfn]!;
    if (prev !== NIL) this.next[prev] = next;
    else this.heads[zone]![order] = next;
    if (next !== NIL) this.prev[next] = prev;
    this.freeOrder[pfn] = NOT_FREE;
    this.freeBlocks[zone]![order]!--;
  }
}
