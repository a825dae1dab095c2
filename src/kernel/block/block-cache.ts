/**
 * The block devices' page cache (Linux's buffer cache as the block device's page
 * cache, fs/buffer.c): 4 KiB pages of each disk held in RAM pages from the buddy
 * allocator, so `free` counts them as Buffers. Reads fill a page from the driver;
 * writes dirty it (write-back). `sync` writes dirty pages through the request queue
 * and flushes the disk; `reclaim` frees clean pages oldest first (writing back dirty
 * ones first) when memory is short. Partitions are windows of a disk (`device`).
 * Interface: new BlockCache(pages); cache.device(driver, firstSector, sectors) → BlockDevice.
 */
import type { PhysicalPages } from '../mm/index.js';
import { WaitQueue } from '../lib/index.js';
import type { BlockDevice, DiskDriver } from './block-device.js';
import { SECTOR_SIZE } from './block-device.js';
import { RequestQueue } from './request-queue.js';

const PAGE = 4096;
const SECTORS_PER_PAGE = PAGE / SECTOR_SIZE;
/** Pages read per miss when the following ones are not cached either (128 KiB, Linux's default read_ahead_kb). */
const READ_AHEAD_PAGES = 32;
const EIO = 5;

interface CachedPage {
  readonly physical: number;
  dirty: boolean;
  /** Being read by a submitted request: its bytes are not valid yet. */
  pending?: boolean;
  /** A copy is being written by a submitted request (the periodic write-back). */
  writing?: boolean;
  /** Bumped by every write: a write-back completes the page only if nothing was written since its copy. */
  version?: number;
}

interface DiskState {
  readonly driver: DiskDriver;
  /** Page index → page; Map order is the least-recently-used order. */
  readonly pages: Map<number, CachedPage>;
  readonly queue: RequestQueue;
  /** Tasks sleeping until a submitted read of this disk completes. */
  readonly readers: WaitQueue;
  /** Pages whose submitted read failed: left to the synchronous path (which reports the error) until it reads them. */
  readonly failed: Set<number>;
}

export class BlockCache {
  private readonly disks = new Map<DiskDriver, DiskState>();
  /** Called when the first page becomes dirty (arms the periodic write-back). */
  onDirty: () => void = () => undefined;
  /** Where write-back errors are reported (the kernel log). */
  log: (line: string) => void = () => undefined;
  /** Pages whose write-back failed since boot (they stay dirty and are retried). */
  writeErrors = 0;

  constructor(private readonly physical: PhysicalPages) {}

  /** A BlockDevice for `sectorCount` sectors of `driver` from `firstSector` (a partition, or the whole disk). */
  device(driver: DiskDriver, firstSector = 0, sectorCount = driver.sectorCount): BlockDevice {
    const base = firstSector * SECTOR_SIZE;
    const byteLength = sectorCount * SECTOR_SIZE;
    return {
      byteLength,
      readBlock: (block, into) => {
        const offset = block * into.length;
        if (block < 0 || offset + into.length > byteLength) return -EIO;
        return this.read(driver, base + offset, into);
      },
      writeBlock: (block, data) => {
        const offset = block * data.length;
        if (block < 0 || offset + data.length > byteLength) return -EIO;
        return this.write(driver, base + offset, data);
      },
      flush: () => this.sync(driver),
      prefetch: (offset, length, readAhead) => {
        if (offset < 0 || length <= 0 || offset + length > byteLength) return null;
        return this.prefetch(driver, base + offset, length, readAhead);
      },
    };
  }

