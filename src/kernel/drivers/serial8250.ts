/**
 * The 8250/16550A serial driver (Linux's drivers/tty/serial/8250): probes a
 * UART through its scratch register, programs 115200 8N1 with the receive FIFO
 * at its 8-byte trigger, and moves bytes by interrupt only — received bytes go
 * to the tty port from the ISR as far as the line discipline has room (then
 * the receive interrupt is switched off until a reader makes room: throttling,
 * the bytes wait in the UART), output waits in a 4 KiB transmit ring that the
 * ISR feeds into the FIFO 16 bytes per load while THR is empty (serial8250_tx_chars).
 */
import type { IoPorts } from '../../hal/index.js';
import type { TtyDriver, TtyPort } from '../tty/index.js';

const RBR = 0;
const THR = 0;
const IER = 1;
const IIR = 2;
const FCR = 2;
const LCR = 3;
const MCR = 4;
const LSR = 5;
const SCR = 7;

const IER_RDI = 0x01;
const IER_THRI = 0x02;
const IER_RLSI = 0x04;
const LSR_DR = 0x01;
const LSR_THRE = 0x20;
const IIR_NO_INT = 0x01;
/** FIFO enable, clear both FIFOs, receive trigger at 8 bytes (UART_FCR_R_TRIG_10). */
const FCR_VALUE = 0x01 | 0x02 | 0x04 | 0x80;
/** DTR, RTS and OUT2 (the PC's interrupt gate). */
const MCR_VALUE = 0x01 | 0x02 | 0x08;
const TX_FIFO = 16;
/** serial8250_rx_chars reads at most this many characters per pass. */
const RX_BUDGET = 256;
/** serial8250_interrupt's PASS_LIMIT: passes over IIR before the handler gives up. */
const PASS_LIMIT = 512;
/** UART_XMIT_SIZE (PAGE_SIZE); writers are woken when it drains below WAKEUP_CHARS. */
const XMIT_SIZE = 4096;
const WAKEUP_CHARS = 256;

/** Whether a 16550-compatible UART answers at `base` (the scratch register holds what was written). */
export function probeUart(ports: IoPorts, base: number): boolean {
  ports.out8(base + SCR, 0x5a);
  if (ports.in8(base + SCR) !== 0x5a) return false;
  ports.out8(base + SCR, 0xa5);
  return ports.in8(base + SCR) === 0xa5;
}

export class Serial8250 implements TtyDriver {
  port: TtyPort | null = null;
  private readonly xmit = new Uint8Array(XMIT_SIZE);
  private head = 0;
  private tail = 0;
  private ier = IER_RDI | IER_RLSI;
  /** Receive interrupts are off because the tty had no room (see throttle). */
  private throttled = false;
  /** Interrupts handled and bytes moved, for machine status. */
  interrupts = 0;
  received = 0;
  transmitted = 0;

  constructor(readonly name: string, private readonly ports: IoPorts, private readonly base: number) {}

  /** Programs the line (115200 8N1, FIFOs, modem control) and enables the receive interrupts. */
  startup(): void {
    const io = this.ports;
    const base = this.base;
    io.out8(base + IER, 0);
    io.out8(base + LCR, 0x80); // DLAB: divisor latch
    io.out8(base + 0, 1); // divisor 1: 115200 baud
    io.out8(base + 1, 0);
    io.out8(base + LCR, 0x03); // 8 data bits, no parity, 1 stop bit
    io.out8(base + FCR, FCR_VALUE);
    io.out8(base + MCR, MCR_VALUE);
    // Drain stale input and clear pending conditions (serial8250_clear_interrupts).
    for (let i = 0; i < 32 && (io.in8(base + LSR) & LSR_DR) !== 0; i++) io.in8(base + RBR);
    io.in8(base + IIR);
    io.out8(base + IER, this.ier);
  }

