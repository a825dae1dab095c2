/**
 * The bare run loop (a test and benchmark harness, NOT the kernel): calls
 * vcpu.run(budget) until the program exits, faults or uses up its
 * instruction limit, handing each int 0x80 to `onSyscall`. It reports the
 * instructions retired.
 */
import { Exit } from '../../hal/vcpu.js';
import { assertNever } from '../../base/assert.js';
import type { Machine } from '../../machine/index.js';

export interface BareRunOptions {
  /**
   * Handles one int 0x80 (arguments in the vcpu's registers; write the result
   * to gpr[EAX]). Returns an exit status to end the run, or undefined to resume.
   */
  onSyscall: (machine: Machine) => number | undefined;
  /** Instructions per vcpu.run call (default 1,000,000). */
  budget?: number;
  /** Stop after about this many instructions (default: no limit). */
  maxInstructions?: number;
}

export type BareStopReason = 'exit' | 'exception' | 'halt' | 'sysenter' | 'instruction-limit';

export interface BareRunResult {
  reason: BareStopReason;
  /** The status passed to exit/exit_group, when reason is 'exit'. */
  exitStatus: number | null;
  /** Instructions retired during this run. */
  instructions: number;
  /** Where the vcpu stopped; for an exception, its vector, error code and CR2. */
  eip: number;
  vector?: number;
  errorCode?: number;
  cr2?: number;
}

export function runBare(machine: Machine, options: BareRunOptions): BareRunResult {
  const cpu = machine.cpu;
  const budget = options.budget ?? 1_000_000;
  const limit = options.maxInstructions ?? Infinity;
  const start = cpu.instructionsRetired;
  const stop = (reason: BareStopReason, exitStatus: number | null = null): BareRunResult =>
    ({ reason, exitStatus, instructions: cpu.instructionsRetired - start, eip: cpu.eip >>> 0 });
  for (;;) {
    const used = cpu.instructionsRetired - start;
    if (used >= limit) return stop('instruction-limit');
    const exit = cpu.run(Math.min(budget, limit - used));
    switch (exit) {
      case Exit.Syscall: {
        const status = options.onSyscall(machine);
        if (status !== undefined) return stop('exit', status);
        break;
      }
      case Exit.Exception:
        return { ...stop('exception'), vector: cpu.exitVector, errorCode: cpu.exitErrorCode, cr2: cpu.cr2 >>> 0 };
      case Exit.Sysenter:
        return stop('sysenter');
      case Exit.Halt:
        return stop('halt');
      case Exit.Interrupt:
      case Exit.Budget:
        break;
      default:
        assertNever(exit);
    }
  }
}
