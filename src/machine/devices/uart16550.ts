/**
 * The National Semiconductor PC16550D UART (the "16550A" of every PC's COM
 * ports): eight registers at `base`, 16-byte receive and transmit FIFOs, the
 * four interrupt sources in the datasheet's priority order, and loopback.
 * The line is a host SerialBackend; bytes leave as soon as they reach the
 * shift register (as QEMU's UART without throttling), so THRE follows a write.
 * Registers and bits: PC16550D datasheet (National, 1995) Tables II-IV.
 */
import type { SerialBackend } from '../../hal/platform.js';
import type { IrqLine } from '../interrupts/irq.js';
import type { PortDevice } from '../bus/io-bus.js';
import type { Timeline, TimelineEvent } from '../time/timeline.js';

export const FIFO_SIZE = 16;
/**
 * Input the backend delivered and the receive FIFO has no room for yet: the
 * host's end of the line. When it is full the backend keeps the rest (as a
 * sender held back by RTS/CTS) and offers it again at its next poll.
 */
export const WIRE_BYTES = 64 * 1024;
/** Transmitted bytes are handed to the backend in batches: at this size, or this long after the first. */
const TX_BATCH_BYTES = 4096;
const TX_BATCH_DELAY_NS = 200_000;

// Register offsets (Table II).
const RBR_THR_DLL = 0;
const IER_DLM = 1;
const IIR_FCR = 2;
const LCR = 3;
const MCR = 4;
const LSR = 5;
const MSR = 6;
const SCR = 7;

export const LSR_DR = 0x01;
export const LSR_OE = 0x02;
export const LSR_BI = 0x10;
export const LSR_THRE = 0x20;
export const LSR_TEMT = 0x40;
export const LSR_FIFO_ERROR = 0x80;

export const IER_RDI = 0x01;
export const IER_THRI = 0x02;
export const IER_RLSI = 0x04;
export const IER_MSI = 0x08;

/** IIR interrupt identification (Table IV), bit 0 clear = pending. */
export const IIR_NONE = 0x01;
export const IIR_RLS = 0x06;
export const IIR_RDA = 0x04;
export const IIR_TIMEOUT = 0x0c;
export const IIR_THRE = 0x02;
export const IIR_MSR = 0x00;
const IIR_FIFO_ENABLED = 0xc0;

const MCR_DTR = 0x01;
const MCR_RTS = 0x02;
const MCR_OUT1 = 0x04;
const MCR_OUT2 = 0x08;
const MCR_LOOP = 0x10;

const LCR_DLAB = 0x80;
const LCR_BREAK = 0x40;

/** FCR bits 7:6 → receiver trigger level. */
const TRIGGER_LEVELS = [1, 4, 8, 14];

export interface UartOptions {
  readonly name: string;
  readonly irq: IrqLine;
  readonly timeline: Timeline;
  readonly backend?: SerialBackend;
}

export class Uart16550 implements PortDevice {
  private readonly rx: number[] = [];
  /** Bytes from the host waiting for room in the receive FIFO: a ring of WIRE_BYTES. */
  private readonly wire = new Uint8Array(WIRE_BYTES);
  private wireHead = 0;
  private wireLength = 0;
  private readonly txBatch: number[] = [];
  private ier = 0;
  private lcr = 0x03;
  private mcr = 0;
  private lsrErrors = 0;
  private scr = 0;
  private divisor = 12;
  private fifoEnabled = false;
  private triggerLevel = 1;
  /** The THRE interrupt is armed until IIR is read with it as the source or THR is written. */
  private threPending = true;
  private timeoutPending = false;
  /** MSR delta bits 3:0, cleared by reading MSR. */
  private msrDelta = 0;
  private lastLevel = false;
  private readonly timeoutEvent: TimelineEvent;
  private readonly flushEvent: TimelineEvent;

  constructor(private readonly options: UartOptions) {
    this.timeoutEvent = options.timeline.event(`${options.name}-timeout`, () => { this.timeoutPending = this.rx.length > 0; this.update(); });
    this.flushEvent = options.timeline.event(`${options.name}-tx`, () => this.flush());
    options.backend?.connect((bytes) => this.receive(bytes));
  }

