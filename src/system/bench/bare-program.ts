/**
 * Runs a static i386 ELF (the CPU benchmarks) on a fresh emulated machine
 * through the bare runner: no kernel, only write(2) to stdout and exit_group.
 * Returns the output, the instructions retired and the seconds spent in the
 * run loop (loading excluded).
 */

export interface BareProgramRun {
  readonly stdout: string;
  readonly exitStatus: number | null;
  readonly instructions: number;
  readonly seconds: number;
  /** Set when the program faulted, made another syscall or ran out of budget. */
  readonly error?: string;
}

export function runBareProgram(_file: string, _argv: readonly string[]): BareProgramRun {
  return { stdout: '', exitStatus: null, instructions: 0, seconds: 0, error: 'the bare runner (src/system/bare) has not landed yet' };
}
