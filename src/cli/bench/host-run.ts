/**
 * Runs a guest program on the host, natively or under qemu-i386, and times it:
 * wall time (process.hrtime around spawnSync) or, on a busy machine, the child's
 * user+system CPU time (bash's `time`); best of N. Also probes whether
 * `perf stat -e instructions:u` can count the native instructions retired.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { secondsSince } from './statistics.js';

export interface HostRun {
  readonly stdout: string;
  readonly status: number | null;
  /** Best wall-clock seconds over the repetitions. */
  readonly seconds: number;
  /** Set when the program could not be started or did not exit with status 0. */
  readonly error?: string;
}

const CPU_TIME_MARK = 'ir0-bench-cpu-time';

/** Runs `command args` once under bash's `time`; returns the result and the child's user+system seconds. */
function spawnWithCpuTime(command: string, args: readonly string[]): { result: SpawnSyncReturns<string>; seconds: number } {
  const script = `TIMEFORMAT='${CPU_TIME_MARK} %3U %3S'; time "$@"`;
  const result = spawnSync('bash', ['-c', script, 'bash', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = (result.stderr ?? '').split('\n').find((l) => l.startsWith(CPU_TIME_MARK));
  const fields = line === undefined ? [] : line.split(' ');
  return { result, seconds: fields.length === 3 ? Number(fields[1]) + Number(fields[2]) : Number.NaN };
}

/**
 * Runs `command args` `repeat` times; every run must print the same stdout and exit 0.
 * With `cpuTime` the child's CPU time is measured instead of wall time.
 */
export function timeHostRun(command: string, args: readonly string[], repeat: number, cpuTime = false): HostRun {
  let best = Number.POSITIVE_INFINITY;
  let firstStdout: string | undefined;
  for (let i = 0; i < Math.max(1, repeat); i++) {
    const start = process.hrtime.bigint();
    const timed = cpuTime ? spawnWithCpuTime(command, args) : undefined;
    const result = timed?.result ?? spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
    const seconds = timed?.seconds ?? secondsSince(start);
    if (result.error) return { stdout: '', status: null, seconds, error: `cannot run ${command}: ${result.error.message}` };
    if (result.status !== 0) {
      const why = result.signal ? `killed by ${result.signal}` : `exit status ${result.status}`;
      return { stdout: result.stdout, status: result.status, seconds, error: `${command} ${args.join(' ')}: ${why}` };
    }
    if (firstStdout !== undefined && result.stdout !== firstStdout) {
      return { stdout: result.stdout, status: 0, seconds, error: 'output differs between repeated runs' };
    }
    firstStdout = result.stdout;
    best = Math.min(best, seconds);
  }
  return { stdout: firstStdout ?? '', status: 0, seconds: best };
}

/** True when `name` is an executable on PATH. */
export function commandExists(name: string): boolean {
  const result = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() !== '';
}

/**
 * Counts user-mode instructions with `perf stat -x, -e instructions:u`; null when
 * perf is missing or the counter is not available (common in virtual machines).
 */
export function perfInstructions(command: string, args: readonly string[]): number | null {
  const result = spawnSync('perf', ['stat', '-x', ',', '-e', 'instructions:u', '--', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.error || result.status !== 0) return null;
  // perf's CSV line: value,unit,event,... ; the value is "<not supported>" when the PMU lacks it.
  const line = result.stderr.split('\n').find((l) => l.includes('instructions'));
  const count = line === undefined ? Number.NaN : Number(line.split(',')[0]);
  return Number.isFinite(count) && count > 0 ? count : null;
}
