/**
 * The ATA PIO disk driver (drivers/ata, the legacy IDE path reduced): probes the
 * master of a channel with IDENTIFY DEVICE, then reads and writes with READ/WRITE
 * SECTORS (EXT when the disk is past LBA28) and flushes with FLUSH CACHE (EXT).
 * Completion is interrupt-driven: the IRQ 14 handler acknowledges the drive and
 * records its status. Two ways to wait: `submit` queues a read that the IRQ handler
 * carries out sector by sector (the caller's task sleeps on a wait queue meanwhile and
 * other tasks run: "blocking is a restart"); the synchronous calls, used where a kernel
 * path holds state it cannot restart (metadata, write-back), first drain the queue and
 * then wait in `hlt` (platform.halt) for their IRQ, other interrupts being served meanwhile.
 */
import type { Platform } from '../../hal/index.js';
import type { Interrupts } from '../irq/index.js';
import type { DiskDriver, DiskRequest } from './block-device.js';
import { SECTOR_SIZE } from './block-device.js';

const EIO = 5;
const DRQ = 0x08, ERR = 0x01, DF = 0x20;
const LBA28_LIMIT = 0x10000000;
/** Sectors per command: 256 is the most an LBA28 command can ask for (count 0 = 256). */
const SECTORS_PER_COMMAND = 256;

export interface AtaChannel { readonly base: number; readonly control: number; readonly irq: number }

export class AtaDriver implements DiskDriver {
  readonly readOnly = false;
  private interrupted = false;
  private lastStatus = 0;
  /** Commands that failed (for logs and tests). */
  errors = 0;
  /** Submitted reads waiting for the drive, and the one in progress with its next sector. */
  private readonly queue: DiskRequest[] = [];
  private active: { readonly request: DiskRequest; readonly count: number; next: number } | null = null;
  /** Submitted requests completed, and the times a caller waited in hlt for the drive (for tests and figures). */
  asyncCompleted = 0;
  synchronousWaits = 0;

  /** Set by IDENTIFY. */
  sectorCount = 0;
  lba48 = false;
  model = '';

  private constructor(
    readonly name: string,
    private readonly platform: Platform,
    private readonly interrupts: Interrupts,
    private readonly channel: AtaChannel,
  ) {}

  /** IDENTIFY on the channel's master: the driver, or null when no ATA disk answers. */
  static probe(name: string, platform: Platform, interrupts: Interrupts, channel: AtaChannel): AtaDriver | null {
    const ports = platform.ports;
    ports.out8(channel.base + 6, 0xa0);
    const status = ports.in8(channel.base + 7);
    if (status === 0xff || status === 0) return null; // floating bus or no device
    const driver = new AtaDriver(name, platform, interrupts, channel);
    const irqName = `ata_${name}`;
    interrupts.request(channel.irq, irqName, () => driver.interrupt());
    driver.interrupted = false;
    ports.out8(channel.base + 7, 0xec);
    if (driver.waitForInterrupt() < 0 || driver.lastStatus & ERR || !(driver.lastStatus & DRQ)) {
      interrupts.free(channel.irq, irqName);
      return null;
    }
    const data = new Uint8Array(512);
    ports.insw(channel.base, data, 0, 256);
    const word = (i: number): number => data[i * 2]! | (data[i * 2 + 1]! << 8);
    driver.lba48 = (word(83) & 0x0400) !== 0;
    driver.sectorCount = driver.lba48 ? word(100) + word(101) * 0x10000 + word(102) * 0x100000000 : word(60) + word(61) * 0x10000;
    driver.model = String.fromCharCode(...Array.from({ length: 40 }, (_, i) => data[54 + (i ^ 1)]!)).trim();
    return driver;
  }

  /** Queues a transfer of buffer.length / 512 (at most 256) sectors; `done` is called from the IRQ handler. */
  submit(request: DiskRequest): void {
    const count = request.buffer.length / SECTOR_SIZE;
    if (count < 1 || count > SECTORS_PER_COMMAND || request.sector < 0 || request.sector + count > this.sectorCount) {
      request.done(-EIO);
      return;
    }
    this.queue.push(request);
    if (!this.active) this.startNext();
  }

  /** Serves interrupts in hlt until no submitted request is left. */
  drain(): void {
    for (let spins = 0; this.active && spins <= 1_000_000; spins++) {
      this.synchronousWaits++;
      if (!this.platform.halt()) break;
      this.interrupts.dispatch();
    }
    if (this.active) this.finish(-EIO); // the drive never answered
  }

  readSectors(sector: number, into: Uint8Array): number {
    this.drain();
    const count = into.length / SECTOR_SIZE;
    for (let done = 0; done < count;) {
      const chunk = Math.min(SECTORS_PER_COMMAND, count - done);
      const result = this.transfer(sector + done, chunk, into.subarray(done * SECTOR_SIZE, (done + chunk) * SECTOR_SIZE), false);
      if (result < 0) return result;
      done += chunk;
    }
    return 0;
  }

  writeSectors(sector: number, from: Uint8Array): number {
    this.drain();
    const count = from.length / SECTOR_SIZE;
    for (let done = 0; done < count;) {
      const chunk = Math.min(SECTORS_PER_COMMAND, count - done);
      const result = this.transfer(sector + done, chunk, from.subarray(done * SECTOR_SIZE, (done + chunk) * SECTOR_SIZE), true);
      if (result < 0) return result;
      done += chunk;
    }
    return 0;
  }

