/**
 * The page cache of files on disk filesystems (Linux's struct address_space per inode, and the
 * global cache that counts, writes back and reclaims them). FilePages holds one file's pages in
 * frames from the buddy allocator; mappings map those frames (MAP_SHARED writable after a write
 * notification, MAP_PRIVATE read-only until copy-on-write). read(2) sees cached pages first and
 * write(2) goes through to the filesystem and into the cached pages (`copyIn`), so the cache never
 * disagrees with the file. Stores through shared mappings dirty pages; `writeback` writes them to
 * the filesystem (fsync, msync, sync, the last munmap, the periodic flusher) and write-protects
 * their mappings again. Pages enter the cache when a mapping faults them in; read and write of
 * pages no mapping asked for go to the filesystem, whose blocks the block cache below already holds.
 * Interface: cache.create(backing) → FilePages; pages.source(name) → PageSource.
 * Invariant: a cached page's frame holds one reference for the cache; more references are mappings.
 */
import { EIO, ENOMEM } from '../lib/index.js';
import { PAGE_SIZE } from './buddy.js';
import type { PhysicalPages } from './physical-pages.js';
import { ReverseMap } from './reverse-map.js';
import type { MappedFile, PageSource } from './vma.js';

/** What a filesystem gives the cache for one file. */
export interface FileBacking {
  /** The file's size in bytes now. */
  size(): number;
  /** Reads the file's bytes at `offset` into `into` (at most one page); returns bytes read (0 at the end) or -errno. */
  read(offset: number, into: Uint8Array): number;
  /** Writes `data` at `offset` (never past the size); 0 or -errno. */
  write(offset: number, data: Uint8Array): number;
  /** Makes written data durable (fsync); 0 or -errno. */
  sync(): number;
  /** The file stays alive while mapped (an unlinked file's data lives until the last mapping goes). */
  hold(): void;
  release(): void;
}

interface CachedPage {
  readonly frame: number;
  dirty: boolean;
}

/** A page past the end of the file: the fault handler makes every errno but ENOMEM a SIGBUS. */
const PAST_END = -EIO;

export class PageCache {
  /** Files that have cached pages, so that counting, write-back and reclaim visit only those. */
  readonly files = new Set<FilePages>();
  /** Called when a page becomes dirty (arms the periodic write-back). */
  onDirty: () => void = () => undefined;

  constructor(readonly physical: PhysicalPages) {}

  create(backing: FileBacking): FilePages {
    return new FilePages(this, backing);
  }

  /** /proc/meminfo Cached and Dirty. */
  get cachedPages(): number { let n = 0; for (const file of this.files) n += file.cachedPages; return n; }
  get dirtyPages(): number { let n = 0; for (const file of this.files) n += file.dirtyPages; return n; }

  /** The periodic flusher and sync(2): every dirty page to its filesystem; 0 or the first error. */
  writebackAll(): number {
    let status = 0;
    for (const file of [...this.files]) {
      const result = file.writeback();
      if (status === 0) status = result;
    }
    return status;
  }

  /**
   * Frees up to `count` clean pages, those no mapping uses first (dirty ones are written back
   * first), then clean ones that mappings let go of; returns how many.
   */
  reclaim(count: number): number {
    let freed = 0;
    for (const unmap of [false, true]) {
      for (const file of [...this.files]) {
        if (freed >= count) return freed;
        freed += file.reclaim(count - freed, unmap);
      }
    }
    return freed;
  }
}

export class FilePages {
  private readonly pages = new Map<number, CachedPage>();
  /** Address spaces mapping the file. */
  private readonly mappings = new ReverseMap();
  /** A write-back error not yet reported (AS_EIO / AS_ENOSPC): fsync or msync reports it once. */
  private error = 0;

  constructor(private readonly cache: PageCache, private readonly backing: FileBacking) {}

  get cachedPages(): number { return this.pages.size; }
  get dirtyPages(): number { let n = 0; for (const page of this.pages.values()) if (page.dirty) n++; return n; }
  /** Whether any VMA maps the file. */
  get mapped(): boolean { return this.mappings.mapped; }

  /** The frame of page `index`, read from the file on a miss; -ENOMEM, or another errno past the end or on an I/O error. */
  page(index: number): number {
    const cached = this.pages.get(index);
    if (cached) return cached.frame;
    const offset = index * PAGE_SIZE;
    // mm/filemap.c filemap_fault: a page wholly past the end of the file is SIGBUS.
    if (offset >= this.backing.size()) return PAST_END;
    const physical = this.cache.physical;
    let frame = physical.allocZeroedPage();
    if (frame < 0 && this.cache.reclaim(16) > 0) frame = physical.allocZeroedPage();
    if (frame < 0) return -ENOMEM;
    const read = this.backing.read(offset, physical.bytes.subarray(frame, frame + PAGE_SIZE));
    if (read < 0) {
      physical.buddy.putPage(frame);
      return read === -ENOMEM ? -EIO : read;
    }
    physical.hooks.invalidatePhysicalPage(frame);
    this.pages.set(index, { frame, dirty: false });
    this.cache.files.add(this);
    return frame;
  }

  /** A store through a shared mapping is about to happen (page_mkwrite): the page becomes dirty. */
  markDirty(index: number): number {
    const page = this.pages.get(index);
    if (!page) return PAST_END;
    if (!page.dirty) {
      page.dirty = true;
      this.cache.onDirty();
    }
    return 0;
  }

