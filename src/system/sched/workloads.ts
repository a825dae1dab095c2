/**
 * Runs the scheduler workloads of userland/sched-tests on ir0 under a chosen scheduler
 * class (virtual time: 1 ns per instruction, so runs repeat exactly) and natively on CPU 0
 * of the host (taskset -c 0), and parses their figures. Used by the workload tests and
 * `bench sched`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rootArchive } from '../fuzz/captured-run.js';
import { createSystem } from '../system.js';
import { memoryConsole } from '../memory-console.js';

/** The scheduler classes and Linux's nice-to-weight table, for the bench (cli/ reaches the kernel only through system/). */
export { niceToWeight, SCHEDULER_CLASSES } from '../../kernel/sched/index.js';

export const schedTestsDirectory = path.resolve(import.meta.dirname, '../../../userland/sched-tests/build');
export const schedBenchDirectory = path.resolve(import.meta.dirname, '../../../userland/bench-sched/build');

export interface WorkloadRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly error: string | null;
  /** Host seconds the run took. */
  readonly seconds: number;
}

/** Boots ir0 with `sched=<schedClass>` over the programs of `directory` and runs argv (argv[0] a file name there). */
export function runOnIr0(schedClass: string, argv: readonly string[], options: { directory?: string; hostTime?: boolean; maxInstructions?: number } = {}): WorkloadRun {
  const directory = options.directory ?? schedTestsDirectory;
  const files = fs.readdirSync(directory).map((name) => ({ name, data: fs.readFileSync(path.join(directory, name)) }));
  const stdout: number[] = [];
  const stderr: number[] = [];
  const log: string[] = [];
  const started = process.hrtime.bigint();
  const system = createSystem({
    memoryMiB: 64, cmdline: `loglevel=3 sched=${schedClass}`, initramfs: rootArchive(files), console: memoryConsole(stdout),
    stdio: [memoryConsole(null), memoryConsole(stdout), memoryConsole(stderr)], bootEpoch: 1.7e18,
    logSink: (line) => { if (log.length < 1000) log.push(line); }, hostTime: options.hostTime ?? false,
  });
  if (typeof system === 'string') return { status: -1, stdout: '', stderr: '', error: `boot: ${system}`, seconds: 0 };
  const result = system.run(`/${argv[0]}`, [`/${argv[0]}`, ...argv.slice(1)], undefined, options.maxInstructions ?? 40_000_000_000);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const errorText = result.error ?? (result.status !== 0 ? `wait status ${result.status}; log ${log.join('').slice(0, 500)}` : null);
  return { status: result.status, stdout: Buffer.from(stdout).toString(), stderr: Buffer.from(stderr).toString(), error: errorText, seconds };
}

/** Runs a workload natively on CPU 0. */
export function runNative(argv: readonly string[], directory = schedTestsDirectory): WorkloadRun {
  const started = process.hrtime.bigint();
  const result = spawnSync('taskset', ['-c', '0', path.join(directory, argv[0]!), ...argv.slice(1)], { encoding: 'utf8', timeout: 120_000 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const error = result.error ? result.error.message : result.status !== 0 ? `exit ${result.status} ${result.signal ?? ''} ${result.stderr}` : null;
  return { status: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '', error, seconds };
}

export interface ShareLine { readonly nice: number; readonly cpuNs: number; readonly firstRunNs: number }

/** The "nice N cpu_ns C first_run_ns F" lines of `shares`. */
export function parseShares(stdout: string): ShareLine[] {
  return stdout.split('\n').filter((l) => l.startsWith('nice ')).map((line) => {
    const words = line.split(' ');
    return { nice: Number(words[1]), cpuNs: Number(words[3]), firstRunNs: Number(words[5]) };
  });
}

/** Each task's fraction of the CPU time all of them got. */
export function shareFractions(lines: readonly ShareLine[]): number[] {
  const total = lines.reduce((sum, l) => sum + l.cpuNs, 0);
  return lines.map((l) => (total > 0 ? l.cpuNs / total : 0));
}

/** The largest difference between measured and expected fractions, in percentage points. */
export function maxShareError(measured: readonly number[], expected: readonly number[]): number {
  return Math.max(...measured.map((m, i) => Math.abs(m - expected[i]!) * 100));
}

/** Jain's fairness index of allocations, relative to their entitlements (1 = perfectly fair). */
export function jainIndex(allocations: readonly number[], entitlements: readonly number[] = allocations.map(() => 1)): number {
  const normalized = allocations.map((a, i) => a / entitlements[i]!);
  const sum = normalized.reduce((s, x) => s + x, 0);
  const squares = normalized.reduce((s, x) => s + x * x, 0);
  return squares > 0 ? (sum * sum) / (normalized.length * squares) : 0;
}

export interface Latency { readonly p50: number; readonly p99: number; readonly max: number }

/** The "latency p50 P p99 Q max M" line of `latency` (ns). */
export function parseLatency(stdout: string): Latency | null {
  const words = stdout.split('\n').find((l) => l.startsWith('latency '))?.split(' ');
  return words ? { p50: Number(words[2]), p99: Number(words[4]), max: Number(words[6]) } : null;
}
