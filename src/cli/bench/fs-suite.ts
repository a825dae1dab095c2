/**
 * `bench fs`: filesystem throughput in ir0 on an ext2 disk (made by `ir0 mkimage`,
 * booted with root=/dev/hda1 and --clock host) and natively in a host directory,
 * in one run: sequential write (with fsync) and read of a file, and small-file
 * create / stat / unlink rates. userland/fs-workload/fs-bench times itself, so
 * boot is not counted. Rows report rates and ir0/native ratios.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repositoryRoot } from '../../system/bench/cpu-programs.js';
import { buildImage } from '../../system/mkimage/index.js';
import type { BenchOptions, BenchRow, BenchSuite, BenchSummary } from './suite.js';

interface Timing { nanoseconds: number; units: number }

function parse(output: string): Map<string, Timing> {
  const timings = new Map<string, Timing>();
  for (const [, name, ns, units] of output.matchAll(/^(\S+) (\d+) (\d+)$/gm)) timings.set(name!, { nanoseconds: Number(ns), units: Number(units) });
  return timings;
}

const MiB = 1 << 20;

function rate(name: string, timing: Timing | undefined): number | null {
  if (!timing || timing.nanoseconds === 0) return null;
  const perSecond = timing.units / (timing.nanoseconds / 1e9);
  return name.startsWith('seq') ? perSecond / MiB : perSecond;
}

async function runFsSuite(options: BenchOptions, emit: (row: BenchRow) => void): Promise<BenchSummary> {
  const program = path.join(repositoryRoot(), 'userland/fs-workload/build/fs-bench');
  if (!fs.existsSync(program)) return { text: 'fs-bench missing: run make -C userland', values: {}, ok: false };
  const megabytes = options.quick ? 8 : 64;
  const files = options.quick ? 500 : 3000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-bench-fs-'));
  try {
    const root = path.join(dir, 'root');
    for (const sub of ['bin', 'dev', 'proc', 'tmp']) fs.mkdirSync(path.join(root, sub), { recursive: true });
    fs.copyFileSync(program, path.join(root, 'bin/fs-bench'));
    fs.chmodSync(path.join(root, 'bin/fs-bench'), 0o755);
    const image = path.join(dir, 'disk.img');
    options.note('building the ext2 image...');
    buildImage({ from: root, out: image, blockSize: 4096, sizeMiB: megabytes * 2 + 64 });
    const native = path.join(dir, 'native');
    fs.mkdirSync(native);
    options.note('native...');
    const nativeTimings = parse(execFileSync(program, [native, String(megabytes), String(files)], { encoding: 'utf8' }));
    options.note('ir0...');
    const run = spawnSync(process.execPath, [path.join(repositoryRoot(), 'bin/ir0.js'), 'run', '--clock', 'host', '--mem', '256', '--disk', image, '--',
      '/bin/fs-bench', '/tmp', String(megabytes), String(files)], { encoding: 'utf8', timeout: 900_000 });
    if (run.status !== 0) return { text: `ir0 run failed (${run.status}): ${run.stderr.slice(-300)}`, values: {}, ok: false };
    const ir0Timings = parse(run.stdout);
    const values: Record<string, number | null> = {};
    for (const name of ['seq-write', 'seq-read', 'create', 'stat', 'unlink']) {
      const nativeRate = rate(name, nativeTimings.get(name));
      const ir0Rate = rate(name, ir0Timings.get(name));
      const ratio = nativeRate && ir0Rate ? ir0Rate / nativeRate : null;
      values[name] = ratio;
      emit({ name, unit: name.startsWith('seq') ? 'MiB/s' : 'ops/s', native: nativeRate, ir0: ir0Rate, ratio });
    }
    const text = Object.entries(values).map(([name, ratio]) => `${name} ${ratio === null ? '-' : ratio.toFixed(3)}`).join(', ');
    return { text: `ir0/native: ${text}`, values, ok: Object.values(values).every((v) => v !== null) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const suite: BenchSuite = {
  name: 'fs',
  summary: 'ext2 in ir0 vs the host filesystem: sequential read/write, small-file create/stat/unlink',
  columns: [
    { key: 'name', heading: 'test', width: 10 },
    { key: 'unit', heading: 'unit', width: 6 },
    { key: 'native', heading: 'native', width: 12, digits: 1 },
    { key: 'ir0', heading: 'ir0', width: 12, digits: 1 },
    { key: 'ratio', heading: 'ir0/native', width: 11, digits: 3 },
  ],
  run: runFsSuite,
};
