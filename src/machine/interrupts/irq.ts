/**
 * Interrupt request lines. A device drives its line high or low; the router
 * forwards every change to each interrupt controller wired to the ISA IRQs
 * (the 8259 pair, and the I/O APIC when present), as the PC's wiring does.
 */

export interface IrqLine {
  /** Drives the line (true = asserted). Edge-triggered controllers latch on the rising edge. */
  set(level: boolean): void;
  /** A rising then falling edge: an edge-triggered device's single interrupt. */
  pulse(): void;
}

/** An interrupt controller's view of the ISA lines. */
export interface IrqSink {
  setIrq(irq: number, level: boolean): void;
}

/** Where the CPU asks which interrupt to take (the INTA cycle). */
export interface InterruptController {
  /** The vector to deliver now (marking it in service), or -1. */
  acknowledge(): number;
  /** Whether an interrupt is waiting for the CPU. */
  pending(): boolean;
}

export class IrqRouter {
  readonly sinks: IrqSink[] = [];
  private readonly levels = new Uint8Array(24);

  line(irq: number): IrqLine {
    return {
      set: (level) => this.set(irq, level),
      pulse: () => { this.set(irq, true); this.set(irq, false); },
    };
  }

  level(irq: number): boolean {
    return this.levels[irq] !== 0;
  }

  private set(irq: number, level: boolean): void {
    this.levels[irq] = level ? 1 : 0;
    for (const sink of this.sinks) sink.setIrq(irq, level);
  }
}
