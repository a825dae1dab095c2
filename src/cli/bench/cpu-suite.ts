/**
 * `bench cpu`: each program of userland/bench-cpu runs natively (best of N),
 * under qemu-i386 when it is on PATH, and on ir0's vcpu through the bare runner.
 * The ir0 and qemu outputs must equal the native output (the checksums), else
 * the row fails. MIPS = guest instructions retired / ir0 seconds; the summary is
 * the geometric mean MIPS (issue 2's bar: >= 100).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { cpuBenchPrograms, cpuBenchProgramPath, repositoryRoot } from '../../system/bench/cpu-programs.js';
import { runBareProgram, type BareProgramRun } from '../../system/bench/bare-program.js';
import { profileCall } from './cpu-profiler.js';
import { commandExists, perfInstructions, timeHostRun } from './host-run.js';
import { geometricMean } from './statistics.js';
import type { BenchOptions, BenchRow, BenchSuite, BenchSummary } from './suite.js';

/** Issue 2's performance bar for the interpreter, in geometric-mean MIPS. */
const TARGET_MIPS = 100;

function buildPrograms(): string | undefined {
  const result = spawnSync('make', ['-s', '-C', path.join(repositoryRoot(), 'userland', 'bench-cpu')], { encoding: 'utf8' });
  if (result.error) return `cannot run make: ${result.error.message}`;
  if (result.status !== 0) return `make -C userland/bench-cpu failed:\n${result.stderr}`;
  return undefined;
}

/** Describes the first differing line of two outputs. */
function describeMismatch(expected: string, actual: string): string {
  const expectedLines = expected.split('\n');
  const actualLines = actual.split('\n');
  for (let i = 0; i < Math.max(expectedLines.length, actualLines.length); i++) {
    if (expectedLines[i] !== actualLines[i]) {
      return `line ${i + 1}: expected ${JSON.stringify(expectedLines[i] ?? '<end>')}, got ${JSON.stringify(actualLines[i] ?? '<end>')}`;
    }
  }
  return 'outputs differ';
}

