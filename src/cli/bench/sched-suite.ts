/**
 * `bench sched`: per scheduler class, context switches (pipe ping-pong), wakeup latency of a
 * sleeper against two hogs (p50/p99/max), fairness (Jain's index of four equal busy loops, and
 * of a nice 0/5/10/-5 mix by weight), and hackbench-style messaging; the same programs also
 * run natively on one host CPU (taskset -c 0). Ping-pong and hackbench run on ir0 with the host
 * clock (real speed); latency and fairness with virtual time (the scheduler's own behaviour,
 * reproducible). Targets (OpenOS): context switch < 5 us, scheduling latency < 10 ms. The latency
 * run starts measuring after 200 ms of load (cyclictest is run against a load already running).
 * Round-robin ignores nice by design, so its weighted index on the mix is that of equal shares:
 * 0.48 (sum(1/w)^2 / (4 sum(1/w^2)) for weights 1024, 335, 110, 3121).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repositoryRoot } from '../../system/bench/cpu-programs.js';
import {
  jainIndex, niceToWeight, parseLatency, parseShares, runNative, runOnIr0, schedBenchDirectory, schedTestsDirectory, SCHEDULER_CLASSES, type WorkloadRun,
} from '../../system/sched/workloads.js';
import type { BenchOptions, BenchRow, BenchSuite, BenchSummary } from './suite.js';

const CONTEXT_SWITCH_TARGET_NS = 5_000;
const LATENCY_TARGET_NS = 10_000_000;
const MIX = [0, 5, 10, -5];

interface Workloads {
  readonly pingpong: string[];
  readonly hackbench: string[];
  readonly latency: string[];
  readonly fair: string[];
  readonly mix: string[];
}

function workloads(quick: boolean): Workloads {
  return {
    pingpong: ['pingpong', quick ? '2000' : '20000'],
    hackbench: ['hackbench', '2', quick ? '10' : '50'],
    latency: ['latency', '2', quick ? '20' : '50', '20000', '200'],
    fair: ['shares', quick ? '400' : '1000', '0', '0', '0', '0'],
    mix: ['shares', quick ? '400' : '1000', ...MIX.map(String)],
  };
}

function build(): string | undefined {
  for (const directory of ['bench-sched', 'sched-tests']) {
    const result = spawnSync('make', ['-s', '-C', path.join(repositoryRoot(), 'userland', directory)], { encoding: 'utf8' });
    if (result.error || result.status !== 0) return `make -C userland/${directory} failed: ${result.error?.message ?? result.stderr}`;
  }
  return undefined;
}

/** The number after `name` on its line of stdout, or null. */
function figure(run: WorkloadRun, name: string): number | null {
  const value = Number(run.stdout.split('\n').find((l) => l.startsWith(`${name} `))?.split(' ')[1]);
  return run.error === null && Number.isFinite(value) ? value : null;
}

function fairness(run: WorkloadRun, weights?: readonly number[]): number | null {
  const lines = parseShares(run.stdout);
  if (run.error !== null || lines.length === 0) return null;
  return jainIndex(lines.map((l) => l.cpuNs), weights);
}

type Runner = (argv: readonly string[], bench: boolean) => WorkloadRun;

function measure(name: string, runner: Runner, work: Workloads, errors: string[]): BenchRow {
  const check = (label: string, run: WorkloadRun): WorkloadRun => { if (run.error !== null) errors.push(`${name} ${label}: ${run.error}`); return run; };
  const pingpong = figure(check('pingpong', runner(work.pingpong, true)), 'pingpong');
  const hackbench = figure(check('hackbench', runner(work.hackbench, true)), 'hackbench');
  const latencyRun = check('latency', runner(work.latency, false));
  const latency = latencyRun.error === null ? parseLatency(latencyRun.stdout) : null;
  const fair = fairness(check('fair', runner(work.fair, false)));
  const mix = fairness(check('mix', runner(work.mix, false)), MIX.map(niceToWeight));
  const targets = name !== 'native' && pingpong !== null && latency !== null
    ? `switch ${pingpong < CONTEXT_SWITCH_TARGET_NS ? 'met' : 'NOT met'}, latency ${latency.max < LATENCY_TARGET_NS ? 'met' : 'NOT met'}`
    : null;
  return {
    name,
    switchUs: pingpong === null ? null : pingpong / 1e3,
    switchesPerSecond: pingpong === null ? null : 1e9 / pingpong,
    latencyP50Us: latency ? latency.p50 / 1e3 : null,
    latencyP99Us: latency ? latency.p99 / 1e3 : null,
    latencyMaxUs: latency ? latency.max / 1e3 : null,
    jain: fair,
    jainWeighted: mix,
    hackbench,
    targets,
  };
}

function runSchedSuite(options: BenchOptions, emit: (row: BenchRow) => void): BenchSummary {
  const buildError = build();
  if (buildError !== undefined) return { text: `bench sched: ${buildError}`, values: { error: buildError }, ok: false };
  options.note('ir0: ping-pong and hackbench on the host clock, latency and fairness on virtual time; native: taskset -c 0');
  const work = workloads(options.quick);
  const errors: string[] = [];
  const directoryOf = (argv: readonly string[]): string => (argv[0] === 'pingpong' || argv[0] === 'hackbench' ? schedBenchDirectory : schedTestsDirectory);
  const names = ['native', ...SCHEDULER_CLASSES].filter((n) => options.only.length === 0 || options.only.includes(n));
  let met = 0;
  for (const name of names) {
    options.note(`sched: ${name}`);
    const runner: Runner = name === 'native'
      ? (argv) => runNative(argv, directoryOf(argv))
      : (argv, bench) => runOnIr0(name, argv, { directory: directoryOf(argv), hostTime: bench });
    const row = measure(name, runner, work, errors);
    if (name !== 'native' && row.targets === 'switch met, latency met') met++;
    emit(errors.some((e) => e.startsWith(`${name} `)) ? { ...row, error: errors.filter((e) => e.startsWith(`${name} `)).join('; ') } : row);
  }
  const classes = names.filter((n) => n !== 'native').length;
  return {
    text: `sched: both targets (context switch < 5 us, latency < 10 ms) met by ${met} of ${classes} classes; ${errors.length} failures`,
    values: { met, classes, failures: errors.length, quick: options.quick },
    ok: errors.length === 0,
  };
}

export const suite: BenchSuite = {
  name: 'sched',
  summary: 'scheduler classes: context switch, wakeup latency, fairness, hackbench, natively and on ir0',
  columns: [
    { key: 'name', heading: 'class', width: 7 },
    { key: 'switchUs', heading: 'switch us', width: 9, digits: 2 },
    { key: 'switchesPerSecond', heading: 'switches/s', width: 10, digits: 0 },
    { key: 'latencyP50Us', heading: 'lat p50 us', width: 10, digits: 1 },
    { key: 'latencyP99Us', heading: 'lat p99 us', width: 10, digits: 1 },
    { key: 'latencyMaxUs', heading: 'lat max us', width: 10, digits: 1 },
    { key: 'jain', heading: 'Jain', width: 6, digits: 4 },
    { key: 'jainWeighted', heading: 'Jain mix', width: 8, digits: 4 },
    { key: 'hackbench', heading: 'hackbench msg/s', width: 15, digits: 0 },
    { key: 'targets', heading: 'ir0 targets', width: 30 },
  ],
  run: runSchedSuite,
};