  /**
   * Starts asynchronous reads of the pages covering [offset, offset + length) of the disk that
   * are not cached; returns the queue to sleep on while any of them is in flight, or null when
   * all are cached (or the driver cannot submit, or RAM is short: the synchronous path reads then).
   * A `readAhead` window is only read once at least half of it is missing (or it is short), so a
   * sequential reader submits whole windows rather than a page at the window's edge per read.
   */
  prefetch(driver: DiskDriver, offset: number, length: number, readAhead = false): WaitQueue | null {
    if (!driver.submit) return null;
    const disk = this.state(driver);
    const first = Math.floor(offset / PAGE);
    const last = Math.floor((offset + length - 1) / PAGE);
    if (readAhead && last - first + 1 >= READ_AHEAD_PAGES / 2) {
      let missing = 0;
      for (let index = first; index <= last; index++) if (!disk.pages.has(index)) missing++;
      if (missing < (last - first + 1) / 2) return null;
    }
    let waiting = false;
    for (let index = first; index <= last;) {
      const cached = disk.pages.get(index);
      if (cached || disk.failed.has(index)) { if (cached?.pending) waiting = true; index++; continue; }
      // A run of missing whole pages, at most one ATA command (READ_AHEAD_PAGES pages = 256 sectors).
      let count = 0;
      while (index + count <= last && count < READ_AHEAD_PAGES && !disk.pages.has(index + count) && !disk.failed.has(index + count) && (index + count + 1) * SECTORS_PER_PAGE <= driver.sectorCount) count++;
      if (count === 0) break; // a partial page at the disk's end: read synchronously
      const run: CachedPage[] = [];
      for (let i = 0; i < count; i++) {
        const physical = this.physical.allocZeroedPage();
        if (physical < 0) break;
        const page: CachedPage = { physical, dirty: false, pending: true };
        disk.pages.set(index + i, page);
        run.push(page);
      }
      if (run.length === 0) break;
      const start = index;
      const buffer = new Uint8Array(run.length * PAGE);
      waiting = true;
      driver.submit({
        sector: start * SECTORS_PER_PAGE, buffer, write: false,
        done: (status) => {
          run.forEach((page, i) => {
            if (disk.pages.get(start + i) !== page) return; // dropped meanwhile (forget)
            if (status === 0) {
              this.physical.bytes.set(buffer.subarray(i * PAGE, (i + 1) * PAGE), page.physical);
              page.pending = false;
            } else {
              // The synchronous path will read it again and report the error.
              disk.failed.add(start + i);
              disk.pages.delete(start + i);
              this.physical.buddy.putPage(page.physical);
            }
          });
          disk.readers.wakeAll();
        },
      });
      index += run.length;
    }
    if (!waiting) return null;
    // A request can fail inside submit (its range, the drive): sleep only while a page is really in flight.
    for (let index = first; index <= last; index++) if (disk.pages.get(index)?.pending) return disk.readers;
    return null;
  }

  /** The disks the cache has seen (for statistics and tests). */
  get drivers(): DiskDriver[] { return [...this.disks.keys()]; }

  /** Pages cached and dirty, over all disks (/proc/meminfo Buffers and Dirty). */
  get cachedPages(): number { let n = 0; for (const disk of this.disks.values()) n += disk.pages.size; return n; }
  get dirtyPages(): number {
    let n = 0;
    for (const disk of this.disks.values()) for (const page of disk.pages.values()) if (page.dirty) n++;
    return n;
  }

  /** Reads into.length bytes at byte `offset` of the disk; 0 or -EIO. */
  read(driver: DiskDriver, offset: number, into: Uint8Array): number {
    const disk = this.state(driver);
    for (let done = 0; done < into.length;) {
      const at = offset + done;
      const index = Math.floor(at / PAGE);
      const within = at % PAGE;
      const chunk = Math.min(into.length - done, PAGE - within);
      const page = this.page(disk, index, true);
      if (typeof page === 'number') {
        if (page !== -12) return page;
        // No RAM for a cache page even after reclaim: read around the cache.
        const direct = this.directRead(driver, at, chunk);
        if (typeof direct === 'number') return direct;
        into.set(direct, done);
      } else {
        into.set(this.physical.bytes.subarray(page.physical + within, page.physical + within + chunk), done);
      }
      done += chunk;
    }
    return 0;
  }

  /** Writes data at byte `offset` of the disk into the cache (dirty); 0 or -EIO. */
  write(driver: DiskDriver, offset: number, data: Uint8Array): number {
    if (driver.readOnly) return -30; // EROFS
    const disk = this.state(driver);
    for (let done = 0; done < data.length;) {
      const at = offset + done;
      const index = Math.floor(at / PAGE);
      const within = at % PAGE;
      const chunk = Math.min(data.length - done, PAGE - within);
      const page = this.page(disk, index, !(within === 0 && chunk === PAGE));
      if (typeof page === 'number') {
        if (page !== -12) return page;
        const direct = this.directWrite(driver, at, data.subarray(done, done + chunk));
        if (direct < 0) return direct;
      } else {
        this.physical.bytes.set(data.subarray(done, done + chunk), page.physical + within);
        page.version = (page.version ?? 0) + 1;
        if (!page.dirty) {
          page.dirty = true;
          this.onDirty();
        }
      }
      done += chunk;
    }
    return 0;
  }

