/** External interrupts: the controller drivers and the IRQ table drivers register with. */
export type { IrqChip } from './irq-chip.js';
export { Pic8259Driver, PIC_VECTOR_BASE } from './pic8259.js';
export { Interrupts, type IrqHandler } from './interrupts.js';
