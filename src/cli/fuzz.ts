/**
 * `ir0 fuzz [syscalls|elf] [--seconds N] [--rounds N] [--seed S] [--calls N] [--batch N]`:
 * runs the syscall fuzzer (userland/fuzz/sysfuzz) on ir0 round after round,
 * each on a freshly booted system, and checks no panic, no host exception, no
 * leaked pages and that a program runs normally afterwards. Exits 1 on a failure.
 */
import { runSyscallFuzz } from '../system/fuzz/syscall-fuzz.js';
import { fuzzProgramsBuilt } from '../system/fuzz/fuzz-programs.js';

const USAGE = 'usage: ir0 fuzz [syscalls] [--seconds N] [--rounds N] [--seed S] [--calls N] [--batch N]\n';

export function run(args: string[]): number {
  let seconds: number | undefined;
  let rounds: number | undefined;
  let seed = 1;
  let calls = 20_000;
  let batch = 500;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): number => Number(args[++i]);
    if (arg === 'syscalls') continue;
    else if (arg === '--seconds') seconds = value();
    else if (arg === '--rounds') rounds = value();
    else if (arg === '--seed') seed = value();
    else if (arg === '--calls') calls = value();
    else if (arg === '--batch') batch = value();
    else { process.stderr.write(`ir0 fuzz: unknown argument ${arg}\n${USAGE}`); return 2; }
  }
  if (![seed, calls, batch].every(Number.isFinite) || calls < 1 || batch < 1) { process.stderr.write(USAGE); return 2; }
  if (!fuzzProgramsBuilt()) { process.stderr.write('ir0 fuzz: build the fuzz programs first (make -s -C userland)\n'); return 2; }
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