  /** read(2): overlays the cached pages on `out`, which holds the file's bytes from `position` as the filesystem has them. */
  copyOut(position: number, out: Uint8Array): void {
    if (this.pages.size === 0) return;
    const bytes = this.cache.physical.bytes;
    this.forEachPiece(position, out.length, (page, within, done, length) => {
      out.set(bytes.subarray(page.frame + within, page.frame + within + length), done);
    });
  }

  /** write(2) went to the filesystem: the cached pages take the same bytes, so every mapping sees them. */
  copyIn(position: number, data: Uint8Array): void {
    if (this.pages.size === 0) return;
    const physical = this.cache.physical;
    this.forEachPiece(position, data.length, (page, within, done, length) => {
      physical.bytes.set(data.subarray(done, done + length), page.frame + within);
      physical.hooks.invalidatePhysicalPage(page.frame);
    });
  }

  /**
   * The size changed from `oldSize` to `newSize` (truncate, or a write past the end): pages past
   * the new end leave every mapping and the cache (a later access is SIGBUS), and the part of the
   * end page past the end is zeroed (truncate_pagecache, pagecache_isize_extended).
   */
  resize(oldSize: number, newSize: number): void {
    if (this.pages.size === 0) return;
    const physical = this.cache.physical;
    if (newSize < oldSize) {
      const keep = Math.ceil(newSize / PAGE_SIZE);
      this.mappings.unmapFrom(this, keep);
      for (const [index, page] of [...this.pages]) {
        if (index < keep) continue;
        this.pages.delete(index);
        physical.buddy.putPage(page.frame);
      }
    }
    const edge = Math.min(oldSize, newSize);
    const tail = this.pages.get(Math.floor(edge / PAGE_SIZE));
    if (tail && edge % PAGE_SIZE !== 0) {
      physical.bytes.fill(0, tail.frame + (edge % PAGE_SIZE), tail.frame + PAGE_SIZE);
      physical.hooks.invalidatePhysicalPage(tail.frame);
    }
    if (this.pages.size === 0) this.cache.files.delete(this);
  }

  /**
   * Writes dirty pages to the filesystem (up to the file's size) and write-protects their shared
   * mappings; returns 0, or the first error since the last report (reported once, as Linux's errseq).
   */
  writeback(): number {
    const cleaned = new Set<number>();
    const size = this.backing.size();
    const bytes = this.cache.physical.bytes;
    for (const [index, page] of this.pages) {
      if (!page.dirty) continue;
      page.dirty = false;
      cleaned.add(index);
      const length = Math.min(PAGE_SIZE, size - index * PAGE_SIZE);
      if (length <= 0) continue;
      const status = this.backing.write(index * PAGE_SIZE, bytes.slice(page.frame, page.frame + length));
      if (status < 0 && this.error === 0) this.error = status;
    }
    this.mappings.clean(this, cleaned);
    const error = this.error;
    this.error = 0;
    return error;
  }

  /** fsync / msync(MS_SYNC): write-back, then the filesystem makes it durable. */
  sync(): number {
    const written = this.writeback();
    const synced = this.backing.sync();
    return written < 0 ? written : synced;
  }

  /**
   * Frees up to `count` clean pages: first those no mapping uses (dirty unmapped ones are written
   * back first), then, when `unmap`, mapped ones after write-back and after their mappings let go
   * (mm/vmscan.c pageout and try_to_unmap; the next access faults the page in again).
   */
  reclaim(count: number, unmap = false): number {
    const buddy = this.cache.physical.buddy;
    if (this.dirtyPages > 0 && (unmap || !this.mapped)) this.writeback();
    let freed = 0;
    for (const [index, page] of [...this.pages]) {
      if (freed >= count) break;
      if (page.dirty) continue;
      if (buddy.pageRefcount(page.frame) > 1) {
        if (!unmap) continue;
        this.mappings.unmapPage(this, index, page.frame);
        if (buddy.pageRefcount(page.frame) > 1) continue;
      }
      this.pages.delete(index);
      buddy.putPage(page.frame);
      freed++;
    }
    if (this.pages.size === 0) this.cache.files.delete(this);
    return freed;
  }

  /** The file is gone (evict): every page goes back to the allocator; nothing is written. */
  drop(): void {
    for (const page of this.pages.values()) this.cache.physical.buddy.putPage(page.frame);
    this.pages.clear();
    this.cache.files.delete(this);
  }

  /** The file's pages as a mmap/exec page source; `file` is what /proc/PID/maps shows of it. */
  source(name: string, file?: MappedFile): PageSource {
    return {
      name,
      owner: this,
      file,
      readAt: (offset, dest) => {
        const read = this.backing.read(offset, dest);
        if (read > 0) this.copyOut(offset, dest.subarray(0, read));
        return read;
      },
      sharedPage: (index) => this.page(index),
      privatePage: (index) => this.page(index),
      dirtyPage: (index) => this.markDirty(index),
      writeback: (durable) => (durable ? this.sync() : this.writeback()),
      hold: (space) => {
        this.mappings.add(space);
        this.backing.hold();
      },
      release: (space) => {
        this.mappings.remove(space);
        // The last mapping gone: its stores reach the filesystem now rather than at the next flush.
        if (!this.mapped && this.dirtyPages > 0) this.writeback();
        this.backing.release();
      },
    };
  }

  private forEachPiece(position: number, length: number, visit: (page: CachedPage, within: number, done: number, length: number) => void): void {
    for (let done = 0; done < length;) {
      const at = position + done;
      const within = at % PAGE_SIZE;
      const piece = Math.min(length - done, PAGE_SIZE - within);
      const page = this.pages.get(Math.floor(at / PAGE_SIZE));
      if (page) visit(page, within, done, piece);
      done += piece;
    }
  }
}