  /** Bytes from the host: queued on the wire, moved into the FIFO as it has room. Returns how many the wire took. */
  receive(bytes: Uint8Array): number {
    const taken = Math.min(bytes.length, WIRE_BYTES - this.wireLength);
    let tail = (this.wireHead + this.wireLength) % WIRE_BYTES;
    for (let i = 0; i < taken; i++) {
      this.wire[tail] = bytes[i]!;
      tail = tail + 1 === WIRE_BYTES ? 0 : tail + 1;
    }
    this.wireLength += taken;
    this.refill();
    return taken;
  }

  /** Bytes on the host's end of the line, not yet in the receive FIFO. */
  get wireBytes(): number {
    return this.wireLength;
  }

  /** Hands batched transmitted bytes to the backend now. */
  flush(): void {
    if (this.txBatch.length === 0) return;
    const bytes = Uint8Array.from(this.txBatch);
    this.txBatch.length = 0;
    this.options.timeline.cancel(this.flushEvent);
    this.options.backend?.write(bytes);
  }

  in8(offset: number): number {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case RBR_THR_DLL: {
        if (dlab) return this.divisor & 0xff;
        const byte = this.rx.shift() ?? 0;
        this.timeoutPending = false;
        this.refill();
        this.armTimeout();
        this.update();
        return byte;
      }
      case IER_DLM: return dlab ? (this.divisor >>> 8) & 0xff : this.ier;
      case IIR_FCR: {
        const iir = this.identify();
        // Reading IIR when THRE is the source clears it (datasheet Table IV, "Reading the IIR ... if source of interrupt").
        if (iir === IIR_THRE) { this.threPending = false; this.update(); }
        return iir | (this.fifoEnabled ? IIR_FIFO_ENABLED : 0);
      }
      case LCR: return this.lcr;
      case MCR: return this.mcr;
      case LSR: {
        let lsr = this.lsrErrors | LSR_THRE | LSR_TEMT;
        if (this.rx.length > 0) lsr |= LSR_DR;
        this.lsrErrors = 0;
        this.update();
        return lsr;
      }
      case MSR: {
        const value = this.modemStatus() | this.msrDelta;
        this.msrDelta = 0;
        this.update();
        return value;
      }
      case SCR: return this.scr;
      default: return 0xff;
    }
  }

  out8(offset: number, value: number): void {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case RBR_THR_DLL:
        if (dlab) { this.divisor = (this.divisor & 0xff00) | value; return; }
        this.transmit(value);
        return;
      case IER_DLM:
        if (dlab) { this.divisor = (this.divisor & 0xff) | (value << 8); return; }
        // Enabling ETBEI with the transmitter empty raises THRE at once (8250 behaviour Linux's autoconfig relies on).
        if ((value & IER_THRI) !== 0 && (this.ier & IER_THRI) === 0) this.threPending = true;
        this.ier = value & 0x0f;
        this.update();
        return;
      case IIR_FCR: this.writeFcr(value); return;
      case LCR: this.lcr = value; return;
      case MCR: {
        const before = this.modemStatus();
        this.mcr = value & 0x1f;
        this.noteModemChange(before);
        this.update();
        return;
      }
      case SCR: this.scr = value; return;
      default: return;
    }
  }

  /** The baud rate the divisor gives (1.8432 MHz / 16 / divisor). */
  get baud(): number {
    return 115200 / (this.divisor || 1);
  }

  private writeFcr(value: number): void {
    const enable = (value & 0x01) !== 0;
    // Changing the FIFO enable bit clears both FIFOs (datasheet FCR bit 0).
    if (enable !== this.fifoEnabled) { this.rx.length = 0; }
    this.fifoEnabled = enable;
    if ((value & 0x02) !== 0) { this.rx.length = 0; this.timeoutPending = false; }
    this.triggerLevel = enable ? TRIGGER_LEVELS[(value >>> 6) & 3]! : 1;
    this.refill();
    this.update();
  }

  private transmit(byte: number): void {
    this.threPending = false;
    if ((this.mcr & MCR_LOOP) !== 0) {
      // Loopback: the transmitter output is wired to the receiver input (datasheet MCR bit 4).
      this.push(byte);
    } else if ((this.lcr & LCR_BREAK) === 0) {
      this.txBatch.push(byte);
      if (this.txBatch.length >= TX_BATCH_BYTES) this.flush();
      else if (this.flushEvent.index < 0) this.options.timeline.schedule(this.flushEvent, this.options.timeline.now() + TX_BATCH_DELAY_NS);
    }
    // The shift register is instantaneous: THR and the FIFO are empty again.
    this.threPending = true;
    this.update();
  }

  /** A byte reaches the receiver; a full FIFO overruns (the byte is lost, LSR.OE). */
  private push(byte: number): void {
    const capacity = this.fifoEnabled ? FIFO_SIZE : 1;
    if (this.rx.length >= capacity) { this.lsrErrors |= LSR_OE; return; }
    this.rx.push(byte);
    this.armTimeout();
  }

  private refill(): void {
    if ((this.mcr & MCR_LOOP) !== 0) return;
    const capacity = this.fifoEnabled ? FIFO_SIZE : 1;
    let moved = false;
    while (this.rx.length < capacity && this.wireLength > 0) {
      this.rx.push(this.wire[this.wireHead]!);
      this.wireHead = this.wireHead + 1 === WIRE_BYTES ? 0 : this.wireHead + 1;
      this.wireLength--;
      moved = true;
    }
    if (moved) { this.armTimeout(); this.update(); }
  }

  /** Character timeout: data below the trigger level and 4 character times with no FIFO activity (datasheet FCR). */
  private armTimeout(): void {
    const timeline = this.options.timeline;
    if (!this.fifoEnabled || this.rx.length === 0 || this.rx.length >= this.triggerLevel) { timeline.cancel(this.timeoutEvent); return; }
    const characterNs = (10 / this.baud) * 1e9;
    timeline.schedule(this.timeoutEvent, timeline.now() + 4 * characterNs);
  }

  private modemStatus(): number {
    if ((this.mcr & MCR_LOOP) !== 0) {
      // Loopback: CTS=RTS, DSR=DTR, RI=OUT1, DCD=OUT2 (datasheet MCR bit 4).
      return ((this.mcr & MCR_RTS) ? 0x10 : 0) | ((this.mcr & MCR_DTR) ? 0x20 : 0) | ((this.mcr & MCR_OUT1) ? 0x40 : 0) | ((this.mcr & MCR_OUT2) ? 0x80 : 0);
    }
    // A connected host terminal: clear to send, data set ready, carrier present.
    return this.options.backend ? 0xb0 : 0x30;
  }

  private noteModemChange(before: number): void {
    const after = this.modemStatus();
    const changed = before ^ after;
    if (changed & 0x10) this.msrDelta |= 0x01;
    if (changed & 0x20) this.msrDelta |= 0x02;
    if ((before & 0x40) && !(after & 0x40)) this.msrDelta |= 0x04; // TERI: trailing edge of RI
    if (changed & 0x80) this.msrDelta |= 0x08;
  }

  /** The highest-priority pending interrupt's IIR code (Table IV), IIR_NONE when none. */
  private identify(): number {
    const ier = this.ier;
    if ((ier & IER_RLSI) !== 0 && (this.lsrErrors & (LSR_OE | 0x0e | LSR_BI)) !== 0) return IIR_RLS;
    if ((ier & IER_RDI) !== 0 && this.rx.length > 0) {
      if (this.rx.length >= this.triggerLevel) return IIR_RDA;
      if (this.timeoutPending) return IIR_TIMEOUT;
      if (!this.fifoEnabled) return IIR_RDA;
    }
    if ((ier & IER_THRI) !== 0 && this.threPending) return IIR_THRE;
    if ((ier & IER_MSI) !== 0 && this.msrDelta !== 0) return IIR_MSR;
    return IIR_NONE;
  }

  /** The INTR pin, gated by OUT2 as the PC's COM port wiring does (OUT2 clear: the line floats low). */
  private update(): void {
    const level = this.identify() !== IIR_NONE && (this.mcr & MCR_OUT2) !== 0 && (this.mcr & MCR_LOOP) === 0;
    if (level !== this.lastLevel) {
      this.lastLevel = level;
      this.options.irq.set(level);
    }
  }
}
