/**
 * `ir0 fuzz [syscalls] [--seconds N] [--rounds N] [--seed S] [--calls N] [--batch N]`:
 * runs the syscall fuzzer (userland/fuzz/sysfuzz) on ir0 round after round,
 * each on a freshly booted system, and checks no panic, no host exception, no
 * leaked pages and that a program runs normally afterwards.
 * `ir0 fuzz elf [--count N] [--seed S]`: malformed ELF files exec'd natively and
 * on ir0, outcome classes compared. Both exit 1 on a failure (a kernel bug).
 */
import { runSyscallFuzz } from '../system/fuzz/syscall-fuzz.js';
import { fuzzProgramsBuilt } from '../system/fuzz/fuzz-programs.js';
import { runElfFuzz } from '../system/fuzz/elf-fuzz.js';
import { runFsFuzz } from '../system/fuzz/fs-fuzz.js';

const USAGE = 'usage: ir0 fuzz [syscalls] [--seconds N] [--rounds N] [--seed S] [--calls N] [--batch N]\n       ir0 fuzz elf [--count N] [--seed S]\n       ir0 fuzz fs --type ext2|fat [--seconds N] [--rounds N] [--seed S]\n';

function runElf(seed: number, count: number): number {
  const report = runElfFuzz({
    seed, count,
    onBatch: (done, progress) => process.stderr.write(`elf fuzz: ${done}/${count} mutants, ${progress.failures.length} failures\n`),
  });
  for (const difference of report.differences) {
    process.stdout.write(`seed ${difference.seed}: host ${difference.native}, ir0 ${difference.ir0}: ${difference.mutations.join('; ')}\n`);
  }
  for (const failure of report.failures) process.stdout.write(`FAILED: ${failure}\n`);
  const classes = Object.entries(report.classes).map(([name, n]) => `${name} ${n}`).join(', ');
  process.stdout.write(`elf fuzz: ${report.mutants} mutants on ir0 (${classes}); ${report.differences.length} of ${report.nativeCompared} differ from the host's outcome class; ${report.failures.length} failures\n`);
  return report.failures.length === 0 ? 0 : 1;
}

/** Corrupt-image fuzz of a disk filesystem's kernel code; a host exception fails. */
function runFs(filesystem: 'ext2' | 'fat', seed: number, seconds: number | undefined, rounds: number | undefined): number {
  const milliseconds = (seconds ?? (rounds === undefined ? 60 : Infinity)) * 1000;
  const started = performance.now();
  const report = runFsFuzz({
    filesystem, seed, rounds: rounds ?? Number.MAX_SAFE_INTEGER, milliseconds,
    onProgress: (r) => process.stderr.write(`fs fuzz ${filesystem}: ${r.rounds} images, ${r.detected} reported corrupt, ${r.failures.length} host exceptions\n`),
  });
  for (const failure of report.failures.slice(0, 5)) process.stdout.write(`round ${failure.round}: ${failure.error}\n`);
  process.stdout.write(`fs fuzz ${filesystem}: ${report.rounds} corrupt images in ${((performance.now() - started) / 1000).toFixed(0)} s, ${report.detected} reported as corrupt (EIO/EUCLEAN/EINVAL), ${report.failures.length} host exceptions\n`);
  return report.failures.length === 0 ? 0 : 1;
}

export function run(args: string[]): number {
  let seconds: number | undefined;
  let rounds: number | undefined;
  let seed = 1;
  let calls = 20_000;
  let batch = 500;
  let count = 200;
  let elf = false;
  let filesystem: 'ext2' | 'fat' | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): number => Number(args[++i]);
    if (arg === 'syscalls') continue;
    else if (arg === 'elf') elf = true;
    else if (arg === 'fs') filesystem ??= 'ext2';
    else if (arg === '--type') {
      const type = args[++i];
      if (type !== 'ext2' && type !== 'fat') { process.stderr.write(`ir0 fuzz: --type ext2 or fat\n${USAGE}`); return 2; }
      filesystem = type;
    }
    else if (arg === '--count') count = value();
    else if (arg === '--seconds') seconds = value();
    else if (arg === '--rounds') rounds = value();
    else if (arg === '--seed') seed = value();
    else if (arg === '--calls') calls = value();
    else if (arg === '--batch') batch = value();
    else { process.stderr.write(`ir0 fuzz: unknown argument ${arg}\n${USAGE}`); return 2; }
  }
  if (![seed, calls, batch].every(Number.isFinite) || calls < 1 || batch < 1) { process.stderr.write(USAGE); return 2; }
  if (filesystem) return runFs(filesystem, seed, seconds, rounds);
  if (!fuzzProgramsBuilt()) { process.stderr.write('ir0 fuzz: build the fuzz programs first (make -s -C userland)\n'); return 2; }
  if (elf) return runElf(seed, count);
  if (seconds === undefined && rounds === undefined) seconds = 60;
  const report = runSyscallFuzz({
    seed, seconds, rounds, callsPerRound: calls, callsPerBatch: batch,
    onRound: (round) => {
      const status = round.failure === null ? 'ok' : `FAILED: ${round.failure}`;
      process.stdout.write(`seed ${round.seed}: ${round.summary.replace(/^sysfuzz /, '')} ${(round.instructions / 1e6).toFixed(0)}M instructions ${round.seconds.toFixed(1)} s ${status}\n`);
    },
  });
  process.stdout.write(`syscall fuzz: ${report.rounds.length} rounds, ${report.calls} calls in ${report.seconds.toFixed(0)} s, ${report.failures} failed\n`);
  return report.failures === 0 ? 0 : 1;
}
