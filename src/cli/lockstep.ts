/**
 * `ir0 lockstep [--max-insns N] [--stdin FILE] [--stdout FILE] -- PROGRAM ARGS...`
 * runs PROGRAM (a path, or a name in the Debian root .cache/debian/root) on the
 * real processor and on the vcpu side by side and reports the first
 * divergence. `ir0 lockstep workloads [--sample]` runs the standard set
 * (busybox sh/sort/sed/awk, gzip, bzip2) and prints the totals.
 */
import { DebianFetchError, fetchDebianPackages } from '../system/debian/index.js';
import { debianArgv, runLockstep, standardWorkloads, WORKLOAD_PACKAGES, type LockstepResult } from '../system/lockstep/index.js';

const USAGE = 'usage: ir0 lockstep [--max-insns N] [--stdin FILE] [--stdout FILE] -- PROGRAM ARGS...\n' +
  '       ir0 lockstep workloads [--sample]\n';

function summary(name: string, result: LockstepResult): string {
  const mips = result.instructions / result.seconds / 1e6;
  return `${name}: ${result.outcome.kind}, ${result.instructions.toLocaleString('en-US')} instructions ` +
    `(${result.steppedInstructions} single-stepped), ${result.checkpoints} checkpoints, ${result.seconds.toFixed(2)} s, ` +
    `${mips.toFixed(2)} M instructions/s, ${result.reruns} re-run(s)`;
}

function report(result: LockstepResult): void {
  if (!result.ok && 'report' in result.outcome) process.stdout.write(result.outcome.report + '\n');
}

async function runWorkloads(sample: boolean): Promise<number> {
  const log = (line: string): void => { process.stderr.write(line + '\n'); };
  const workloads = await standardWorkloads(sample ? 'sample' : 'full', log);
  let instructions = 0, seconds = 0, failures = 0;
  for (const workload of workloads) {
    const result = runLockstep({ argv: workload.argv, stdout: '/dev/null', log });
    process.stdout.write(summary(workload.name, result) + '\n');
    report(result);
    instructions += result.instructions;
    seconds += result.seconds;
    if (!result.ok) failures++;
  }
  process.stdout.write(`total: ${instructions.toLocaleString('en-US')} instructions in ${seconds.toFixed(1)} s ` +
    `(${(instructions / seconds / 1e6).toFixed(2)} M instructions/s), ${failures} workload(s) diverged\n`);
  return failures === 0 ? 0 : 1;
}

export async function run(args: string[]): Promise<number> {
  try {
    if (args[0] === 'workloads') return await runWorkloads(args.includes('--sample'));
    let maxInstructions: number | undefined;
    let stdin: string | undefined, stdout: string | undefined;
    let i = 0;
    for (; i < args.length && args[i] !== '--'; i++) {
      if (args[i] === '--max-insns') maxInstructions = Number(args[++i]);
      else if (args[i] === '--stdin') stdin = args[++i];
      else if (args[i] === '--stdout') stdout = args[++i];
      else break;
    }
    if (args[i] === '--') i++;
    const [program, ...rest] = args.slice(i);
    if (program === undefined || (maxInstructions !== undefined && !Number.isFinite(maxInstructions))) {
      process.stderr.write(USAGE);
      return 2;
    }
    const { root } = await fetchDebianPackages(WORKLOAD_PACKAGES, { onProgress: (m) => process.stderr.write(m + '\n') });
    const result = runLockstep({
      argv: debianArgv(root, program, rest), maxInstructions, stdin, stdout,
      log: (line) => process.stderr.write(line + '\n'),
    });
    process.stdout.write(summary(program, result) + '\n');
    report(result);
    return result.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof DebianFetchError) {
      process.stderr.write(`ir0 lockstep: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
