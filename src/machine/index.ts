/** The emulated PC: what system/ may use from machine/. */
export { Ram, defaultE820Map, openBus, PAGE_SIZE, type UnbackedPhysical } from './memory/ram.js';
export { Mmu } from './mmu/mmu.js';
export { PageEntry, walkPageTables, PageWalkResult } from './mmu/page-walk.js';
export type { MemoryBus } from './mmu/memory-bus.js';
export { CPU_FAULT } from './cpu/fault.js';
export { assembleMachine, createMachine, type Machine, type MachineBackends, type MachineConfig, type PcMachine } from './machine.js';
export { PcPlatform, TSC_HZ } from './platform.js';
export { Cpu } from './cpu/index.js';
export { PageTableBuilder, createTestMachine, type MapFlags } from './testing/page-tables.js';
