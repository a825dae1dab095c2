/**
 * What the x87 unit needs from the integer core: memory, the flags fcomi and
 * fucomi write, AX for fnstsw ax, and the instruction's address and opcode for
 * the FPU's last-instruction pointers (FIP/FCS/FOP/FDP/FDS, seen by fnstenv).
 */
import type { MemoryBus } from '../../mmu/memory-bus.js';

export interface FpuHost {
  readonly memory: MemoryBus;
  /** Sets ZF, PF, CF as fcomi does and clears OF, SF, AF. */
  setComparisonFlags(zf: boolean, pf: boolean, cf: boolean): void;
  /** Reads EFLAGS (for fcmovcc). */
  getEflags(): number;
  /** Writes AX (fnstsw ax). */
  setAx(value: number): void;
}
