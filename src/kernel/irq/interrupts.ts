/**
 * The kernel's IDT for external interrupts (Linux's request_irq /
 * handle_irq): drivers register a handler for an IRQ line; after the vcpu
 * exits with Exit.Interrupt the run loop calls `dispatch`, which acknowledges
 * every pending vector, runs its handler and sends EOI. Counts per IRQ are
 * the /proc/interrupts view.
 */
import type { Platform } from '../../hal/index.js';
import type { IrqChip } from './irq-chip.js';

export type IrqHandler = (irq: number) => void;

interface Action { readonly name: string; readonly handler: IrqHandler }

export class Interrupts {
  private readonly actions = new Map<number, Action[]>();
  /** Interrupts taken per IRQ (the /proc/interrupts columns). */
  readonly counts = new Map<number, number>();
  spurious = 0;

  constructor(private readonly platform: Platform, public chip: IrqChip) {}

  /** Registers `handler` for IRQ `irq` and unmasks it (request_irq; lines may be shared). */
  request(irq: number, name: string, handler: IrqHandler): void {
    const list = this.actions.get(irq) ?? [];
    list.push({ name, handler });
    this.actions.set(irq, list);
    if (!this.counts.has(irq)) this.counts.set(irq, 0);
    this.chip.unmask(irq);
  }

  free(irq: number, name: string): void {
    const list = (this.actions.get(irq) ?? []).filter((a) => a.name !== name);
    if (list.length === 0) { this.actions.delete(irq); this.chip.mask(irq); } else this.actions.set(irq, list);
  }

  /** Moves every registered line to `chip` (the switch from the 8259 to the APICs). */
  switchChip(chip: IrqChip): void {
    for (const irq of this.actions.keys()) this.chip.mask(irq);
    this.chip = chip;
    chip.init();
    for (const irq of this.actions.keys()) chip.unmask(irq);
  }

  /** Takes every pending interrupt: acknowledge, handle, EOI. */
  dispatch(): void {
    for (;;) {
      const vector = this.platform.acknowledgeInterrupt();
      if (vector < 0) return;
      if (this.chip.isSpurious(vector)) { this.spurious++; continue; }
      const irq = this.chip.irqOf(vector);
      if (irq < 0) { this.spurious++; continue; }
      this.counts.set(irq, (this.counts.get(irq) ?? 0) + 1);
      for (const action of this.actions.get(irq) ?? []) action.handler(irq);
      this.chip.eoi(irq);
    }
  }

  /** Registered lines with their handler names, for /proc/interrupts. */
  lines(): { irq: number; count: number; names: string[] }[] {
    return [...this.actions.entries()].sort((a, b) => a[0] - b[0])
      .map(([irq, list]) => ({ irq, count: this.counts.get(irq) ?? 0, names: list.map((a) => a.name) }));
  }
}
