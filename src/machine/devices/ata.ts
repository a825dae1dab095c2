/**
 * An ATA (IDE) disk on the primary channel in PIO mode (ATA/ATAPI-6, T13/1410D):
 * command block registers at base+0..7 (data, error/features, sector count, LBA
 * low/mid/high, device, status/command), control block at `control` (alternate
 * status / device control with nIEN and SRST). Commands: IDENTIFY DEVICE, READ/WRITE
 * SECTORS and their EXT forms (LBA48: each register keeps its previous byte, read back
 * with HOB), FLUSH CACHE (+EXT), SET FEATURES, INITIALIZE DEVICE PARAMETERS. The drive
 * is BSY for a modelled time after each command and each sector (timeline events),
 * then raises INTRQ (IRQ 14) unless nIEN; reading the status register releases it.
 * Only the master is present: with the slave selected the registers read 0.
 * Storage is a hal BlockBackend; writes reach it per sector, flushes make them durable.
 */
import type { BlockBackend } from '../../hal/platform.js';
import type { PortDevice } from '../bus/io-bus.js';
import type { IrqLine } from '../interrupts/irq.js';
import type { Timeline, TimelineEvent } from '../time/timeline.js';

// Status and error bits (ATA-6 §7.15, §7.9).
export const ATA_BSY = 0x80, ATA_DRDY = 0x40, ATA_DF = 0x20, ATA_DSC = 0x10, ATA_DRQ = 0x08, ATA_ERR = 0x01;
export const ATA_ABRT = 0x04, ATA_IDNF = 0x10, ATA_UNC = 0x40;
// Commands.
export const ATA_IDENTIFY = 0xec, ATA_READ_SECTORS = 0x20, ATA_READ_SECTORS_EXT = 0x24, ATA_WRITE_SECTORS = 0x30,
  ATA_WRITE_SECTORS_EXT = 0x34, ATA_FLUSH_CACHE = 0xe7, ATA_FLUSH_CACHE_EXT = 0xea, ATA_SET_FEATURES = 0xef,
  ATA_INITIALIZE_DEVICE_PARAMETERS = 0x91;
/** Device control bits. */
const CONTROL_NIEN = 0x02, CONTROL_SRST = 0x04, CONTROL_HOB = 0x80;

/** Modelled latencies in ns: command set-up, one sector's transfer, a cache flush. */
export const ATA_COMMAND_NS = 20_000;
export const ATA_SECTOR_NS = 5_000;
export const ATA_FLUSH_NS = 100_000;

type Transfer = 'none' | 'read' | 'write' | 'identify';

export class AtaDisk implements PortDevice {
  // Task file: current and previous ("high order byte") values for LBA48.
  private features = 0;
  private count = [0, 0];
  private lbaLow = [0, 0];
  private lbaMid = [0, 0];
  private lbaHigh = [0, 0];
  private device = 0xa0;
  private status = ATA_DRDY | ATA_DSC;
  private error = 0;
  private control = 0;
  private interruptPending = false;
  /** The sector buffer the data port reads or fills. */
  private readonly buffer = new Uint8Array(512);
  private bufferAt = 0;
  private transfer: Transfer = 'none';
  private sector = 0;
  private remaining = 0;
  private readonly ready: TimelineEvent;
  private pendingStep: () => void = () => undefined;
  /** Commands completed, for tests. */
  commands = 0;

  constructor(private readonly timeline: Timeline, private readonly irq: IrqLine, private readonly backend: BlockBackend) {
    this.ready = timeline.event('ata', () => this.pendingStep());
  }

  private get masterSelected(): boolean { return (this.device & 0x10) === 0; }

  in8(offset: number): number {
    if (offset === 0) return this.in16(0) & 0xff;
    if (!this.masterSelected) return 0;
    const hob = this.control & CONTROL_HOB ? 1 : 0;
    switch (offset) {
      case 1: return this.error;
      case 2: return this.count[hob]!;
      case 3: return this.lbaLow[hob]!;
      case 4: return this.lbaMid[hob]!;
      case 5: return this.lbaHigh[hob]!;
      case 6: return this.device;
      case 7:
        // Reading the status register acknowledges the interrupt (ATA-6 §5.2.9).
        if (this.interruptPending) { this.interruptPending = false; this.irq.set(false); }
        return this.status;
      case 0x206: return this.status; // alternate status: no acknowledge
      default: return 0xff;
    }
  }

  in16(offset: number): number {
    if (offset !== 0 || !this.masterSelected || !(this.status & ATA_DRQ) || this.transfer === 'write') return 0xffff;
    const value = this.buffer[this.bufferAt]! | (this.buffer[this.bufferAt + 1]! << 8);
    this.bufferAt += 2;
    if (this.bufferAt >= 512) this.sectorRead();
    return value;
  }

