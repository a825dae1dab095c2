/**
 * The operand fields of a decoded instruction that CpuCore's operand helpers
 * (ea, readRm*, writeRm*) read. Instruction implements it; keeping it separate
 * lets cpu-core.ts avoid importing instruction.ts (which imports cpu-core.ts).
 */
export interface MemoryOperand {
  readonly registerForm: boolean;
  readonly rm: number;
  readonly rm8: number;
  readonly base: number;
  readonly index: number;
  readonly scale: number;
  readonly displacement: number;
  readonly segment: number;
  readonly addressMask: number;
}
