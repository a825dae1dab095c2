/**
 * Runs a static i386 ELF (the CPU benchmarks) on a fresh emulated machine
 * through the bare runner: no kernel, only write(2) to stdout and exit_group.
 * Returns the output, the instructions retired and the seconds spent in the
 * run loop (machine creation and ELF loading excluded).
 */
import { readFileSync } from 'node:fs';
import { createMachine } from '../../machine/index.js';
import { createWriteExitSyscalls, loadStaticElf, runBare } from '../bare/index.js';

export interface BareProgramRun {
  readonly stdout: string;
  readonly exitStatus: number | null;
  readonly instructions: number;
  readonly seconds: number;
  /** User+system CPU seconds of this process during the run (steadier than wall time on a busy host). */
  readonly cpuSeconds: number;
  /** Set when the program faulted, made another syscall, exited non-zero or ran out of instructions. */
  readonly error?: string;
}

export interface BareProgramOptions {
  /** Guest RAM; the memory benchmark needs 12 MiB of .bss plus page tables and stack. */
  readonly memoryMiB?: number;
  /** Stop (and fail) after this many instructions: a guard against a CPU bug that loops forever. */
  readonly maxInstructions?: number;
}

const hex = (value: number): string => `0x${(value >>> 0).toString(16)}`;

export function runBareProgram(file: string, argv: readonly string[], options: BareProgramOptions = {}): BareProgramRun {
  const machine = createMachine({ memoryMiB: options.memoryMiB ?? 64 });
  loadStaticElf(machine, readFileSync(file), argv);
  const syscalls = createWriteExitSyscalls();
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const result = runBare(machine, {
    onSyscall: syscalls.onSyscall,
    budget: 10_000_000,
    maxInstructions: options.maxInstructions ?? 20_000_000_000,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpuUsed = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;
  const stdout = Buffer.from(syscalls.stdout).toString('latin1');
  const run = { stdout, exitStatus: result.exitStatus, instructions: result.instructions, seconds, cpuSeconds };

  let error: string | undefined;
  if (result.reason === 'exception') {
    error = `exception vector ${result.vector} (error code ${result.errorCode}, cr2 ${hex(result.cr2 ?? 0)}) at eip ${hex(result.eip)}`;
  } else if (result.reason !== 'exit') {
    error = `stopped by ${result.reason} at eip ${hex(result.eip)}`;
  } else if (result.exitStatus !== 0) {
    error = `exit status ${result.exitStatus}`;
  } else if (syscalls.unsupported.length > 0) {
    error = `unsupported syscalls ${syscalls.unsupported.join(', ')}`;
  }
  return error === undefined ? run : { ...run, error };
}
