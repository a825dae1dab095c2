/**
 * Fuzz tests on ir0 (bounded samples; `ir0 fuzz` runs long ones): random
 * syscalls from a user program must not panic the kernel, throw a host
 * exception, leak pages or stop the next program from running; plus the
 * reproducers of kernel bugs the fuzzers found. IR0_FUZZ_SECONDS sets the
 * syscall sample's length (default 30).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { bootCaptured } from './captured-run.js';
import { fuzzBuildDirectory, fuzzProgramsBuilt, fuzzRoot } from './fuzz-programs.js';
import { runSyscallFuzz } from './syscall-fuzz.js';

const skip = !fuzzProgramsBuilt() && 'run make -C userland first';
const sampleSeconds = Number(process.env['IR0_FUZZ_SECONDS'] ?? 30);

test('syscall fuzz sample: no panic, no host exception, no leaked pages, hello runs after', { skip, timeout: (sampleSeconds + 120) * 1000 }, () => {
  const report = runSyscallFuzz({ seed: 1, seconds: sampleSeconds, callsPerRound: 10_000, callsPerBatch: 500 });
  const failed = report.rounds.filter((round) => round.failure !== null);
  assert.ok(report.rounds.length > 0);
  assert.deepEqual(failed.map((round) => `seed ${round.seed}: ${round.failure}`), []);
});

// Kernel bug found by sysfuzz: Linux resets an orphan's exit signal to SIGCHLD when it is
// reparented to init (kernel/exit.c reparent_leader: "We don't want people slaying init");
// ir0 delivers the clone() exit signal (41 here) to init and kills it.
test('an orphan created by clone(exit signal 41) does not kill init when it exits', { skip }, () => {
  const native = spawnSync('unshare', ['--pid', '--fork', path.join(fuzzBuildDirectory, 'orphan-signal')], { encoding: 'utf8' });
  const booted = bootCaptured(fuzzRoot(), { memoryMiB: 32, hostTime: false });
  assert.ok(typeof booted !== 'string', String(booted));
  const run = booted.run(['/bin/orphan-signal'], 500_000_000);
  assert.equal(run.error, null);
  if (native.status === 0) assert.equal(native.stdout, 'init survived\n', 'the native reference');
  assert.equal(run.stdout, 'init survived\n', `ir0: wait status ${run.status}`);
  assert.equal(run.status, 0);
});