  flushCache(): number {
    this.drain();
    this.interrupted = false;
    this.platform.ports.out8(this.channel.base + 6, 0xe0);
    this.platform.ports.out8(this.channel.base + 7, this.lba48 ? 0xea : 0xe7);
    return this.waitForInterrupt() < 0 || this.lastStatus & (ERR | DF) ? this.fail('flush') : 0;
  }

  /**
   * IRQ 14: reading the status register acknowledges the drive. A submitted read takes the sector
   * the drive has ready; a submitted write has had its sector taken and sends the next.
   */
  private interrupt(): void {
    this.lastStatus = this.platform.ports.in8(this.channel.base + 7);
    const active = this.active;
    if (!active) { this.interrupted = true; return; }
    const { request } = active;
    if (request.write) {
      if (this.lastStatus & (ERR | DF)) { this.fail('write'); this.finish(-EIO); return; }
      if (active.next === active.count) { this.finish(0); return; }
      this.platform.ports.outsw(this.channel.base, request.buffer, active.next * SECTOR_SIZE, SECTOR_SIZE / 2);
      active.next++;
      return;
    }
    if (this.lastStatus & (ERR | DF) || !(this.lastStatus & DRQ)) { this.fail('read'); this.finish(-EIO); return; }
    this.platform.ports.insw(this.channel.base, request.buffer, active.next * SECTOR_SIZE, SECTOR_SIZE / 2);
    active.next++;
    if (active.next === active.count) this.finish(0);
  }

  /** Issues the next submitted transfer (the drive interrupts once per sector; PIO data-out sends the first at DRQ). */
  private startNext(): void {
    const request = this.queue.shift();
    if (!request) return;
    const count = request.buffer.length / SECTOR_SIZE;
    this.active = { request, count, next: 0 };
    if (this.issue(request.sector, count, request.write) < 0) { this.finish(-EIO); return; }
    if (!request.write) return;
    const status = this.platform.ports.in8(this.channel.control);
    if (status & ERR || !(status & DRQ)) { this.fail('write'); this.finish(-EIO); return; }
    this.platform.ports.outsw(this.channel.base, request.buffer, 0, SECTOR_SIZE / 2);
    this.active.next = 1;
  }

  /** Completes the active request and starts the next one. */
  private finish(status: number): void {
    const request = this.active!.request;
    this.active = null;
    this.asyncCompleted++;
    request.done(status);
    this.startNext();
  }

  /** Loads the task file registers and writes the command; -EIO when the disk cannot address the range. */
  private issue(sector: number, count: number, write: boolean): number {
    if (sector < 0 || sector + count > this.sectorCount) return -EIO;
    const ports = this.platform.ports;
    const base = this.channel.base;
    const extended = sector + count > LBA28_LIMIT;
    if (extended && !this.lba48) return -EIO;
    if (extended) {
      // LBA48: high-order bytes first, then low (ATA-6 §6.2 48-bit address feature set).
      ports.out8(base + 6, 0x40);
      ports.out8(base + 2, (count >>> 8) & 0xff);
      ports.out8(base + 3, Math.floor(sector / 0x1000000) & 0xff);
      ports.out8(base + 4, Math.floor(sector / 0x100000000) & 0xff);
      ports.out8(base + 5, Math.floor(sector / 0x10000000000) & 0xff);
    } else {
      ports.out8(base + 6, 0xe0 | ((sector >>> 24) & 0x0f));
    }
    ports.out8(base + 2, count & 0xff);
    ports.out8(base + 3, sector & 0xff);
    ports.out8(base + 4, (sector >>> 8) & 0xff);
    ports.out8(base + 5, (sector >>> 16) & 0xff);
    this.interrupted = false;
    ports.out8(base + 7, write ? (extended ? 0x34 : 0x30) : (extended ? 0x24 : 0x20));
    return 0;
  }

  private transfer(sector: number, count: number, buffer: Uint8Array, write: boolean): number {
    if (this.issue(sector, count, write) < 0) return -EIO;
    const ports = this.platform.ports;
    const base = this.channel.base;
    for (let i = 0; i < count; i++) {
      const at = i * SECTOR_SIZE;
      if (write) {
        // Data-out: the first sector goes when DRQ is up; each later one after the drive's interrupt.
        if (i === 0) {
          const status = ports.in8(this.channel.control);
          if (status & ERR || !(status & DRQ)) return this.fail('write');
        }
        ports.outsw(base, buffer, at, SECTOR_SIZE / 2);
        if (this.waitForInterrupt() < 0 || this.lastStatus & (ERR | DF)) return this.fail('write');
      } else {
        if (this.waitForInterrupt() < 0 || this.lastStatus & (ERR | DF) || !(this.lastStatus & DRQ)) return this.fail('read');
        this.interrupted = false;
        ports.insw(base, buffer, at, SECTOR_SIZE / 2);
      }
    }
    return 0;
  }

  /** Sleeps in hlt until the drive's interrupt has been taken (other IRQs are served meanwhile). */
  private waitForInterrupt(): number {
    for (let spins = 0; !this.interrupted; spins++) {
      this.synchronousWaits++;
      if (spins > 1_000_000 || !this.platform.halt()) return -EIO;
      this.interrupts.dispatch();
    }
    this.interrupted = false;
    return 0;
  }

  private fail(_what: string): number {
    this.errors++;
    return -EIO;
  }
}