  out8(offset: number, value: number): void {
    const shift = (registers: number[]): void => { registers[1] = registers[0]!; registers[0] = value; };
    if (offset >= 1 && offset <= 5) this.control &= ~CONTROL_HOB; // a write clears HOB (ATA-6 §7.9.6)
    switch (offset) {
      case 0: this.out16(0, value); return;
      case 1: this.features = value; return;
      case 2: shift(this.count); return;
      case 3: shift(this.lbaLow); return;
      case 4: shift(this.lbaMid); return;
      case 5: shift(this.lbaHigh); return;
      case 6: this.device = value | 0xa0; return;
      case 7: if (this.masterSelected) this.command(value); return;
      case 0x206: this.deviceControl(value); return;
    }
  }

  out16(offset: number, value: number): void {
    if (offset !== 0 || !this.masterSelected || !(this.status & ATA_DRQ) || this.transfer !== 'write') return;
    this.buffer[this.bufferAt] = value & 0xff;
    this.buffer[this.bufferAt + 1] = (value >>> 8) & 0xff;
    this.bufferAt += 2;
    if (this.bufferAt >= 512) {
      this.status = (this.status | ATA_BSY) & ~ATA_DRQ;
      // Write cache: sectors before the last are taken at once; the last pays the modelled time.
      if (this.remaining > 1) this.sectorWritten();
      else this.after(ATA_SECTOR_NS, () => this.sectorWritten());
    }
  }

  private deviceControl(value: number): void {
    const reset = (value & CONTROL_SRST) !== 0 && (this.control & CONTROL_SRST) === 0;
    this.control = value;
    if (reset) {
      // Software reset: abort everything; the signature of a PATA disk in the task file (ATA-6 §9.12).
      this.timeline.cancel(this.ready);
      this.transfer = 'none';
      this.count = [1, 0]; this.lbaLow = [1, 0]; this.lbaMid = [0, 0]; this.lbaHigh = [0, 0];
      this.error = 1;
      this.status = ATA_DRDY | ATA_DSC;
      this.lowerInterrupt();
    }
    if (value & CONTROL_NIEN) this.irq.set(false);
    else if (this.interruptPending) this.irq.set(true);
  }

  private command(command: number): void {
    if (this.status & ATA_BSY) return; // ATA-6: writes to the command register while BSY are ignored
    this.lowerInterrupt();
    this.error = 0;
    this.commands++;
    const extended = command === ATA_READ_SECTORS_EXT || command === ATA_WRITE_SECTORS_EXT;
    switch (command) {
      case ATA_IDENTIFY:
        this.buffer.set(this.identify());
        this.begin('identify', 0, 1);
        this.after(ATA_COMMAND_NS, () => this.dataReady());
        return;
      case ATA_READ_SECTORS: case 0x21: case ATA_READ_SECTORS_EXT: {
        if (!this.address(extended)) return;
        this.begin('read', this.sector, this.remaining);
        this.after(ATA_COMMAND_NS + ATA_SECTOR_NS, () => this.loadSector());
        return;
      }
      case ATA_WRITE_SECTORS: case 0x31: case ATA_WRITE_SECTORS_EXT: {
        if (this.backend.readOnly) { this.abort(ATA_ABRT); return; }
        if (!this.address(extended)) return;
        this.begin('write', this.sector, this.remaining);
        // PIO data-out: DRQ without an interrupt for the first sector (ATA-6 §9.8); the modelled drive is
        // ready at once, so a driver polling the alternate status needs no machine time to pass.
        this.bufferAt = 0;
        this.status = ATA_DRDY | ATA_DSC | ATA_DRQ;
        return;
      }
      case ATA_FLUSH_CACHE: case ATA_FLUSH_CACHE_EXT:
        this.status = ATA_BSY;
        this.after(ATA_FLUSH_NS, () => {
          if (!this.backend.flush()) { this.abort(ATA_ABRT); return; }
          this.complete();
        });
        return;
      case ATA_SET_FEATURES: case ATA_INITIALIZE_DEVICE_PARAMETERS:
        // Write cache on/off (0x02/0x82) and transfer mode (0x03) are accepted; others abort (ATA-6 §8.37).
        if (command === ATA_SET_FEATURES && ![0x02, 0x03, 0x82].includes(this.features)) { this.abort(ATA_ABRT); return; }
        this.status = ATA_BSY;
        this.after(ATA_COMMAND_NS, () => this.complete());
        return;
      default:
        this.abort(ATA_ABRT);
    }
  }

  /** Decodes the LBA and count of a read/write; aborts with IDNF past the end (ATA-6: ID not found). */
  private address(extended: boolean): boolean {
    if (extended) {
      this.sector = this.lbaLow[0]! + this.lbaMid[0]! * 0x100 + this.lbaHigh[0]! * 0x10000
        + (this.lbaLow[1]! + this.lbaMid[1]! * 0x100 + this.lbaHigh[1]! * 0x10000) * 0x1000000;
      this.remaining = (this.count[0]! | (this.count[1]! << 8)) || 65536;
    } else {
      if (!(this.device & 0x40)) { this.abort(ATA_ABRT); return false; } // CHS addressing is not supported
      this.sector = this.lbaLow[0]! | (this.lbaMid[0]! << 8) | (this.lbaHigh[0]! << 16) | ((this.device & 0x0f) << 24);
      this.remaining = this.count[0]! || 256;
    }
    if (this.sector + this.remaining > this.backend.sectorCount) { this.abort(ATA_IDNF); return false; }
    return true;
  }

