/** The i686 CPU: the vcpu (Cpu), its opcode table and the memory interface it needs. */
export { Cpu } from './cpu.js';
export { CpuCore } from './cpu-core.js';
export type { CpuMemory } from './cpu-memory.js';
export { OPCODE_FORMS } from './opcodes/index.js';
export { CPU_FAULT } from './fault.js';