function runCpuSuite(options: BenchOptions, emit: (row: BenchRow) => void): BenchSummary {
  const buildError = buildPrograms();
  if (buildError !== undefined) {
    return { text: `bench cpu: ${buildError}`, values: { error: buildError }, ok: false };
  }
  const haveQemu = commandExists('qemu-i386');
  if (!haveQemu) options.note('qemu-i386 is not on PATH: the qemu comparison is skipped (apt-get install qemu-user)');
  const programs = cpuBenchPrograms.filter((p) => options.only.length === 0 || options.only.includes(p.name));
  let perfWorks: boolean | undefined;
  const mipsValues: number[] = [];
  let failures = 0;

  for (const program of programs) {
    const file = cpuBenchProgramPath(program);
    const scale = options.quick ? program.scales.quick : program.scales.bench;
    const args = [String(scale)];
    const errors: string[] = [];

    options.note(`${program.name}: native`);
    const native = timeHostRun(file, args, options.repeat, options.cpuTime);
    if (native.error !== undefined) errors.push(`native: ${native.error}`);

    let nativeInstructions: number | null = null;
    if (perfWorks !== false) {
      nativeInstructions = perfInstructions(file, args);
      perfWorks = nativeInstructions !== null;
      if (!perfWorks) options.note('perf stat -e instructions:u is not available: native instruction counts are skipped');
    }

    let qemuSeconds: number | null = null;
    if (haveQemu) {
      options.note(`${program.name}: qemu-i386`);
      const qemu = timeHostRun('qemu-i386', [file, ...args], Math.min(options.repeat, 2), options.cpuTime);
      if (qemu.error !== undefined) errors.push(`qemu-i386: ${qemu.error}`);
      else if (native.error === undefined && qemu.stdout !== native.stdout) {
        errors.push(`qemu-i386 output differs from native: ${describeMismatch(native.stdout, qemu.stdout)}`);
      } else qemuSeconds = qemu.seconds;
    }

    options.note(`${program.name}: ir0`);
    const runOnIr0 = (): BareProgramRun => runBareProgram(file, [program.name, ...args]);
    let ir0Run: BareProgramRun;
    if (options.profileDirectory === null) ir0Run = runOnIr0();
    else {
      const profiled = profileCall(options.profileDirectory, `cpu-${program.name}`, runOnIr0);
      ir0Run = profiled.result;
      const top = profiled.hotSpots.slice(0, 12).map((s) => `  ${s.percent.toFixed(1).padStart(5)}% ${s.name} ${s.location}`);
      options.note(`${program.name}: profile ${profiled.file} (MIPS are lower while profiling)\n${top.join('\n')}`);
    }
    const ir0 = { ...ir0Run, seconds: options.cpuTime ? ir0Run.cpuSeconds : ir0Run.seconds };
    if (ir0.error !== undefined) errors.push(`ir0: ${ir0.error}`);
    else if (native.error === undefined && ir0.stdout !== native.stdout) {
      errors.push(`ir0 output differs from native (a CPU bug): ${describeMismatch(native.stdout, ir0.stdout)}`);
    }

    const ok = errors.length === 0;
    const mips = ok && ir0.seconds > 0 ? ir0.instructions / ir0.seconds / 1e6 : null;
    if (mips !== null) mipsValues.push(mips);
    else failures++;
    emit({
      name: program.name,
      scale,
      instructions: ir0.error === undefined ? ir0.instructions : null,
      mips,
      seconds: ir0.error === undefined ? ir0.seconds : null,
      nativeSeconds: native.error === undefined ? native.seconds : null,
      qemuSeconds,
      ir0VsNative: ok ? ir0.seconds / native.seconds : null,
      ir0VsQemu: ok && qemuSeconds !== null ? ir0.seconds / qemuSeconds : null,
      nativeInstructions,
      ...(ok ? {} : { error: errors.join('; ') }),
    });
  }

  // The mean covers the programs that passed; with failures it is marked incomplete.
  const geometricMeanMips = mipsValues.length > 0 ? geometricMean(mipsValues) : null;
  const mipsText = geometricMeanMips === null ? '-' : geometricMeanMips.toFixed(1);
  const verdict =
    failures > 0 ? `incomplete: ${failures} of ${programs.length} failed` : geometricMeanMips !== null && geometricMeanMips >= TARGET_MIPS ? 'bar met' : 'bar not met';
  return {
    text: `geometric mean: ${mipsText} MIPS over ${mipsValues.length} programs (target >= ${TARGET_MIPS} MIPS: ${verdict})`,
    values: {
      geometricMeanMips,
      targetMips: TARGET_MIPS,
      programs: programs.length,
      failures,
      quick: options.quick,
      timing: options.cpuTime ? 'cpu' : 'wall',
    },
    ok: failures === 0,
  };
}

export const suite: BenchSuite = {
  name: 'cpu',
  summary: 'CPU-bound i386 programs natively, under qemu-i386 and on ir0',
  columns: [
    { key: 'name', heading: 'program', width: 8 },
    { key: 'scale', heading: 'scale', width: 5 },
    { key: 'instructions', heading: 'instructions', width: 13 },
    { key: 'seconds', heading: 'ir0 s', width: 8, digits: 3 },
    { key: 'mips', heading: 'MIPS', width: 7, digits: 1 },
    { key: 'nativeSeconds', heading: 'native s', width: 8, digits: 3 },
    { key: 'qemuSeconds', heading: 'qemu s', width: 8, digits: 3 },
    { key: 'ir0VsNative', heading: 'ir0/native', width: 10, digits: 1 },
    { key: 'ir0VsQemu', heading: 'ir0/qemu', width: 8, digits: 2 },
  ],
  run: runCpuSuite,
};
