/**
 * The syscall fuzz on ir0: each round boots a fresh system (virtual time, so a
 * round is reproducible from its seed), runs userland/fuzz/sysfuzz, then
 * fuzz-clean (which deletes what the fuzzer created) and hello. A round fails
 * when the kernel panics or a host exception escapes it, when the fuzzer's
 * parent does not finish normally, when free pages after the cleanup differ
 * from free pages before the fuzz (a leak), or when hello does not run normally.
 */
import { bootCaptured, type CapturedRun } from './captured-run.js';
import { fuzzRoot } from './fuzz-programs.js';

export interface SyscallFuzzOptions {
  /** The first round's seed; round i uses seed + i. */
  readonly seed: number;
  /** Stop after this many rounds ... */
  readonly rounds?: number;
  /** ... or once this many host seconds have passed (whichever comes first). */
  readonly seconds?: number;
  /** Syscalls per round and per batch (child process). */
  readonly callsPerRound: number;
  readonly callsPerBatch: number;
  readonly memoryMiB?: number;
  /** Called after each round. */
  readonly onRound?: (round: SyscallFuzzRound) => void;
}

export interface SyscallFuzzRound {
  readonly seed: number;
  /** The fuzzer's summary line ("sysfuzz seed=... deaths=... hangs=..."), if it printed one. */
  readonly summary: string;
  readonly instructions: number;
  readonly seconds: number;
  readonly leakedPages: number;
  /** Why the round failed; null when it passed. */
  readonly failure: string | null;
}

export interface SyscallFuzzReport {
  readonly rounds: readonly SyscallFuzzRound[];
  readonly calls: number;
  readonly seconds: number;
  readonly failures: number;
}

/** What went wrong in one program run, or null. */
function runProblem(name: string, run: CapturedRun, expectedLine: string): string | null {
  if (run.error !== null) return `${name}: ${run.error}`;
  if (run.status !== 0) return `${name}: wait status ${run.status} (${run.status & 0x7f ? `signal ${run.status & 0x7f}` : `exit ${run.status >> 8}`})`;
  if (!run.stdout.includes(expectedLine)) return `${name}: no "${expectedLine}" in its output ${JSON.stringify(run.stdout.slice(-300))}`;
  return null;
}

/** Runs one round with `seed`; returns its outcome. */
export function fuzzRound(seed: number, options: SyscallFuzzOptions): SyscallFuzzRound {
  const start = process.hrtime.bigint();
  const booted = bootCaptured(fuzzRoot(), { memoryMiB: options.memoryMiB ?? 64, hostTime: false });
  const elapsed = (): number => Number(process.hrtime.bigint() - start) / 1e9;
  if (typeof booted === 'string') {
    return { seed, summary: '', instructions: 0, seconds: elapsed(), leakedPages: 0, failure: `boot failed: ${booted}` };
  }
  // Enough instructions for the round's calls; a runaway round is a failure, not a hang of the test.
  const budget = 200_000 * options.callsPerRound + 2_000_000_000;
  const fuzz = booted.run(['/bin/sysfuzz', String(seed >>> 0), String(options.callsPerRound), String(options.callsPerBatch), 'sandbox'], budget);
  const summary = fuzz.stdout.split('\n').find((line) => line.startsWith('sysfuzz seed=')) ?? '';
  let failure = runProblem('sysfuzz', fuzz, 'sysfuzz done');
  let leakedPages = 0;
  if (fuzz.error === null) {
    const clean = booted.run(['/bin/fuzz-clean'], 2_000_000_000);
    failure ??= runProblem('fuzz-clean', clean, 'fuzz-clean: removed');
    leakedPages = fuzz.freePagesBefore - clean.freePagesAfter;
    if (failure === null && leakedPages !== 0) failure = `leaked ${leakedPages} pages (free before the fuzz ${fuzz.freePagesBefore}, after cleanup ${clean.freePagesAfter})`;
    if (clean.error === null) {
      const hello = booted.run(['/bin/hello'], 100_000_000);
      failure ??= runProblem('hello after the fuzz', hello, 'hello after fuzz');
    }
  }
  if (failure !== null) {
    const log = booted.log.filter((line) => /oops|panic|error|BUG/i.test(line)).slice(-20).join('');
    if (log) failure += `\nkernel log:\n${log}`;
  }
  return { seed, summary, instructions: fuzz.instructions, seconds: elapsed(), leakedPages, failure };
}

export function runSyscallFuzz(options: SyscallFuzzOptions): SyscallFuzzReport {
  const start = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - start) / 1e9;
  const rounds: SyscallFuzzRound[] = [];
  const maximumRounds = options.rounds ?? Number.POSITIVE_INFINITY;
  while (rounds.length < maximumRounds && (options.seconds === undefined || elapsed() < options.seconds)) {
    const round = fuzzRound((options.seed + rounds.length) >>> 0, options);
    rounds.push(round);
    options.onRound?.(round);
    if (options.seconds === undefined && options.rounds === undefined) break;
  }
  return {
    rounds,
    calls: rounds.length * options.callsPerRound,
    seconds: elapsed(),
    failures: rounds.filter((round) => round.failure !== null).length,
  };
}
