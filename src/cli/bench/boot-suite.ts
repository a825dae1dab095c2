/**
 * `bench boot`: the time from running `ir0 boot` to the shell prompt on the
 * serial console (the image already built), and from `poweroff` to the host
 * process's exit. Each is measured `repeat` times (3 with --quick) on a fresh
 * host process; the best and the median are reported. Goal: prompt < 300 ms.
 * The phases come from the boot's own marks (IR0_BOOT_PHASES=1, src/system/
 * boot-phases.ts), each the time it ends at, from the host process's start.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { repositoryRoot } from '../../system/bench/cpu-programs.js';
import { defaultImageRoot, readManifest } from '../../system/image/index.js';
import type { BenchOptions, BenchRow, BenchSuite, BenchSummary } from './suite.js';

const PROMPT = /root@ir0:[^\n]*# (\x1b\[6n)?$/;
const TIMEOUT_MS = 300_000;

interface Sample { readonly promptMs: number; readonly poweroffMs: number; readonly phases: ReadonlyMap<string, number>; readonly error?: string }

/** The marks `ir0 boot` prints, in the order they happen, with what ends at each. */
const PHASES: readonly (readonly [string, string])[] = [
  ['cli-loaded', 'node and the CLI loaded'],
  ['initramfs-read', 'root archive read'],
  ['worker-loaded', 'worker: kernel loaded'],
  ['kernel-booted', 'kernel booted'],
];

/** One boot: spawn, wait for the prompt, type poweroff, wait for the exit. */
function bootOnce(): Promise<Sample> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(repositoryRoot(), 'bin', 'ir0.js'), 'boot', '--cmdline', 'console=ttyS0 loglevel=3'], {
      stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, IR0_BOOT_PHASES: '1' },
    });
    let output = '';
    let errors = '';
    let promptMs = NaN;
    let poweroffAt = NaN;
    const timer = setTimeout(() => { child.kill('SIGKILL'); }, TIMEOUT_MS);
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString('latin1');
      if (Number.isNaN(promptMs) && PROMPT.test(output)) {
        promptMs = performance.now() - started;
        poweroffAt = performance.now();
        child.stdin.write('poweroff\n');
      }
    });
    child.stderr.on('data', (data: Buffer) => { errors += data.toString('latin1'); });
    child.on('exit', (code) => {
      clearTimeout(timer);
      const poweroffMs = performance.now() - poweroffAt;
      const phases = new Map<string, number>();
      for (const match of errors.matchAll(/^\[ir0-phase\] (\S+) (\d+)$/gm)) phases.set(match[1]!, Number(match[2]));
      if (Number.isNaN(promptMs)) resolve({ promptMs, poweroffMs: NaN, phases, error: `no prompt (exit ${code}): ${output.slice(-200)}` });
      else if (code !== 0) resolve({ promptMs, poweroffMs, phases, error: `poweroff exited with ${code}` });
      else resolve({ promptMs, poweroffMs, phases });
    });
  });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

async function runBootSuite(options: BenchOptions, emit: (row: BenchRow) => void): Promise<BenchSummary> {
  if (readManifest(defaultImageRoot()) === undefined) {
    return { text: 'no image: run `ir0 image build` (or scripts/run.sh) first', values: {}, ok: false };
  }
  const runs = options.quick ? Math.min(3, options.repeat) : Math.max(3, options.repeat);
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    options.note(`boot ${i + 1}/${runs}...`);
    samples.push(await bootOnce());
  }
  const failed = samples.find((s) => s.error !== undefined);
  const good = samples.filter((s) => s.error === undefined);
  const phaseRow = (mark: string, label: string): BenchRow => {
    const times = good.map((s) => s.phases.get(mark)).filter((t): t is number => t !== undefined);
    return { name: `  ${label}`, best: times.length ? Math.min(...times) : null, median: times.length ? median(times) : null, goal: '' };
  };
  const rows: BenchRow[] = [
    ...PHASES.map(([mark, label]) => phaseRow(mark, label)),
    { name: 'command to prompt', best: Math.min(...good.map((s) => s.promptMs)), median: median(good.map((s) => s.promptMs)), goal: '< 300 ms' },
    { name: 'poweroff to exit', best: Math.min(...good.map((s) => s.poweroffMs)), median: median(good.map((s) => s.poweroffMs)), goal: '' },
  ];
  for (const row of rows) emit(failed ? { ...row, error: failed.error } : row);
  const prompt = rows.find((row) => row.name === 'command to prompt')!;
  return {
    text: `ir0 boot: prompt after ${Number(prompt.median).toFixed(0)} ms (median of ${good.length}), best ${Number(prompt.best).toFixed(0)} ms`,
    values: { promptMedianMs: prompt.median as number, promptBestMs: prompt.best as number, runs: good.length },
    ok: failed === undefined,
  };
}

export const suite: BenchSuite = {
  name: 'boot',
  summary: 'ir0 boot: from the command to the shell prompt, and poweroff',
  columns: [
    { key: 'name', heading: 'measure (phases: ms from start)', width: 32 },
    { key: 'best', heading: 'best ms', width: 9, digits: 0 },
    { key: 'median', heading: 'median ms', width: 10, digits: 0 },
    { key: 'goal', heading: 'goal', width: 10 },
  ],
  run: runBootSuite,
};
