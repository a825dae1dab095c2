/**
 * The 8259A pair's driver (Linux's arch/x86/kernel/i8259.c): remaps IRQ 0-7
 * to vectors 0x20-0x27 and IRQ 8-15 to 0x28-0x2f, cascade on IRQ 2, masks by
 * OCW1, specific EOI by OCW2, spurious IRQ 7/15 detected through the ISR.
 */
import type { IoPorts } from '../../hal/index.js';
import type { IrqChip } from './irq-chip.js';

const MASTER_COMMAND = 0x20;
const MASTER_DATA = 0x21;
const SLAVE_COMMAND = 0xa0;
const SLAVE_DATA = 0xa1;
export const PIC_VECTOR_BASE = 0x20;

export class Pic8259Driver implements IrqChip {
  readonly name = 'XT-PIC';
  /** Masks of IRQ 0-15 (bit set = masked); IRQ 2 stays open for the cascade. */
  private masks = 0xffff & ~(1 << 2);

  constructor(private readonly ports: IoPorts) {}

  init(): void {
    const io = this.ports;
    io.out8(MASTER_COMMAND, 0x11); // ICW1: edge, cascade, ICW4 follows
    io.out8(SLAVE_COMMAND, 0x11);
    io.out8(MASTER_DATA, PIC_VECTOR_BASE); // ICW2: vector bases
    io.out8(SLAVE_DATA, PIC_VECTOR_BASE + 8);
    io.out8(MASTER_DATA, 1 << 2); // ICW3: slave on IRQ 2
    io.out8(SLAVE_DATA, 2); // ICW3: slave identity
    io.out8(MASTER_DATA, 0x01); // ICW4: 8086 mode, normal EOI
    io.out8(SLAVE_DATA, 0x01);
    this.writeMasks();
  }

  vectorOf(irq: number): number { return PIC_VECTOR_BASE + irq; }

  irqOf(vector: number): number {
    const irq = vector - PIC_VECTOR_BASE;
    return irq >= 0 && irq < 16 ? irq : -1;
  }

  unmask(irq: number): void { this.masks &= ~(1 << irq); this.writeMasks(); }

  mask(irq: number): void { if (irq !== 2) { this.masks |= 1 << irq; this.writeMasks(); } }

  eoi(irq: number): void {
    if (irq >= 8) {
      this.ports.out8(SLAVE_COMMAND, 0x60 | (irq - 8));
      this.ports.out8(MASTER_COMMAND, 0x60 | 2);
    } else {
      this.ports.out8(MASTER_COMMAND, 0x60 | irq);
    }
  }

  /** IRQ 7 / 15 whose ISR bit is clear were spurious (the request vanished before INTA). */
  isSpurious(vector: number): boolean {
    const irq = this.irqOf(vector);
    if (irq !== 7 && irq !== 15) return false;
    const command = irq === 7 ? MASTER_COMMAND : SLAVE_COMMAND;
    this.ports.out8(command, 0x0b); // OCW3: read ISR
    const isr = this.ports.in8(command);
    this.ports.out8(command, 0x0a); // back to IRR
    if ((isr & 0x80) !== 0) return false;
    if (irq === 15) this.ports.out8(MASTER_COMMAND, 0x60 | 2); // the master saw a real cascade request
    return true;
  }

  private writeMasks(): void {
    this.ports.out8(MASTER_DATA, this.masks & 0xff);
    this.ports.out8(SLAVE_DATA, this.masks >>> 8);
  }
}
