/**
 * The 8259A programmable interrupt controller pair of a PC/AT: master at
 * ports 0x20/0x21, slave at 0xA0/0xA1 cascaded on the master's IRQ 2
 * (Intel 8259A datasheet). Edge-triggered, fully nested mode: IRQ 0 has the
 * highest priority, an IRQ is delivered only if no equal or higher one is in
 * service. Supports the ICW1-4 initialization sequence, OCW1 masks, OCW2
 * non-specific / specific EOI, OCW3 IRR/ISR reads, auto-EOI, and the
 * spurious IRQ 7 / 15 when a request vanishes before acknowledge.
 */
import type { PortDevice } from '../bus/io-bus.js';
import type { InterruptController, IrqSink } from './irq.js';

class Chip implements PortDevice {
  irr = 0;
  isr = 0;
  imr = 0xff;
  vectorBase = 0;
  autoEoi = false;
  readIsr = false;
  /** Next expected ICW (2-4) during initialization; 0 when operating. */
  private initStep = 0;
  private expectIcw4 = false;
  /** Line levels, for edge detection. */
  lines = 0;

  constructor(private readonly changed: () => void, private readonly cascadeIrq: number) {}

  setLine(irq: number, level: boolean): void {
    const bit = 1 << irq;
    if (level && (this.lines & bit) === 0) this.irr |= bit;
    if (level) this.lines |= bit;
    else this.lines &= ~bit;
    this.changed();
  }

  /** The highest-priority request that may interrupt now, or -1. */
  best(): number {
    const requests = this.irr & ~this.imr;
    if (requests === 0) return -1;
    for (let irq = 0; irq < 8; irq++) {
      const bit = 1 << irq;
      // Fully nested: an in-service IRQ blocks itself and lower priorities, except the cascade input.
      if ((this.isr & bit) !== 0 && irq !== this.cascadeIrq) return -1;
      if ((requests & bit) !== 0) return irq;
    }
    return -1;
  }

  acknowledge(irq: number): void {
    const bit = 1 << irq;
    this.irr &= ~bit;
    if (!this.autoEoi) this.isr |= bit;
  }

  in8(offset: number): number {
    if (offset === 1) return this.imr;
    return this.readIsr ? this.isr : this.irr;
  }

  out8(offset: number, value: number): void {
    if (offset === 0) {
      if (value & 0x10) { // ICW1
        this.initStep = 2;
        this.expectIcw4 = (value & 1) !== 0;
        this.imr = 0;
        this.isr = 0;
        this.irr = 0;
        this.autoEoi = false;
        this.readIsr = false;
      } else if (value & 0x08) { // OCW3
        if (value & 0x02) this.readIsr = (value & 1) !== 0;
      } else { // OCW2
        const command = value >> 5;
        if (command === 1) this.isr &= this.isr - 1; // non-specific EOI: the highest priority in service is the lowest bit
        else if (command === 3) this.isr &= ~(1 << (value & 7)); // specific EOI
      }
      this.changed();
      return;
    }
    switch (this.initStep) {
      case 2: this.vectorBase = value & 0xf8; this.initStep = 3; break;
      case 3: this.initStep = this.expectIcw4 ? 4 : 0; break;
      case 4: this.autoEoi = (value & 2) !== 0; this.initStep = 0; break;
      default: this.imr = value; break;
    }
    this.changed();
  }
}

export class Pic8259Pair implements IrqSink, InterruptController {
  readonly master: Chip;
  readonly slave: Chip;
  /** Called when an interrupt becomes deliverable (raises the CPU's INTR). */
  private readonly onRequest: () => void;

  constructor(onRequest: () => void) {
    this.onRequest = onRequest;
    this.master = new Chip(() => this.update(), 2);
    this.slave = new Chip(() => this.update(), -1);
  }

  setIrq(irq: number, level: boolean): void {
    if (irq < 8) this.master.setLine(irq, level);
    else if (irq < 16) this.slave.setLine(irq - 8, level);
  }

  pending(): boolean {
    return this.master.best() >= 0;
  }

  acknowledge(): number {
    const irq = this.master.best();
    if (irq < 0) return -1;
    if (irq !== 2) {
      this.master.acknowledge(irq);
      this.update();
      return this.master.vectorBase + irq;
    }
    const slaveIrq = this.slave.best();
    this.master.acknowledge(2);
    if (slaveIrq < 0) {
      this.update();
      return this.slave.vectorBase + 7; // spurious IRQ 15
    }
    this.slave.acknowledge(slaveIrq);
    this.update();
    return this.slave.vectorBase + slaveIrq;
  }

  /** The slave's INT output drives the master's IRQ 2 input. */
  private update(): void {
    const slaveRequest = this.slave.best() >= 0;
    if (slaveRequest !== ((this.master.lines & 4) !== 0)) this.master.setLine(2, slaveRequest);
    else if (this.master.best() >= 0) this.onRequest();
  }
}
