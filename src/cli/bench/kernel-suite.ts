/**
 * `bench kernel`: lmbench-style microbenchmarks (userland/bench-kernel: null
 * syscall, pipe round trip, fork+exit, fork+exec, anonymous and COW faults) run
 * natively, under qemu-i386 and on ir0. Each program times its own loop with
 * clock_gettime(CLOCK_MONOTONIC) and prints ns per operation; `ir0 run` and this
 * suite boot the kernel with the host clock, so on ir0 that is host time too.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repositoryRoot } from '../../system/bench/cpu-programs.js';
import { bootCaptured, type CapturedRun } from '../../system/fuzz/captured-run.js';
import { profileCall } from './cpu-profiler.js';
import { commandExists } from './host-run.js';
import type { BenchOptions, BenchRow, BenchSuite, BenchSummary } from './suite.js';

interface KernelBenchmark {
  readonly name: string;
  /** Iterations for the full run and for --quick; ir0 runs the same count. */
  readonly iterations: { readonly bench: number; readonly quick: number };
  /** The ir0 target in ns per operation (issue 3), if any. */
  readonly targetNs?: number;
}

const benchmarks: readonly KernelBenchmark[] = [
  { name: 'null-syscall', iterations: { bench: 1_000_000, quick: 100_000 }, targetNs: 300 },
  { name: 'pipe-round-trip', iterations: { bench: 20_000, quick: 2_000 }, targetNs: 5_000 },
  { name: 'fork-exit', iterations: { bench: 1_000, quick: 100 }, targetNs: 100_000 },
  { name: 'fork-exec', iterations: { bench: 200, quick: 20 } },
  { name: 'page-fault', iterations: { bench: 50_000, quick: 5_000 } },
  { name: 'cow-fault', iterations: { bench: 20_000, quick: 2_000 } },
];

const buildDirectory = (): string => path.join(repositoryRoot(), 'userland', 'bench-kernel', 'build');

/** The ns/op figure of a program's "NAME NS ITERATIONS" line, or an error. */
function parseFigure(name: string, stdout: string): number | string {
  const line = stdout.split('\n').find((l) => l.startsWith(`${name} `));
  const value = line === undefined ? Number.NaN : Number(line.split(' ')[1]);
  return Number.isFinite(value) ? value : `no "${name} NS" line in output ${JSON.stringify(stdout.slice(0, 200))}`;
}

/** Best (lowest) ns/op over `repeat` host runs of `command args`. */
function hostFigure(name: string, command: string, args: readonly string[], repeat: number): number | string {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < Math.max(1, repeat); i++) {
    const result = spawnSync(command, args, { encoding: 'utf8', timeout: 600_000 });
    if (result.error) return `cannot run ${command}: ${result.error.message}`;
    if (result.status !== 0) return `${command}: ${result.signal ? `killed by ${result.signal}` : `exit status ${result.status}`}`;
    const figure = parseFigure(name, result.stdout);
    if (typeof figure === 'string') return figure;
    best = Math.min(best, figure);
  }
  return best;
}

function buildPrograms(): string | undefined {
  const result = spawnSync('make', ['-s', '-C', path.join(repositoryRoot(), 'userland', 'bench-kernel')], { encoding: 'utf8' });
  if (result.error) return `cannot run make: ${result.error.message}`;
  if (result.status !== 0) return `make -C userland/bench-kernel failed:\n${result.stderr}`;
  return undefined;
}

