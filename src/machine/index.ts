/** The emulated PC: what system/ may use from machine/. */
export { Ram, defaultE820Map, PAGE_SIZE } from './memory/ram.js';
export { Mmu } from './mmu/mmu.js';
export { PageEntry, walkPageTables, PageWalkResult } from './mmu/page-walk.js';
export type { MemoryBus } from './mmu/memory-bus.js';
export { CPU_FAULT } from './cpu/fault.js';
export { assembleMachine, type Machine, type MachineConfig } from './machine.js';
export { PageTableBuilder, type MapFlags } from './testing/page-tables.js';
