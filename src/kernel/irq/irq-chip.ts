/**
 * An interrupt controller as the kernel drives it (Linux's struct irq_chip):
 * the 8259 pair at boot, the I/O APIC + local APIC when the timer code
 * switches to them. IRQ numbers are the ISA/GSI line numbers.
 */
export interface IrqChip {
  readonly name: string;
  /** Programs the controller (vector bases, all lines masked). */
  init(): void;
  /** The vector IRQ `irq` arrives on. */
  vectorOf(irq: number): number;
  /** The IRQ a vector belongs to, or -1 (an exception or spurious vector). */
  irqOf(vector: number): number;
  unmask(irq: number): void;
  mask(irq: number): void;
  /** End of interrupt, after the handler ran. */
  eoi(irq: number): void;
  /** Whether `vector` is this chip's spurious vector (no EOI, not counted as an IRQ). */
  isSpurious(vector: number): boolean;
}
