/**
 * An address space (Linux's mm_struct): the sorted VMAs, the page directory
 * they fault into, and the heap (brk) and mmap layout of the i386 user half.
 * Faults fill pages lazily: demand-zero, file-backed private copies, and
 * copy-on-write of pages shared after fork (page reference counts).
 * Every change to a PTE of the active address space invalidates its TLB entry.
 */
import { EACCES, ENOMEM, EINVAL, EEXIST } from '../lib/index.js';
import { PAGE_SIZE } from './buddy.js';
import { PageTables, PTE_FRAME, PTE_P, PTE_PROTNONE, PTE_RW, PTE_US, TASK_SIZE } from './page-table.js';
import type { PhysicalPages } from './physical-pages.js';
import type { MappingSpace, PageSource, Vma } from './vma.js';
import { cloneVma, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_GROWSDOWN, MAP_SHARED, PROT_EXEC, PROT_READ, PROT_WRITE, splitVma } from './vma.js';

export const STACK_TOP = TASK_SIZE;
/** Below the stack's rlimit gap (mm/util.c mmap_base: at least 128 MiB below TASK_SIZE). */
export const MMAP_BASE = TASK_SIZE - 128 * 1024 * 1024;
export const MMAP_MIN_ADDR = 0x10000;
export const STACK_LIMIT = 8 * 1024 * 1024;

/** Outcome of a page fault: handled, the si_code of the SIGSEGV it becomes, out of memory, or SIGBUS (a file page past its end). */
export const Fault = { Handled: 0, MapError: 1, AccessError: 2, OutOfMemory: 3, BusError: 4 } as const;
export type Fault = (typeof Fault)[keyof typeof Fault];

export const pageFloor = (x: number): number => Math.floor(x / PAGE_SIZE) * PAGE_SIZE;
export const pageCeil = (x: number): number => Math.ceil(x / PAGE_SIZE) * PAGE_SIZE;

export class AddressSpace implements MappingSpace {
  readonly vmas: Vma[] = [];
  readonly directory: number;
  brkStart = 0;
  brk = 0;
  /** Where exec put argv and envp strings and the initial stack pointer (mm_struct's arg_start...; /proc/PID/cmdline, environ, stat). */
  argStart = 0;
  argEnd = 0;
  envStart = 0;
  envEnd = 0;
  startStack = 0;
  private readonly tables: PageTables;

  /** Use AddressSpace.create, which can fail with ENOMEM. */
  private constructor(readonly pages: PhysicalPages, directory: number) {
    this.tables = new PageTables(pages);
    this.directory = directory;
  }

  static create(pages: PhysicalPages): AddressSpace | null {
    const directory = new PageTables(pages).createDirectory();
    return directory < 0 ? null : new AddressSpace(pages, directory);
  }

  get active(): boolean { return this.pages.hooks.getCr3() === this.directory; }

  findVma(address: number): Vma | undefined {
    // Few VMAs per process (tens): a linear scan beats a tree here.
    for (const vma of this.vmas) if (address >= vma.start && address < vma.end) return vma;
    return undefined;
  }

  /** Maps [start, start+length) (page-aligned). Replaces what was there when fixed. */
  map(start: number, length: number, prot: number, flags: number, source: PageSource | null, offset: number, name = ''): number {
    const end = start + length;
    if (start < 0 || end > TASK_SIZE || end <= start) return -ENOMEM;
    this.unmap(start, length);
    const vma: Vma = { start, end, prot, flags, source, offset, fileLimit: TASK_SIZE, name };
    let index = this.vmas.findIndex((v) => v.start >= end);
    if (index < 0) index = this.vmas.length;
    this.vmas.splice(index, 0, vma);
    source?.hold?.(this);
    return start;
  }

