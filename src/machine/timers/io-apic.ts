/**
 * The I/O APIC (Intel 82093AA datasheet) at 0xFEC00000: IOREGSEL at 0x00 and
 * IOWIN at 0x10 reach the ID, version and arbitration registers and 24
 * redirection entries (vector, delivery mode, polarity, remote IRR, trigger
 * mode, mask). It sits on the IRQ lines beside the 8259 pair; ISA IRQ n is
 * input n (no interrupt source overrides). Edge inputs deliver on the rising
 * edge; level inputs while asserted, once per EOI (the remote IRR).
 */
import type { MmioDevice } from '../bus/mmio-bus.js';
import type { IrqSink } from '../interrupts/irq.js';

export const IO_APIC_BASE = 0xfec00000;
export const IO_APIC_INPUTS = 24;

const MASKED = 1 << 16;
const LEVEL = 1 << 15;
const REMOTE_IRR = 1 << 14;
/** Bits the kernel may write in the low dword (delivery status and remote IRR are read-only). */
const WRITABLE_LOW = 0x0001afff;

/** Where the I/O APIC sends vectors (the local APIC's accept). */
export type VectorSink = (vector: number, level: boolean) => void;

export class IoApic implements MmioDevice, IrqSink {
  private select = 0;
  private id = 0;
  private readonly low = new Uint32Array(IO_APIC_INPUTS).fill(MASKED);
  private readonly high = new Uint32Array(IO_APIC_INPUTS);
  private readonly levels = new Uint8Array(IO_APIC_INPUTS);

  constructor(private readonly deliver: VectorSink) {}

  setIrq(irq: number, level: boolean): void {
    if (irq >= IO_APIC_INPUTS) return;
    const rising = level && this.levels[irq] === 0;
    this.levels[irq] = level ? 1 : 0;
    const entry = this.low[irq]!;
    if ((entry & LEVEL) !== 0) { if (level) this.deliverLevel(irq); return; }
    if (rising && (entry & MASKED) === 0) this.deliver(entry & 0xff, false);
  }

  /** A level-triggered vector was EOId at the local APIC: clear remote IRR and re-deliver if still asserted. */
  endOfInterrupt(vector: number): void {
    for (let pin = 0; pin < IO_APIC_INPUTS; pin++) {
      const entry = this.low[pin]!;
      if ((entry & LEVEL) === 0 || (entry & 0xff) !== vector || (entry & REMOTE_IRR) === 0) continue;
      this.low[pin] = entry & ~REMOTE_IRR;
      if (this.levels[pin]) this.deliverLevel(pin);
    }
  }

  private deliverLevel(pin: number): void {
    const entry = this.low[pin]!;
    if ((entry & (MASKED | REMOTE_IRR)) !== 0) return;
    this.low[pin] = (entry | REMOTE_IRR) >>> 0;
    this.deliver(entry & 0xff, true);
  }

  read32(offset: number): number {
    if (offset === 0x00) return this.select;
    if (offset !== 0x10) return 0;
    const register = this.select;
    switch (register) {
      case 0x00: return (this.id << 24) >>> 0;
      case 0x01: return ((IO_APIC_INPUTS - 1) << 16) | 0x11; // 82093AA: version 0x11
      case 0x02: return (this.id << 24) >>> 0; // arbitration id
      default: {
        const pin = (register - 0x10) >> 1;
        if (register < 0x10 || pin >= IO_APIC_INPUTS) return 0;
        return (register & 1) === 0 ? this.low[pin]! : this.high[pin]!;
      }
    }
  }

  write32(offset: number, value: number): void {
    if (offset === 0x00) { this.select = value & 0xff; return; }
    if (offset !== 0x10) return;
    const register = this.select;
    if (register === 0x00) { this.id = (value >>> 24) & 0xf; return; }
    const pin = (register - 0x10) >> 1;
    if (register < 0x10 || pin >= IO_APIC_INPUTS) return;
    if ((register & 1) === 1) { this.high[pin] = value & 0xff000000; return; }
    const old = this.low[pin]!;
    let entry = ((old & ~WRITABLE_LOW) | (value & WRITABLE_LOW)) >>> 0;
    if ((entry & LEVEL) === 0) entry &= ~REMOTE_IRR;
    this.low[pin] = entry >>> 0;
    // Unmasking an asserted level input delivers it now.
    if ((entry & LEVEL) !== 0 && this.levels[pin]) this.deliverLevel(pin);
  }
}
