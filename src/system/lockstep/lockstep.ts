/**
 * The lockstep driver: runs a real i386 program under ptrace beside the vcpu
 * (session.ts) and, when a checkpoint differs, re-runs both from the start
 * and single-steps the segment before that checkpoint to find the first
 * differing instruction. A difference that single-stepping explains away
 * (the segment ran cpuid, whose answer the real process must take from the
 * vcpu) is not a divergence: the run continues with a breakpoint there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../debian/index.js';
import { CpuidOracle } from './lockstep-machine.js';
import { LockstepSession, type SessionOptions, type SessionOutcome } from './session.js';

export interface LockstepOptions {
  argv: readonly string[];
  env?: Record<string, string>;
  stdin?: string;
  stdout?: string;
  /** Stop after about this many vcpu instructions (at the next checkpoint). Default: no limit. */
  maxInstructions?: number;
  memoryMiB?: number;
  /** How many times a mismatch may trigger a re-run with single-stepping (default 8). */
  maxReruns?: number;
  log?: (line: string) => void;
  afterSyscall?: SessionOptions['afterSyscall'];
  /** Segments to single-step from the start (checkpoint numbers), to exercise the step mode. */
  stepCheckpoints?: readonly number[];
}

export interface LockstepResult {
  outcome: SessionOutcome;
  /** True when no divergence was found (the program ended or hit the limit). */
  ok: boolean;
  /** vcpu instructions retired in the final run. */
  instructions: number;
  /** Of which single-stepped (with ptrace) rather than run freely. */
  steppedInstructions: number;
  checkpoints: number;
  seconds: number;
  reruns: number;
}

/**
 * The environment of the real process: fixed, so runs are reproducible, and
 * with glibc's rseq registration off, because the kernel rewrites the rseq
 * area (the current CPU number) behind the program's back whenever it is
 * preempted, which the vcpu could never match.
 */
export const DEFAULT_ENVIRONMENT: Record<string, string> = {
  PATH: '/usr/bin:/bin', LC_ALL: 'C', HOME: '/', GLIBC_TUNABLES: 'glibc.pthread.rseq=0',
};

/** Builds userland/lockstep-tracer if needed and returns its path. */
export function tracerPath(): string {
  const directory = join(projectRoot(), 'userland', 'lockstep-tracer');
  const path = join(directory, 'build', 'lockstep-tracer');
  if (!existsSync(path)) {
    const make = spawnSync('make', ['-s', '-C', directory], { encoding: 'utf8' });
    if (make.status !== 0 || !existsSync(path)) throw new Error(`building the lockstep tracer failed:\n${make.stderr}`);
  }
  return path;
}

export function runLockstep(options: LockstepOptions): LockstepResult {
  const log = options.log ?? (() => {});
  const emulatedSites = new Map<number, 'cpuid' | 'rdtsc'>();
  const stepCheckpoints = new Set<number>(options.stepCheckpoints ?? []);
  const suspectPages = new Map<number, number[]>();
  const oracle = new CpuidOracle();
  const maxReruns = options.maxReruns ?? 8;
  const path = tracerPath();
  for (let reruns = 0; ; reruns++) {
    const started = performance.now();
    const session = new LockstepSession({
      tracerPath: path, argv: options.argv, env: options.env ?? DEFAULT_ENVIRONMENT,
      stdin: options.stdin, stdout: options.stdout, memoryMiB: options.memoryMiB ?? 512,
      maxInstructions: options.maxInstructions ?? Infinity,
      stepCheckpoints, suspectPages, emulatedSites, oracle, log, afterSyscall: options.afterSyscall,
    });
    let outcome: SessionOutcome;
    try {
      outcome = session.run();
    } finally {
      session.close();
    }
    const seconds = (performance.now() - started) / 1000;
    if (outcome.kind === 'mismatch' && !stepCheckpoints.has(outcome.checkpoint) && reruns < maxReruns) {
      log(`lockstep: ${outcome.report.split('\n').slice(0, 3).join(' / ')}; re-running to single-step the segment before it`);
      stepCheckpoints.add(outcome.checkpoint);
      if (outcome.memory) suspectPages.set(outcome.checkpoint, outcome.memory.pages.slice(0, 8));
      continue;
    }
    const ok = outcome.kind === 'exited' || outcome.kind === 'killed' || outcome.kind === 'limit';
    return {
      outcome, ok, instructions: session.machine.cpu.instructionsRetired, steppedInstructions: session.steppedInstructions,
      checkpoints: session.checkpoint, seconds, reruns,
    };
  }
}