  private begin(transfer: Transfer, sector: number, count: number): void {
    this.transfer = transfer;
    this.sector = sector;
    this.remaining = count;
    this.bufferAt = 0;
    this.status = ATA_BSY;
  }

  private loadSector(): void {
    if (!this.backend.read(this.sector, this.buffer)) { this.abort(ATA_UNC); return; }
    this.dataReady();
  }

  private dataReady(): void {
    this.bufferAt = 0;
    this.status = ATA_DRDY | ATA_DSC | ATA_DRQ;
    this.raiseInterrupt();
  }

  /** The host read the whole sector buffer. */
  private sectorRead(): void {
    this.status &= ~ATA_DRQ;
    if (this.transfer === 'identify' || --this.remaining === 0) {
      this.transfer = 'none';
      this.status = ATA_DRDY | ATA_DSC;
      return;
    }
    this.sector++;
    // The drive reads ahead into its buffer: the next sector of the same command is there at once
    // (only the command's first sector pays the modelled seek and transfer time).
    this.loadSector();
  }

  /** The drive stored the sector buffer. */
  private sectorWritten(): void {
    if (!this.backend.write(this.sector, this.buffer)) { this.abort(ATA_UNC); return; }
    this.sector++;
    if (--this.remaining === 0) { this.complete(); return; }
    this.bufferAt = 0;
    this.status = ATA_DRDY | ATA_DSC | ATA_DRQ;
    this.raiseInterrupt();
  }

  private complete(): void {
    this.transfer = 'none';
    this.status = ATA_DRDY | ATA_DSC;
    this.raiseInterrupt();
  }

  private abort(error: number): void {
    this.transfer = 'none';
    this.error = error;
    this.status = ATA_DRDY | ATA_DSC | ATA_ERR;
    this.raiseInterrupt();
  }

  private after(nanoseconds: number, step: () => void): void {
    this.pendingStep = step;
    this.timeline.schedule(this.ready, this.timeline.now() + nanoseconds);
  }

  private raiseInterrupt(): void {
    this.interruptPending = true;
    if (!(this.control & CONTROL_NIEN)) this.irq.set(true);
  }

  private lowerInterrupt(): void {
    this.interruptPending = false;
    this.irq.set(false);
  }

  /** IDENTIFY DEVICE data (ATA-6 §8.15): 256 words; strings are byte-swapped pairs. */
  private identify(): Uint8Array {
    const words = new Uint16Array(256);
    const text = (first: number, length: number, value: string): void => {
      const padded = value.padEnd(length * 2, ' ');
      for (let i = 0; i < length; i++) words[first + i] = (padded.charCodeAt(i * 2) << 8) | padded.charCodeAt(i * 2 + 1);
    };
    const sectors = this.backend.sectorCount;
    const chsSectors = Math.min(sectors, 16383 * 16 * 63);
    words[0] = 0x0040; // fixed disk
    words[1] = Math.min(16383, Math.floor(chsSectors / (16 * 63)));
    words[3] = 16;
    words[6] = 63;
    text(10, 10, 'IR0-0001');
    text(23, 4, '1.0');
    text(27, 20, 'IR0 ATA DISK');
    words[47] = 0x8001; // READ/WRITE MULTIPLE: 1 sector
    words[49] = 0x0200; // LBA supported
    words[53] = 0x0006;
    const lba28 = Math.min(sectors, 0x0fffffff);
    words[60] = lba28 & 0xffff;
    words[61] = lba28 >>> 16;
    words[80] = 0x007e; // ATA-1..6
    words[83] = 0x4000 | 0x0400 | 0x2000; // LBA48, FLUSH CACHE EXT
    words[86] = 0x0400 | 0x2000;
    words[82] = 0x4000; // NOP... and write cache
    words[85] = 0x0020;
    for (let i = 0; i < 4; i++) words[100 + i] = Math.floor(sectors / 2 ** (16 * i)) & 0xffff;
    const bytes = new Uint8Array(512);
    for (let i = 0; i < 256; i++) { bytes[i * 2] = words[i]! & 0xff; bytes[i * 2 + 1] = words[i]! >>> 8; }
    return bytes;
  }
}

/** Wires a disk on the primary channel: ports 0x1F0-0x1F7 and 0x3F6, IRQ 14, listed in the firmware tables. */
export function addAta(platform: {
  readonly ports: { register(base: number, length: number, device: PortDevice, name: string): void };
  readonly timeline: Timeline;
  readonly irqs: { line(irq: number): IrqLine };
  readonly firmware: { ataChannels: { base: number; control: number; irq: number }[] };
}, backend: BlockBackend): AtaDisk {
  const disk = new AtaDisk(platform.timeline, platform.irqs.line(14), backend);
  platform.ports.register(0x1f0, 8, disk, 'ata0');
  platform.ports.register(0x3f6, 1, { in8: () => disk.in8(0x206), out8: (_offset, value) => disk.out8(0x206, value) }, 'ata0-control');
  platform.firmware.ataChannels.push({ base: 0x1f0, control: 0x3f6, irq: 14 });
  return disk;
}