  /** Writes back a disk's dirty pages (or every disk's) and flushes its cache; 0 or the first error. */
  sync(driver?: DiskDriver): number {
    let status = 0;
    for (const disk of driver ? [this.state(driver)] : this.disks.values()) {
      const result = this.writeback(disk);
      const flushed = disk.driver.flushCache();
      if (status === 0) status = result < 0 ? result : flushed;
    }
    return status;
  }

  /**
   * Periodic write-back: dirty pages go to disk without a cache flush (the flusher thread). A disk
   * whose driver can submit gets its runs of dirty pages queued and the caller goes on at once;
   * each page is marked clean by the interrupt that completes its request, if it was not written
   * meanwhile. Otherwise the pages are written synchronously.
   */
  writebackAll(): number {
    let status = 0;
    for (const disk of this.disks.values()) {
      const result = disk.driver.submit ? this.submitWriteback(disk) : this.writeback(disk);
      if (status === 0) status = result;
    }
    return status;
  }

  /** Frees up to `count` pages, least recently used first (dirty ones are written back first); returns how many. */
  reclaim(count: number): number {
    let freed = 0;
    for (const disk of this.disks.values()) {
      if ([...disk.pages.values()].some((p) => p.dirty)) this.writeback(disk);
      for (const [index, page] of disk.pages) {
        if (freed >= count) return freed;
        if (page.dirty || page.pending) continue;
        disk.pages.delete(index);
        this.physical.buddy.putPage(page.physical);
        freed++;
      }
    }
    return freed;
  }

  /** Drops every page of a disk (after sync; a detached disk). */
  forget(driver: DiskDriver): void {
    const disk = this.disks.get(driver);
    if (!disk) return;
    driver.drain?.();
    for (const page of disk.pages.values()) this.physical.buddy.putPage(page.physical);
    this.disks.delete(driver);
  }

  private state(driver: DiskDriver): DiskState {
    let disk = this.disks.get(driver);
    if (!disk) {
      disk = { driver, pages: new Map(), queue: new RequestQueue(driver), readers: new WaitQueue(), failed: new Set() };
      this.disks.set(driver, disk);
    }
    return disk;
  }

  /** The cached page `index` of a disk, read from the disk when `fill` (else zeroed: it will be overwritten whole). */
  private page(disk: DiskState, index: number, fill: boolean): CachedPage | number {
    let cached = disk.pages.get(index);
    if (cached?.pending) {
      // In flight: wait for it (a synchronous caller cannot sleep), then look again (a failed read dropped it).
      disk.driver.drain?.();
      cached = disk.pages.get(index);
      if (cached?.pending) return -EIO;
    }
    if (cached) {
      disk.pages.delete(index);
      disk.pages.set(index, cached);
      return cached;
    }
    if (fill) {
      const ahead = this.readAhead(disk, index);
      if (typeof ahead !== 'number') return ahead;
      if (ahead < 0 && ahead !== -12) return ahead;
    }
    let physical = this.physical.allocZeroedPage();
    if (physical < 0 && this.reclaim(16) > 0) physical = this.physical.allocZeroedPage();
    if (physical < 0) return -12;
    if (fill) {
      const first = index * SECTORS_PER_PAGE;
      const sectors = Math.min(SECTORS_PER_PAGE, disk.driver.sectorCount - first);
      if (sectors > 0) {
        const result = disk.driver.readSectors(first, this.physical.bytes.subarray(physical, physical + sectors * SECTOR_SIZE));
        if (result < 0) {
          this.physical.buddy.putPage(physical);
          return result;
        }
      }
    }
    const page = { physical, dirty: false };
    disk.pages.set(index, page);
    disk.failed.delete(index);
    return page;
  }

  /**
   * On a miss, reads the page and the uncached pages after it (up to READ_AHEAD_PAGES) with one
   * driver request (mm/readahead.c, reduced to a fixed window); returns the page, or -ENOMEM to
   * fall back to a single-page read.
   */
  private readAhead(disk: DiskState, index: number): CachedPage | number {
    const first = index * SECTORS_PER_PAGE;
    let count = 0;
    while (count < READ_AHEAD_PAGES && !disk.pages.has(index + count) && (index + count + 1) * SECTORS_PER_PAGE <= disk.driver.sectorCount) count++;
    if (count < 2) return -12;
    const buffer = new Uint8Array(count * PAGE);
    const result = disk.driver.readSectors(first, buffer);
    if (result < 0) return result;
    let wanted: CachedPage | null = null;
    for (let i = 0; i < count; i++) {
      const physical = this.physical.allocZeroedPage();
      if (physical < 0) break;
      this.physical.bytes.set(buffer.subarray(i * PAGE, (i + 1) * PAGE), physical);
      const page = { physical, dirty: false };
      disk.pages.set(index + i, page);
      disk.failed.delete(index + i);
      if (i === 0) wanted = page;
    }
    return wanted ?? -12;
  }

