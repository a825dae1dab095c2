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
import { runElfFuzz } from './elf-fuzz.js';

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
// ir0 delivered the clone() exit signal (41 here) to init and killed it (fixed by the kernel engineer).
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

test('ELF fuzz sample: malformed executables give an errno or a signal, never a panic, host exception or leak', { skip, timeout: 300_000 }, () => {
  const report = runElfFuzz({ seed: 1, count: Number(process.env['IR0_ELF_FUZZ_COUNT'] ?? 150) });
  assert.deepEqual(report.failures, []);
  assert.ok(report.mutants > 0);
  const classes = Object.keys(report.classes);
  assert.ok(classes.includes('ENOEXEC'), `classes: ${classes.join(', ')}`);
  // Outcome classes follow binfmt_elf's checks (ENOEXEC/EIO before the point of no return, SIGSEGV/SIGBUS after):
  // 0 of the default 150 differed from the host when measured; a few are allowed for host-kernel variation (an
  // x86-64 host gives 32-bit programs 4 GiB of user space, i386 Linux and ir0 3 GiB).
  assert.ok(report.differences.length <= Math.ceil(report.nativeCompared / 50),
    `${report.differences.length} of ${report.nativeCompared} differ:\n${report.differences.map((d) => `seed ${d.seed}: host ${d.native}, ir0 ${d.ir0}: ${d.mutations.join('; ')}`).join('\n')}`);
});

// Kernel bug found by the ELF fuzz (since fixed): switching back to a task loaded its segment selectors before
// its TLS GDT entries (kernel/proc/kernel-state.ts switchTo); when the previous task had empty
// TLS entries (a child that exec'd a program without set_thread_area), the parent's %gs becomes
// null and its next TLS access faults with #GP. Linux's __switch_to loads the TLS entries first.
test('a parent whose child exec\'d a program without TLS keeps its own %gs', { skip }, () => {
  const native = spawnSync(path.join(fuzzBuildDirectory, 'tls-after-exec'), [path.join(fuzzBuildDirectory, 'exit-raw')], { encoding: 'utf8' });
  assert.equal(native.stdout, 'child status 0, parent alive\n', 'the native reference');
  const booted = bootCaptured(fuzzRoot(), { memoryMiB: 32, hostTime: false });
  assert.ok(typeof booted !== 'string', String(booted));
  const run = booted.run(['/bin/tls-after-exec', '/bin/exit-raw'], 500_000_000);
  assert.equal(run.error, null);
  assert.equal(run.stdout, native.stdout, `ir0: wait status ${run.status}`);
});

// Found by sysfuzz: a negative pwrite64 offset is EINVAL on Linux; ir0 answered EFBIG (since fixed).
test('pwrite64 at a negative offset fails with EINVAL', { skip }, () => {
  const native = spawnSync(path.join(fuzzBuildDirectory, 'pwrite-negative'), [], { encoding: 'utf8' });
  const negativeLine = (output: string): string | undefined => output.split('\n').find((line) => line.includes('negative'));
  assert.equal(negativeLine(native.stdout), 'pwrite64 at a negative offset: -1 Invalid argument', 'the native reference');
  const booted = bootCaptured(fuzzRoot(), { memoryMiB: 32, hostTime: false });
  assert.ok(typeof booted !== 'string', String(booted));
  const run = booted.run(['/bin/pwrite-negative'], 500_000_000);
  assert.equal(negativeLine(run.stdout), negativeLine(native.stdout));
});

// Regression test of the harness: the long fuzz reported a 1-page leak for seeds 5163 and 5178. It was
// fuzz-clean's: pwrite64(/tmp/sysfuzz/file, 1 byte, offset 0x28b7ffa0a2) makes a 175 GiB sparse file,
// the 32-bit lstat failed with EOVERFLOW and nftw stopped, so the file stayed (fixed: 64-bit stat).
test('sysfuzz seed 5163 batch 8 (372 calls) leaks no page', { skip }, () => {
  const booted = bootCaptured(fuzzRoot(), { memoryMiB: 64, hostTime: false });
  assert.ok(typeof booted !== 'string', String(booted));
  const fuzz = booted.run(['/bin/sysfuzz', '5163', '20000', '372', 'sandbox', '8'], 4_000_000_000);
  assert.equal(fuzz.error, null);
  const clean = booted.run(['/bin/fuzz-clean'], 2_000_000_000);
  assert.equal(fuzz.freePagesBefore - clean.freePagesAfter, 0, 'leaked pages');
});
