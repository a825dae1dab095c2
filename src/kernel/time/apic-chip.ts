/**
 * The I/O APIC + local APIC as the kernel's interrupt chip (Linux's
 * IO-APIC-edge and the local vectors): ISA IRQ n arrives on vector 0x30 + n
 * through redirection entry n, the local APIC timer on LOCAL_TIMER_VECTOR as
 * pseudo-IRQ LOCAL_TIMER_IRQ, EOI goes to the local APIC, 0xff is spurious.
 * init() masks the 8259 pair and enables the local APIC (SVR bit 8).
 */
import type { Platform } from '../../hal/index.js';
import type { IrqChip } from '../irq/index.js';
import { LOCAL_TIMER_IRQ, LOCAL_TIMER_VECTOR } from './clockevents.js';

const IOAPIC_VECTOR_BASE = 0x30;
const SPURIOUS_VECTOR = 0xff;
const LAPIC_EOI = 0x0b0, LAPIC_SVR = 0x0f0, LAPIC_LVT_TIMER = 0x320;
const MASKED = 1 << 16;

export class ApicChip implements IrqChip {
  readonly name = 'IO-APIC';
  constructor(private readonly platform: Platform, private readonly localApic: number, private readonly ioApic: number) {}

  static probe(platform: Platform): ApicChip | null {
    const { localApicBase, ioApicBase } = platform.firmware;
    return localApicBase === undefined || ioApicBase === undefined ? null : new ApicChip(platform, localApicBase, ioApicBase);
  }

  private writeEntry(irq: number, low: number): void {
    this.platform.mmio.write32(this.ioApic, 0x10 + 2 * irq);
    this.platform.mmio.write32(this.ioApic + 0x10, low);
  }

  init(): void {
    // Linux's disable_8259A_irq for every line: the 8259s' output goes nowhere once the APIC is on.
    this.platform.ports.out8(0x21, 0xff);
    this.platform.ports.out8(0xa1, 0xff);
    this.platform.mmio.write32(this.localApic + LAPIC_SVR, 0x100 | SPURIOUS_VECTOR);
    for (let irq = 0; irq < 24; irq++) this.writeEntry(irq, MASKED | (IOAPIC_VECTOR_BASE + irq));
  }

  vectorOf(irq: number): number { return irq === LOCAL_TIMER_IRQ ? LOCAL_TIMER_VECTOR : IOAPIC_VECTOR_BASE + irq; }

  irqOf(vector: number): number {
    if (vector === LOCAL_TIMER_VECTOR) return LOCAL_TIMER_IRQ;
    const irq = vector - IOAPIC_VECTOR_BASE;
    return irq >= 0 && irq < 24 ? irq : -1;
  }

  unmask(irq: number): void { this.setMask(irq, false); }
  mask(irq: number): void { this.setMask(irq, true); }

  private setMask(irq: number, masked: boolean): void {
    const mmio = this.platform.mmio;
    if (irq === LOCAL_TIMER_IRQ) {
      const lvt = mmio.read32(this.localApic + LAPIC_LVT_TIMER);
      mmio.write32(this.localApic + LAPIC_LVT_TIMER, masked ? lvt | MASKED : (lvt & ~MASKED & ~0xff) | LOCAL_TIMER_VECTOR);
      return;
    }
    if (irq >= 24) return;
    this.writeEntry(irq, (masked ? MASKED : 0) | this.vectorOf(irq));
  }

  eoi(): void { this.platform.mmio.write32(this.localApic + LAPIC_EOI, 0); }

  isSpurious(vector: number): boolean { return vector === SPURIOUS_VECTOR; }
}