  /**
   * The IRQ handler (serial8250_handle_irq): receive while data is ready and the tty has room,
   * transmit while THR is empty, until IIR says none. The PC's ISA interrupt is edge-triggered,
   * so leaving with a source still pending would lose it: reads stop only by switching the
   * receive interrupt off (throttle), and a handler that hits PASS_LIMIT re-arms the edge.
   */
  interrupt(): void {
    this.interrupts++;
    const io = this.ports;
    const base = this.base;
    for (let pass = 0; pass < PASS_LIMIT; pass++) {
      if ((io.in8(base + IIR) & IIR_NO_INT) !== 0) return;
      let lsr = io.in8(base + LSR);
      if ((lsr & LSR_DR) !== 0 && (this.ier & IER_RDI) !== 0) lsr = this.receiveChars(lsr);
      if ((lsr & LSR_THRE) !== 0 && (this.ier & IER_THRI) !== 0) this.transmitChars();
    }
    // serial8250_backup_timeout's trick: IER off and on again makes a still-pending source a new edge.
    io.out8(base + IER, 0);
    io.out8(base + IER, this.ier);
  }

  /**
   * serial8250_rx_chars: up to RX_BUDGET bytes, read only as far as the tty has room (asked again
   * after each batch: an overflowing canonical line takes one byte at a time); returns the last LSR.
   */
  private receiveChars(lsr: number): number {
    const io = this.ports;
    const base = this.base;
    for (let budget = RX_BUDGET; (lsr & LSR_DR) !== 0 && budget > 0;) {
      const room = this.port ? this.port.receiveRoom() : budget;
      // The line discipline is full (n_tty's no_room): stop receiving until a read makes room.
      if (room === 0) { this.throttle(); break; }
      const bytes: number[] = [];
      while ((lsr & LSR_DR) !== 0 && bytes.length < Math.min(room, budget)) {
        bytes.push(io.in8(base + RBR));
        lsr = io.in8(base + LSR);
      }
      budget -= bytes.length;
      this.received += bytes.length;
      this.port?.receive(Uint8Array.from(bytes));
    }
    return lsr;
  }

  /** serial8250_stop_rx: no receive interrupts; what arrives waits in the FIFO (and the host's end of the line). */
  private throttle(): void {
    this.throttled = true;
    this.ier &= ~(IER_RDI | IER_RLSI);
    this.ports.out8(this.base + IER, this.ier);
  }

  /** The tty has room again (tty_unthrottle): receive interrupts back on; data already waiting raises one at once. */
  unthrottle(): void {
    if (!this.throttled) return;
    this.throttled = false;
    this.ier |= IER_RDI | IER_RLSI;
    this.ports.out8(this.base + IER, this.ier);
  }

  write(bytes: Uint8Array): number {
    const room = this.writeRoom();
    const n = Math.min(room, bytes.length);
    for (let i = 0; i < n; i++) {
      this.xmit[this.head] = bytes[i]!;
      this.head = (this.head + 1) % XMIT_SIZE;
    }
    if (n > 0) this.startTx();
    return n;
  }

  writeRoom(): number {
    return XMIT_SIZE - 1 - this.charsInBuffer();
  }

  charsInBuffer(): number {
    return (this.head - this.tail + XMIT_SIZE) % XMIT_SIZE;
  }

  /** serial8250_start_tx: enable THRI; the interrupt (raised at once while THR is empty) starts the FIFO. */
  private startTx(): void {
    if ((this.ier & IER_THRI) !== 0) return;
    this.ier |= IER_THRI;
    this.ports.out8(this.base + IER, this.ier);
  }

  /**
   * serial8250_tx_chars: loads of up to 16 bytes (the FIFO) while LSR says THR is empty. An
   * emulated UART empties its FIFO at once, so one interrupt may send the whole ring; a real one
   * stops after one load until the next THRE interrupt.
   */
  private transmitChars(): void {
    const io = this.ports;
    const base = this.base;
    do {
      for (let count = 0; count < TX_FIFO && this.tail !== this.head; count++) {
        io.out8(base + THR, this.xmit[this.tail]!);
        this.tail = (this.tail + 1) % XMIT_SIZE;
        this.transmitted++;
      }
    } while (this.tail !== this.head && (io.in8(base + LSR) & LSR_THRE) !== 0);
    if (this.charsInBuffer() < WAKEUP_CHARS) this.port?.writeWakeup();
    if (this.tail === this.head) {
      // serial8250_stop_tx: nothing left to send; no more THRE interrupts.
      this.ier &= ~IER_THRI;
      io.out8(base + IER, this.ier);
    }
  }
}
