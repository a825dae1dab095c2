/**
 * kmalloc / kfree / krealloc: size-class slab caches (8 .. 2048 bytes) over
 * single pages from the buddy allocator; larger requests take whole page blocks.
 * Returns physical addresses of RAM, so kernel bulk data is counted in memory
 * figures. Slab bookkeeping (free object lists) is host metadata.
 * Interface: kmalloc(size) → address or -1; kfree(address); krealloc; slabinfo().
 */
import { assert, panic } from '../../base/assert.js';
import { BuddyAllocator, GFP_KERNEL, PAGE_SHIFT, PAGE_SIZE } from './buddy.js';

const SIZE_CLASSES = [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048] as const;

interface Slab {
  readonly page: number;
  readonly cache: SlabCache;
  readonly free: number[];
}

export interface SlabCache {
  readonly name: string;
  readonly objectSize: number;
  readonly objectsPerSlab: number;
  readonly partial: Set<Slab>;
  activeObjects: number;
  slabCount: number;
}

export class SlabAllocator {
  private readonly caches: SlabCache[];
  /** pfn → slab for kfree of small objects; pfn → order for large ones. */
  private readonly slabs = new Map<number, Slab>();
  private readonly large = new Map<number, { order: number; size: number }>();

  constructor(private readonly buddy: BuddyAllocator) {
    this.caches = SIZE_CLASSES.map((size) => ({
      name: `kmalloc-${size}`, objectSize: size, objectsPerSlab: Math.floor(PAGE_SIZE / size),
      partial: new Set<Slab>(), activeObjects: 0, slabCount: 0,
    }));
  }

  /** Returns a physical address of at least `size` bytes, or -1 when memory is exhausted. */
  kmalloc(size: number): number {
    assert(size > 0, 'kmalloc(0)');
    const cache = this.caches.find((c) => c.objectSize >= size);
    if (!cache) {
      let order = 0;
      while (PAGE_SIZE << order < size) order++;
      const address = this.buddy.allocPages(order, GFP_KERNEL);
      if (address < 0) return -1;
      this.large.set(address >>> PAGE_SHIFT, { order, size });
      return address;
    }
    let slab = cache.partial.values().next().value;
    if (!slab) {
      const page = this.buddy.allocPage(GFP_KERNEL);
      if (page < 0) return -1;
      const free: number[] = [];
      for (let i = cache.objectsPerSlab - 1; i >= 0; i--) free.push(page + i * cache.objectSize);
      slab = { page, cache, free };
      this.slabs.set(page >>> PAGE_SHIFT, slab);
      cache.partial.add(slab);
      cache.slabCount++;
    }
    const address = slab.free.pop()!;
    if (slab.free.length === 0) cache.partial.delete(slab);
    cache.activeObjects++;
    return address;
  }

  kfree(address: number): void {
    const pfn = address >>> PAGE_SHIFT;
    const large = this.large.get(pfn);
    if (large) {
      this.large.delete(pfn);
      this.buddy.freePages(address, large.order);
      return;
    }
    const slab = this.slabs.get(pfn);
    if (!slab) panic(`kfree of unknown address ${address}`);
    const cache = slab.cache;
    if (!((address - slab.page) % cache.objectSize === 0 && !slab.free.includes(address))) panic(`kfree: bad or double free ${address}`);
    slab.free.push(address);
    cache.activeObjects--;
    if (slab.free.length === cache.objectsPerSlab) {
      // An empty slab goes back to the buddy allocator at once (no per-cache reserve yet).
      cache.partial.delete(slab);
      this.slabs.delete(pfn);
      cache.slabCount--;
      this.buddy.freePages(slab.page, 0);
    } else {
      cache.partial.add(slab);
    }
  }

  /** The usable size of an allocation (ksize). */
  ksize(address: number): number {
    const large = this.large.get(address >>> PAGE_SHIFT);
    if (large) return PAGE_SIZE << large.order;
    const slab = this.slabs.get(address >>> PAGE_SHIFT);
    if (!slab) panic(`ksize of unknown address ${address}`);
    return slab.cache.objectSize;
  }

  /** Grows or shrinks an allocation, copying the contents through `ram`; returns the new address or -1 (old one kept). */
  krealloc(address: number, size: number, ram: Uint8Array): number {
    if (address < 0) return this.kmalloc(size);
    const old = this.ksize(address);
    if (size <= old) return address;
    const fresh = this.kmalloc(size);
    if (fresh < 0) return -1;
    ram.copyWithin(fresh, address, address + old);
    this.kfree(address);
    return fresh;
  }

  /** /proc/slabinfo rows: name, active objects, total objects, object size, slabs. */
  slabinfo(): { name: string; active: number; total: number; objectSize: number; slabs: number }[] {
    return this.caches.map((c) => ({
      name: c.name, active: c.activeObjects, total: c.slabCount * c.objectsPerSlab, objectSize: c.objectSize, slabs: c.slabCount,
    }));
  }
}