  /** Chooses an address for mmap: the hint if free, else top-down below MMAP_BASE (unmapped_area_topdown). */
  findFreeArea(hint: number, length: number, flags: number): number {
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
      if (hint % PAGE_SIZE !== 0 || hint + length > TASK_SIZE) return -EINVAL;
      if (flags & MAP_FIXED_NOREPLACE && !this.isFree(hint, length)) return -EEXIST;
      return hint;
    }
    if (hint && hint >= MMAP_MIN_ADDR) {
      const aligned = pageCeil(hint);
      if (aligned + length <= TASK_SIZE && this.isFree(aligned, length)) return aligned;
    }
    let high = MMAP_BASE;
    for (let i = this.vmas.length - 1; i >= 0; i--) {
      const vma = this.vmas[i]!;
      if (vma.start >= high) continue;
      if (vma.end <= high && high - vma.end >= length) return high - length;
      high = Math.min(high, vma.start);
    }
    return high - MMAP_MIN_ADDR >= length ? high - length : -ENOMEM;
  }

  isFree(start: number, length: number): boolean {
    return !this.vmas.some((v) => v.start < start + length && v.end > start);
  }

  /** Removes mappings in [start, start+length), splitting VMAs and releasing frames. */
  unmap(start: number, length: number): void {
    const end = start + length;
    this.splitAt(start);
    this.splitAt(end);
    const removed: Vma[] = [];
    for (let i = this.vmas.length - 1; i >= 0; i--) {
      const vma = this.vmas[i]!;
      if (vma.start >= start && vma.end <= end) removed.push(...this.vmas.splice(i, 1));
    }
    this.releasePages(start, end);
    for (const vma of removed) vma.source?.release?.(this);
  }

  /** Changes protections of [start, start+length); ENOMEM if part of the range is unmapped, EACCES to write a read-only shared file (mprotect(2)). */
  protect(start: number, length: number, prot: number): number {
    const end = start + length;
    for (let address = start; address < end;) {
      const vma = this.findVma(address);
      if (!vma) return -ENOMEM;
      if (prot & PROT_WRITE && vma.mayWrite === false) return -EACCES;
      address = vma.end;
    }
    this.splitAt(start);
    this.splitAt(end);
    for (const vma of this.vmas) if (vma.start >= start && vma.end <= end) vma.prot = prot;
    this.tables.forEachPte(this.directory, start, end, (linear, pte) => {
      const frame = (pte & PTE_FRAME) >>> 0;
      let next: number;
      if ((prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) === 0) next = frame | PTE_PROTNONE;
      else {
        // Writable only if the frame is ours alone (a COW-shared frame stays read-only) or the mapping is MAP_SHARED
        // (where a page that must notify its first store stays read-only until it is dirty).
        const vma = this.findVma(linear);
        const isShared = vma !== undefined && (vma.flags & MAP_SHARED) !== 0 && vma.source?.sharedPage !== undefined;
        const sharedWritable = isShared && (vma.source?.dirtyPage === undefined || (pte & PTE_RW) !== 0);
        const writable = (prot & PROT_WRITE) !== 0 && (isShared ? sharedWritable : this.pages.buddy.pageRefcount(frame) === 1);
        next = frame | PTE_P | PTE_US | (writable ? PTE_RW : 0);
      }
      this.writePte(linear, next);
    });
    return 0;
  }

  /** Sets the program break (brk(2)): returns the new break, or the old one when the request fails. */
  setBrk(requested: number): number {
    if (requested < this.brkStart) return this.brk;
    const oldEnd = pageCeil(this.brk);
    const newEnd = pageCeil(requested);
    if (newEnd > oldEnd) {
      if (!this.isFree(oldEnd, newEnd - oldEnd)) return this.brk;
      const heap = this.vmas.find((v) => v.name === '[heap]' && v.end === oldEnd);
      if (heap) heap.end = newEnd;
      else this.map(oldEnd, newEnd - oldEnd, PROT_READ | PROT_WRITE, 0x02, null, 0, '[heap]');
    } else if (newEnd < oldEnd) {
      this.unmap(newEnd, oldEnd - newEnd);
    }
    this.brk = requested;
    return requested;
  }

  /**
   * Handles a page fault at `address` (Intel SDM 3A §4.7 error code bits: write = W).
   * Also used by uaccess, so the kernel touching user memory faults pages in as hardware would.
   */
  handleFault(address: number, write: boolean): Fault {
    let vma = this.findVma(address);
    if (!vma) {
      vma = this.growStack(address);
      if (!vma) return Fault.MapError;
    }
    if (write ? (vma.prot & PROT_WRITE) === 0 : (vma.prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) === 0) return Fault.AccessError;
    const page = pageFloor(address);
    const pte = this.tables.getPte(this.directory, page);
    const writable = (vma.prot & PROT_WRITE) !== 0;
    const source = vma.source;
    const pageIndex = (vma.offset + (page - vma.start)) / PAGE_SIZE;
    if ((vma.flags & MAP_SHARED) !== 0 && source?.sharedPage) {
      // MAP_SHARED (mm/shmem.c, mm/filemap.c): map the object's own page; writes reach the file and every other
      // mapping. A page whose source wants to hear of stores stays read-only until the first one (do_shared_fault).
      const mapWritable = writable && (write || !source.dirtyPage || (pte & PTE_RW) !== 0);
      if (pte & (PTE_P | PTE_PROTNONE)) {
        if (write && source.dirtyPage && source.dirtyPage(pageIndex) < 0) return Fault.BusError;
        this.writePte(page, ((pte & PTE_FRAME) >>> 0) | PTE_P | PTE_US | (mapWritable ? PTE_RW : 0));
        return Fault.Handled;
      }
      const frame = source.sharedPage(pageIndex);
      if (frame < 0) return frame === -ENOMEM || frame === -1 ? Fault.OutOfMemory : Fault.BusError;
      if (write && source.dirtyPage && source.dirtyPage(pageIndex) < 0) return Fault.BusError;
      this.pages.buddy.getPage(frame);
      if (!this.tables.setPte(this.directory, page, frame | PTE_P | PTE_US | (mapWritable ? PTE_RW : 0))) {
        this.pages.buddy.putPage(frame);
        return Fault.OutOfMemory;
      }
      return Fault.Handled;
    }
    if (pte & (PTE_P | PTE_PROTNONE)) {
      const frame = (pte & PTE_FRAME) >>> 0;
      if (!write || (pte & PTE_RW)) {
        // Spurious (another path mapped it) or a PROT_NONE page made accessible again.
        this.writePte(page, frame | PTE_P | PTE_US | (writable && this.pages.buddy.pageRefcount(frame) === 1 ? PTE_RW : 0));
        return Fault.Handled;
      }
      // Copy-on-write (mm/memory.c do_wp_page): reuse the frame if no one else holds it.
      if (this.pages.buddy.pageRefcount(frame) === 1) {
        this.writePte(page, frame | PTE_P | PTE_US | PTE_RW);
        return Fault.Handled;
      }
      const copy = this.pages.buddy.allocPage();
      if (copy < 0) return Fault.OutOfMemory;
      this.pages.bytes.copyWithin(copy, frame, frame + PAGE_SIZE);
      this.pages.hooks.invalidatePhysicalPage(copy);
      this.pages.buddy.putPage(frame);
      this.writePte(page, copy | PTE_P | PTE_US | PTE_RW);
      return Fault.Handled;
    }
    if (source?.privatePage && page + PAGE_SIZE <= vma.fileLimit && vma.offset % PAGE_SIZE === 0) return this.mapPrivateFilePage(source, pageIndex, page, write);
    const frame = this.pages.allocZeroedPage();
    if (frame < 0) return Fault.OutOfMemory;
    if (vma.source) {
      // A private copy at once: the source has no page cache, or the page ends in zeros (a segment's bss).
      const limit = Math.min(PAGE_SIZE, Math.max(0, vma.fileLimit - page));
      // A page wholly past the end of the file has nothing to map: SIGBUS (mm/filemap.c filemap_fault).
      if (limit > 0 && vma.source.readAt(vma.offset + (page - vma.start), this.pages.bytes.subarray(frame, frame + limit)) <= 0) {
        this.pages.buddy.freePages(frame, 0);
        return Fault.BusError;
      }
      this.pages.hooks.invalidatePhysicalPage(frame);
    }
    if (!this.tables.setPte(this.directory, page, frame | PTE_P | PTE_US | (writable ? PTE_RW : 0))) {
      this.pages.buddy.freePages(frame, 0);
      return Fault.OutOfMemory;
    }
    return Fault.Handled;
  }

  /**
   * A private file page not yet mapped (mm/memory.c do_read_fault / do_cow_fault): a read maps the
   * page cache's frame read-only, so the mapping follows the file until its first store copies it.
   */
  private mapPrivateFilePage(source: PageSource, pageIndex: number, page: number, write: boolean): Fault {
    const cached = source.privatePage!(pageIndex);
    if (cached < 0) return cached === -ENOMEM ? Fault.OutOfMemory : Fault.BusError;
    let frame = cached;
    if (write) {
      frame = this.pages.buddy.allocPage();
      if (frame < 0) return Fault.OutOfMemory;
      this.pages.bytes.copyWithin(frame, cached, cached + PAGE_SIZE);
      this.pages.hooks.invalidatePhysicalPage(frame);
    } else {
      this.pages.buddy.getPage(frame);
    }
    if (!this.tables.setPte(this.directory, page, frame | PTE_P | PTE_US | (write ? PTE_RW : 0))) {
      this.pages.buddy.putPage(frame);
      return Fault.OutOfMemory;
    }
    return Fault.Handled;
  }

  /** Implements MappingSpace: unmaps `owner`'s pages from `fromIndex` on (truncate), private copies included. */
  unmapFilePages(owner: object, fromIndex: number): void {
    for (const vma of [...this.vmas]) {
      if (vma.source?.owner !== owner) continue;
      const start = Math.max(vma.start, vma.start + fromIndex * PAGE_SIZE - vma.offset);
      if (start < vma.end) this.releasePages(start, vma.end);
    }
  }

  /** Implements MappingSpace: unmaps the entries mapping `frame` as `owner`'s page `index` (reclaim of a clean cached page). */
  unmapFilePage(owner: object, index: number, frame: number): void {
    for (const vma of this.vmas) {
      if (vma.source?.owner !== owner) continue;
      const address = vma.start + index * PAGE_SIZE - vma.offset;
      if (address < vma.start || address >= vma.end) continue;
      const pte = this.tables.getPte(this.directory, address);
      if (pte & (PTE_P | PTE_PROTNONE) && ((pte & PTE_FRAME) >>> 0) === frame) this.releasePages(address, address + PAGE_SIZE);
    }
  }

  /** Implements MappingSpace: write-protects shared mappings of `owner`'s pages in `indices` (after write-back). */
  cleanFilePages(owner: object, indices: ReadonlySet<number>): void {
    for (const vma of this.vmas) {
      if (vma.source?.owner !== owner || (vma.flags & MAP_SHARED) === 0) continue;
      const protect: [number, number][] = [];
      this.tables.forEachPte(this.directory, vma.start, vma.end, (linear, pte) => {
        if (pte & PTE_RW && indices.has((vma.offset + linear - vma.start) / PAGE_SIZE)) protect.push([linear, pte & ~PTE_RW]);
      });
      for (const [linear, pte] of protect) this.writePte(linear, pte);
    }
  }

  /** Translates a user address for the kernel with user permissions; -1 if not accessible without a fault. */
  translate(address: number, write: boolean): number {
    const pte = this.tables.getPte(this.directory, address);
    if ((pte & (PTE_P | PTE_US)) !== (PTE_P | PTE_US) || (write && (pte & PTE_RW) === 0)) return -1;
    return ((pte & PTE_FRAME) >>> 0) + (address & (PAGE_SIZE - 1));
  }

  /** Moves the pages mapped in [from, from+size) to [to, to+size) (mremap): frames move, nothing is copied. */
  movePages(from: number, to: number, size: number): boolean {
    const moved: [number, number][] = [];
    this.tables.forEachPte(this.directory, from, from + size, (linear, pte) => { moved.push([linear, pte]); });
    for (const [linear, pte] of moved) {
      if (!this.tables.setPte(this.directory, linear - from + to, pte)) return false;
      this.writePte(linear, 0);
    }
    return true;
  }

  /**
   * A copy-on-write duplicate for fork: private pages become read-only in both and share frames.
   * The anonymous page at `writtenSoon` (the parent's stack pointer) is copied at once instead:
   * both processes write their stacks as soon as fork returns, so sharing it costs two page faults
   * for the same end state (Linux also copies some pages at fork: copy_present_page).
   */
  fork(writtenSoon = -1): AddressSpace | null {
    const child = AddressSpace.create(this.pages);
    if (!child) return null;
    child.brkStart = this.brkStart;
    child.brk = this.brk;
    child.argStart = this.argStart;
    child.argEnd = this.argEnd;
    child.envStart = this.envStart;
    child.envEnd = this.envEnd;
    child.startStack = this.startStack;
    for (const vma of this.vmas) { child.vmas.push(cloneVma(vma)); vma.source?.hold?.(child); }
    let failed = false;
    for (const vma of this.vmas) {
      // MAP_SHARED pages stay writable in both; private ones become copy-on-write (the parent's changed entries are invalidated).
      const isShared = (vma.flags & MAP_SHARED) !== 0 && vma.source?.sharedPage !== undefined;
      if (!this.tables.copyForFork(this.directory, child.directory, vma.start, vma.end, isShared)) { failed = true; break; }
    }
    if (failed) { child.destroy(); return null; }
    if (writtenSoon >= 0) this.unshareNow(child, pageFloor(writtenSoon));
    return child;
  }

  /**
   * What the first write faults of both processes would do to a private anonymous page fork just
   * shared: this one takes a copy, `child` keeps the frame (writable once it is the only holder).
   */
  private unshareNow(child: AddressSpace, page: number): void {
    const vma = this.findVma(page);
    if (!vma || vma.source !== null || (vma.flags & MAP_SHARED) !== 0 || (vma.prot & PROT_WRITE) === 0) return;
    const pte = this.tables.getPte(this.directory, page);
    if ((pte & PTE_P) === 0) return;
    const frame = (pte & PTE_FRAME) >>> 0;
    if (this.pages.buddy.pageRefcount(frame) !== 2) return;
    const copy = this.pages.buddy.allocPage();
    if (copy < 0) return; // it stays copy-on-write
    this.pages.bytes.copyWithin(copy, frame, frame + PAGE_SIZE);
    this.pages.hooks.invalidatePhysicalPage(copy);
    this.writePte(page, copy | PTE_P | PTE_US | PTE_RW);
    this.pages.buddy.putPage(frame);
    child.tables.setPte(child.directory, page, frame | PTE_P | PTE_US | PTE_RW);
  }

  /** Releases every frame and page table (exit, exec). */
  destroy(): void {
    // The page tables go with the directory, so the PTEs need not be cleared one by one; destroyDirectory drops the TLB entries.
    this.tables.putAllFrames(this.directory);
    for (const vma of this.vmas) vma.source?.release?.(this);
    this.vmas.length = 0;
    this.tables.destroyDirectory(this.directory);
  }

  /** Resident pages in [start, end) (the whole user half by default), for /proc and the leak checks. */
  residentPages(start = 0, end = TASK_SIZE): number {
    let count = 0;
    this.tables.forEachPte(this.directory, start, end, () => { count++; });
    return count;
  }

  private growStack(address: number): Vma | undefined {
    // The lowest VMA above the address that grows down, within the stack limit (mm/mmap.c expand_downwards).
    const above = this.vmas.find((v) => v.start > address);
    if (!above || (above.flags & MAP_GROWSDOWN) === 0) return undefined;
    if (above.end - pageFloor(address) > STACK_LIMIT) return undefined;
    const below = this.vmas[this.vmas.indexOf(above) - 1];
    if (below && below.end > pageFloor(address) - PAGE_SIZE) return undefined;
    above.start = pageFloor(address);
    return above;
  }

  private splitAt(address: number): void {
    const vma = this.findVma(address);
    if (!vma || vma.start === address) return;
    this.vmas.splice(this.vmas.indexOf(vma) + 1, 0, splitVma(vma, address));
    vma.source?.hold?.(this);
  }

  private releasePages(start: number, end: number): void {
    const cleared: number[] = [];
    this.tables.forEachPte(this.directory, start, end, (linear, pte) => {
      this.pages.buddy.putPage((pte & PTE_FRAME) >>> 0);
      cleared.push(linear);
    });
    for (const linear of cleared) this.writePte(linear, 0);
  }

  private writePte(linear: number, pte: number): void {
    this.tables.setPte(this.directory, linear, pte);
    if (this.active) this.pages.hooks.invalidatePage(linear);
  }
}
