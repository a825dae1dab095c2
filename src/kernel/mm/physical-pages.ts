/**
 * The kernel's view of RAM: byte and word views of the machine's buffer, the
 * buddy allocator and slab caches over it, and the vcpu hooks that must hear
 * about every page the kernel writes or hands out (decoded-code caches, TLB).
 */
import type { PhysicalMemory } from '../../hal/index.js';
import { BuddyAllocator, GFP_HIGHUSER, PAGE_SIZE } from './buddy.js';
import type { Zone } from './buddy.js';
import { SlabAllocator } from './slab.js';

/** The vcpu operations memory management needs (a subset of hal Vcpu). */
export interface MmuHooks {
  getCr3(): number;
  /** Drops the translation of `linear` cached for the address space whose directory is `cr3` (the current one by default). */
  invalidatePage(linear: number, cr3?: number): void;
  /** Drops every cached translation, or those of the address space whose directory is `cr3`. */
  flushTlb(cr3?: number): void;
  invalidatePhysicalPage(physical: number): void;
}

const ZERO_PAGE = new Uint8Array(PAGE_SIZE);

export class PhysicalPages {
  readonly bytes: Uint8Array;
  /** Little-endian host assumed (x86, ARM): page-table words are read natively. */
  readonly words: Uint32Array;
  /** Pairs of words as doubles: a scan for non-zero page-table entries reads half as often (a pair is non-zero unless both words are 0, or the pair is -0.0 — an entry 0x80000000 with no flag, which the kernel never writes). */
  readonly wordPairs: Float64Array;
  readonly buddy: BuddyAllocator;
  readonly slab: SlabAllocator;

  constructor(memory: PhysicalMemory, readonly hooks: MmuHooks) {
    this.bytes = new Uint8Array(memory.buffer, 0, memory.size);
    this.words = new Uint32Array(memory.buffer, 0, memory.size >>> 2);
    this.wordPairs = new Float64Array(memory.buffer, 0, memory.size >>> 3);
    this.buddy = new BuddyAllocator(memory.size, memory.map);
    this.slab = new SlabAllocator(this.buddy);
  }

  /** A zeroed page, or -1. The vcpu forgets any code it decoded from the frame's previous life. */
  allocZeroedPage(zones: readonly Zone[] = GFP_HIGHUSER): number {
    const page = this.buddy.allocPage(zones);
    if (page < 0) return -1;
    // Hot path (page tables, demand-zero faults): fill() on a view of shared memory stores byte by byte; set() copies in bulk (~6x faster).
    this.bytes.set(ZERO_PAGE, page);
    this.hooks.invalidatePhysicalPage(page);
    return page;
  }

  /** The 4096 bytes of a frame. */
  page(physical: number): Uint8Array {
    return this.bytes.subarray(physical, physical + PAGE_SIZE);
  }
}
