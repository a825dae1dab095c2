/**
 * The ELF fuzz: mutants of a valid static executable (elf-mutator.ts) are
 * exec'd by userland/fuzz/elfexec natively and on ir0, in batches, one fresh
 * system per batch. On ir0 nothing may panic or throw, elfexec must finish and
 * free pages before and after must match; each mutant's outcome class (ENOEXEC,
 * another errno, killed by SIGSEGV/SIGKILL after the point of no return, ran,
 * another signal) is compared with the host's.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bootCaptured } from './captured-run.js';
import { mutateElf } from './elf-mutator.js';
import { fuzzBuildDirectory } from './fuzz-programs.js';

export interface ElfFuzzOptions {
  readonly seed: number;
  readonly count: number;
  /** Mutants per booted system (and per native elfexec run). */
  readonly batchSize?: number;
  readonly onBatch?: (done: number, report: ElfFuzzReport) => void;
}

export interface ElfOutcomeDifference {
  readonly seed: number;
  readonly mutations: readonly string[];
  readonly native: string;
  readonly ir0: string;
}

export interface ElfFuzzReport {
  mutants: number;
  /** Outcome classes on ir0 and how many mutants had each. */
  readonly classes: Record<string, number>;
  readonly differences: ElfOutcomeDifference[];
  /** Panics, host exceptions, leaks, elfexec not finishing: each is a kernel bug. */
  readonly failures: string[];
  nativeCompared: number;
}

const ENOEXEC = 8;

/** Collapses an elfexec outcome ("errno 8", "signal 11", "exit 0") to the class compared with the host. */
export function outcomeClass(outcome: string): string {
  const [kind, value] = outcome.split(' ');
  const number = Number(value);
  if (kind === 'errno') return number === ENOEXEC ? 'ENOEXEC' : `errno ${number}`;
  if (kind === 'signal') {
    if (number === 11 || number === 9) return 'killed (SIGSEGV/SIGKILL)';
    if (number === 14) return 'ran';
    return `signal ${number}`;
  }
  return kind === 'exit' ? 'ran' : outcome;
}

/** Outcome per mutant index from elfexec's lines "N KIND VALUE". */
function parseOutcomes(stdout: string): Map<number, string> {
  const outcomes = new Map<number, string>();
  for (const line of stdout.split('\n')) {
    const match = /^(\d+) (errno|exit|signal) (\d+)$/.exec(line);
    if (match) outcomes.set(Number(match[1]), `${match[2]} ${match[3]}`);
  }
  return outcomes;
}

export function runElfFuzz(options: ElfFuzzOptions): ElfFuzzReport {
  const original = fs.readFileSync(path.join(fuzzBuildDirectory, 'hello'));
  const elfexec = fs.readFileSync(path.join(fuzzBuildDirectory, 'elfexec'));
  const batchSize = options.batchSize ?? 25;
  const report: ElfFuzzReport = { mutants: 0, classes: {}, differences: [], failures: [], nativeCompared: 0 };
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-elf-fuzz-'));
  try {
    for (let first = 0; first < options.count; first += batchSize) {
      const size = Math.min(batchSize, options.count - first);
      const mutants = Array.from({ length: size }, (_, i) => mutateElf(original, options.seed + first + i));
      for (const [i, mutant] of mutants.entries()) fs.writeFileSync(path.join(directory, String(i)), mutant.data, { mode: 0o755 });
      // The host's answer: the same harness over the same files (200 ms timer per mutant, as on ir0).
      const native = spawnSync(path.join(fuzzBuildDirectory, 'elfexec'), [directory, String(size)], { encoding: 'utf8', timeout: 120_000, cwd: directory });
      const nativeOutcomes = parseOutcomes(native.stdout ?? '');

      const booted = bootCaptured(
        [{ name: 'bin/elfexec', data: elfexec }, ...mutants.map((mutant, i) => ({ name: `elf/${i}`, data: mutant.data }))],
        { memoryMiB: 128, hostTime: false },
      );
      const seeds = `seeds ${options.seed + first}..${options.seed + first + size - 1}`;
      if (typeof booted === 'string') { report.failures.push(`${seeds}: boot failed: ${booted}`); continue; }
      const run = booted.run(['/bin/elfexec', '/elf', String(size)], 20_000_000_000);
      if (run.error !== null) report.failures.push(`${seeds}: ${run.error}`);
      else if (run.status !== 0 || !run.stdout.includes('elfexec done')) {
        report.failures.push(`${seeds}: elfexec did not finish: wait status ${run.status}, output ${JSON.stringify(run.stdout.slice(-300))}`);
      } else if (run.freePagesAfter !== run.freePagesBefore) {
        report.failures.push(`${seeds}: leaked ${run.freePagesBefore - run.freePagesAfter} pages`);
      }
      const ir0Outcomes = parseOutcomes(run.stdout);
      for (const [i, mutant] of mutants.entries()) {
        const ir0 = ir0Outcomes.get(i);
        if (ir0 === undefined) continue;
        const ir0Class = outcomeClass(ir0);
        report.classes[ir0Class] = (report.classes[ir0Class] ?? 0) + 1;
        report.mutants++;
        const nativeOutcome = nativeOutcomes.get(i);
        if (nativeOutcome === undefined) continue;
        report.nativeCompared++;
        if (outcomeClass(nativeOutcome) !== ir0Class) {
          report.differences.push({ seed: options.seed + first + i, mutations: mutant.mutations, native: nativeOutcome, ir0 });
        }
      }
      options.onBatch?.(first + size, report);
    }
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
  return report;
}