  /** Queues the dirty whole pages of a disk not already being written, a request per run of up to 256 sectors. */
  private submitWriteback(disk: DiskState): number {
    const dirty = [...disk.pages].filter(([index, page]) => page.dirty && !page.writing && (index + 1) * SECTORS_PER_PAGE <= disk.driver.sectorCount);
    dirty.sort((a, b) => a[0] - b[0]);
    for (let i = 0; i < dirty.length;) {
      let j = i + 1;
      while (j < dirty.length && j - i < READ_AHEAD_PAGES && dirty[j]![0] === dirty[i]![0] + (j - i)) j++;
      const run = dirty.slice(i, j).map(([, page]) => ({ page, version: page.version ?? 0 }));
      const buffer = new Uint8Array(run.length * PAGE);
      run.forEach(({ page }, k) => { buffer.set(this.physical.bytes.subarray(page.physical, page.physical + PAGE), k * PAGE); page.writing = true; });
      const first = dirty[i]![0] * SECTORS_PER_PAGE;
      disk.driver.submit!({
        sector: first, buffer, write: true,
        done: (status) => {
          for (const { page, version } of run) {
            page.writing = false;
            if (status === 0 && (page.version ?? 0) === version) page.dirty = false;
          }
          if (status < 0) {
            this.writeErrors += run.length;
            this.log(`blk: ${disk.driver.name}: write-back I/O error: ${run.length} page(s) from sector ${first} kept dirty`);
            this.onDirty();
          }
        },
      });
      i = j;
    }
    return 0;
  }

  /**
   * Writes a disk's dirty pages. A page is marked clean only when the request carrying it
   * succeeded; after an I/O error it stays dirty (retried by the next write-back; reclaim
   * will not drop it), the error is logged and -EIO returned, so fsync reports it.
   */
  private writeback(disk: DiskState): number {
    // Requests of the periodic write-back still in flight complete first.
    disk.driver.drain?.();
    let failed = 0;
    let firstFailed = -1;
    for (const [index, page] of disk.pages) {
      if (!page.dirty) continue;
      const first = index * SECTORS_PER_PAGE;
      const sectors = Math.min(SECTORS_PER_PAGE, disk.driver.sectorCount - first);
      if (sectors <= 0) { page.dirty = false; continue; }
      disk.queue.add(first, this.physical.bytes.slice(page.physical, page.physical + sectors * SECTOR_SIZE), (status) => {
        if (status === 0) { page.dirty = false; return; }
        failed++;
        if (firstFailed < 0) firstFailed = first;
      });
    }
    const status = disk.queue.run();
    if (failed > 0) {
      this.writeErrors += failed;
      this.log(`blk: ${disk.driver.name}: write-back I/O error: ${failed} page(s) from sector ${firstFailed} kept dirty`);
      this.onDirty(); // re-arms the periodic write-back, which retries them
    }
    return status < 0 ? -EIO : 0;
  }

  private directRead(driver: DiskDriver, offset: number, length: number): Uint8Array | number {
    const first = Math.floor(offset / SECTOR_SIZE);
    const last = Math.ceil((offset + length) / SECTOR_SIZE);
    const buffer = new Uint8Array((last - first) * SECTOR_SIZE);
    const result = driver.readSectors(first, buffer);
    if (result < 0) return result;
    return buffer.subarray(offset - first * SECTOR_SIZE, offset - first * SECTOR_SIZE + length);
  }

  private directWrite(driver: DiskDriver, offset: number, data: Uint8Array): number {
    const first = Math.floor(offset / SECTOR_SIZE);
    const last = Math.ceil((offset + data.length) / SECTOR_SIZE);
    const buffer = new Uint8Array((last - first) * SECTOR_SIZE);
    const read = driver.readSectors(first, buffer);
    if (read < 0) return read;
    buffer.set(data, offset - first * SECTOR_SIZE);
    return driver.writeSectors(first, buffer);
  }
}
