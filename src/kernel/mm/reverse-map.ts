/**
 * The reverse map of one mapped object (Linux's i_mmap): which address spaces map it and with how
 * many VMAs, so that truncate and write-back reach the page-table entries of every mapping.
 * The object's page sources call add/remove from their hold/release.
 */
import type { MappingSpace } from './vma.js';

export class ReverseMap {
  private readonly spaces = new Map<MappingSpace, number>();

  /** Whether any VMA maps the object. */
  get mapped(): boolean { return this.spaces.size > 0; }

  add(space: MappingSpace): void {
    this.spaces.set(space, (this.spaces.get(space) ?? 0) + 1);
  }

  remove(space: MappingSpace): void {
    const count = (this.spaces.get(space) ?? 0) - 1;
    if (count > 0) this.spaces.set(space, count);
    else this.spaces.delete(space);
  }

  /** Truncate: every mapping drops `owner`'s pages from `fromIndex` on (a later access is SIGBUS). */
  unmapFrom(owner: object, fromIndex: number): void {
    for (const space of this.spaces.keys()) space.unmapFilePages(owner, fromIndex);
  }

  /** Reclaim: every mapping lets go of the cached page `frame` (a later access faults it in again). */
  unmapPage(owner: object, index: number, frame: number): void {
    for (const space of this.spaces.keys()) space.unmapFilePage(owner, index, frame);
  }

  /** After write-back: shared mappings of the pages in `indices` become read-only until the next store. */
  clean(owner: object, indices: ReadonlySet<number>): void {
    if (indices.size === 0) return;
    for (const space of this.spaces.keys()) space.cleanFilePages(owner, indices);
  }
}