function runKernelSuite(options: BenchOptions, emit: (row: BenchRow) => void): BenchSummary {
  const buildError = buildPrograms();
  if (buildError !== undefined) return { text: `bench kernel: ${buildError}`, values: { error: buildError }, ok: false };
  const haveQemu = commandExists('qemu-i386');
  if (!haveQemu) options.note('qemu-i386 is not on PATH: the qemu comparison is skipped (apt-get install qemu-user)');
  options.note('ir0 runs use the host clock: clock_gettime(CLOCK_MONOTONIC) in the guest is host wall time');
  const directory = buildDirectory();
  const names = [...benchmarks.map((b) => b.name), 'exit-zero'];
  const files = names.map((name) => ({ name, data: fs.readFileSync(path.join(directory, name)) }));
  const booted = bootCaptured(files, { memoryMiB: 128, hostTime: true });
  if (typeof booted === 'string') return { text: `bench kernel: boot failed: ${booted}`, values: { error: booted }, ok: false };

  let failures = 0;
  let targetsMet = 0;
  let targets = 0;
  for (const benchmark of benchmarks.filter((b) => options.only.length === 0 || options.only.includes(b.name))) {
    const iterations = String(options.quick ? benchmark.iterations.quick : benchmark.iterations.bench);
    const hostArgs = [iterations, path.join(directory, 'exit-zero')];
    const errors: string[] = [];
    options.note(`${benchmark.name}: native`);
    const native = hostFigure(benchmark.name, path.join(directory, benchmark.name), hostArgs, options.repeat);
    if (typeof native === 'string') errors.push(`native: ${native}`);
    let qemu: number | string | null = null;
    if (haveQemu) {
      options.note(`${benchmark.name}: qemu-i386`);
      qemu = hostFigure(benchmark.name, 'qemu-i386', [path.join(directory, benchmark.name), ...hostArgs], Math.min(options.repeat, 2));
      if (typeof qemu === 'string') errors.push(`qemu-i386: ${qemu}`);
    }
    options.note(`${benchmark.name}: ir0`);
    const argv = [`/${benchmark.name}`, iterations, '/exit-zero'];
    let ir0: number | string = Number.POSITIVE_INFINITY;
    // As many runs as natively (--repeat, default 3), best counts on both sides.
    for (let i = 0; i < Math.max(1, options.repeat) && typeof ir0 === 'number'; i++) {
      let run: CapturedRun;
      if (options.profileDirectory === null) run = booted.run(argv);
      else {
        const profiled = profileCall(options.profileDirectory, `kernel-${benchmark.name}`, () => booted.run(argv));
        run = profiled.result;
        const top = profiled.hotSpots.slice(0, 15).map((s) => `  ${s.percent.toFixed(1).padStart(5)}% ${s.name} ${s.location}`);
        options.note(`${benchmark.name}: profile ${profiled.file}\n${top.join('\n')}`);
      }
      if (run.error !== null) ir0 = `ir0: ${run.error}`;
      else if (run.status !== 0) ir0 = `ir0: wait status ${run.status}; stderr ${JSON.stringify(run.stderr.slice(0, 200))}`;
      else if (run.freePagesAfter !== run.freePagesBefore) ir0 = `ir0: leaked ${run.freePagesBefore - run.freePagesAfter} pages`;
      else {
        const figure = parseFigure(benchmark.name, run.stdout);
        ir0 = typeof figure === 'string' ? `ir0: ${figure}` : Math.min(ir0, figure);
      }
    }
    if (typeof ir0 === 'string') errors.push(ir0);
    const ir0Ns = typeof ir0 === 'number' ? ir0 : null;
    const nativeNs = typeof native === 'number' ? native : null;
    const qemuNs = typeof qemu === 'number' ? qemu : null;
    let target: string | null = null;
    if (benchmark.targetNs !== undefined) {
      targets++;
      const met = ir0Ns !== null && ir0Ns <= benchmark.targetNs;
      if (met) targetsMet++;
      target = `${met ? 'met' : 'NOT met'} (<= ${benchmark.targetNs} ns)`;
    }
    if (errors.length > 0) failures++;
    emit({
      name: benchmark.name,
      iterations: Number(iterations),
      ir0Ns,
      nativeNs,
      qemuNs,
      ir0VsNative: ir0Ns !== null && nativeNs !== null && nativeNs > 0 ? ir0Ns / nativeNs : null,
      ir0VsQemu: ir0Ns !== null && qemuNs !== null && qemuNs > 0 ? ir0Ns / qemuNs : null,
      targetNs: benchmark.targetNs ?? null,
      target,
      ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
    });
  }
  return {
    text: `kernel targets met on ir0: ${targetsMet} of ${targets} (null syscall <= 300 ns, pipe round trip <= 5 us, fork+exit <= 100 us); ${failures} failed`,
    values: { targetsMet, targets, failures, quick: options.quick, timing: 'host wall time inside each program' },
    ok: failures === 0,
  };
}

export const suite: BenchSuite = {
  name: 'kernel',
  summary: 'lmbench-style kernel microbenchmarks natively, under qemu-i386 and on ir0',
  columns: [
    { key: 'name', heading: 'benchmark', width: 15 },
    { key: 'iterations', heading: 'iterations', width: 10 },
    { key: 'ir0Ns', heading: 'ir0 ns/op', width: 11, digits: 0 },
    { key: 'nativeNs', heading: 'native ns', width: 10, digits: 0 },
    { key: 'qemuNs', heading: 'qemu ns', width: 10, digits: 0 },
    { key: 'ir0VsNative', heading: 'ir0/native', width: 10, digits: 1 },
    { key: 'ir0VsQemu', heading: 'ir0/qemu', width: 8, digits: 1 },
    { key: 'target', heading: 'ir0 target', width: 22 },
  ],
  run: runKernelSuite,
};
