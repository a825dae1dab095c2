/**
 * Kernel end-to-end tests: each userland/ktest program runs natively on the
 * host and on ir0 (booted from a cpio of the binaries); stdout and exit
 * status must be identical, and free pages before and after the run must be
 * equal (the leak check, as xv6's usertests).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSystem } from './system.js';
import { S_IFDIR, S_IFREG, writeCpio } from '../kernel/index.js';
import { memoryConsole } from './memory-console.js';

const buildDirectory = path.resolve(import.meta.dirname, '../../userland/ktest/build');
const programs: [string, string[]][] = [
  ['args', ['one', 'two words']], ['memory', []], ['process', []], ['files', []], ['threads', []], ['signals', []], ['timers', []], ['shared', []], ['badelf', []], ['sigqueue', []], ['futex', []], ['exec-timers', []], ['rt-signals', []], ['pgrp', []],
  ['args-pie', ['static', 'pie']], ['args-dynamic', ['dynamic']],
];

function initramfs(): Uint8Array {
  const base = { uid: 0, gid: 0, rdevMajor: 0, rdevMinor: 0, ino: 0, nlink: 1, mtime: 0 };
  return writeCpio([
    { ...base, name: 'bin', mode: S_IFDIR | 0o755, data: new Uint8Array(0) },
    // The host's i386 ld.so and libc for the dynamic program (gcc-multilib's libc6-i386).
    { ...base, name: 'lib', mode: S_IFDIR | 0o755, data: new Uint8Array(0) },
    { ...base, name: 'lib32', mode: S_IFDIR | 0o755, data: new Uint8Array(0) },
    ...hostLibraries.map((library) => ({ ...base, name: library.slice(1), mode: S_IFREG | 0o755, data: fs.readFileSync(library) })),
    ...programs.map(([name]) => ({ ...base, name: `bin/${name}`, mode: S_IFREG | 0o755, data: fs.readFileSync(path.join(buildDirectory, name)) })),
  ]);
}

const hostLibraries = ['/lib/ld-linux.so.2', '/lib32/libc.so.6'];
const available = hostLibraries.every((library) => fs.existsSync(library)) && programs.every(([name]) => fs.existsSync(path.join(buildDirectory, name)));

test('ktest programs: ir0 output and status equal native, no leaked pages', { skip: !available && 'run make -C userland first' }, () => {
  const stdout: number[] = [];
  const stderr: number[] = [];
  const log: string[] = [];
  const system = createSystem({
    memoryMiB: 64, cmdline: 'loglevel=3', initramfs: initramfs(), console: memoryConsole(stdout),
    stdio: [memoryConsole([]), memoryConsole(stdout), memoryConsole(stderr)], bootEpoch: 1.7e18, logSink: (line) => log.push(line),
  });
  assert.ok(typeof system !== 'string', String(system));
  for (const [name, args] of programs) {
    stdout.length = 0;
    const native = spawnSync(path.join(buildDirectory, name), args, { env: { KTEST: 'yes' } });
    const result = system.run(`/bin/${name}`, [`/bin/${name}`, ...args], ['KTEST=yes'], 2_000_000_000);
    assert.equal(result.error, null, `${name}: ${result.error}`);
    assert.equal(Buffer.from(stdout).toString(), native.stdout.toString(), `${name}: stdout differs\n${log.join('')}`);
    const nativeStatus = native.signal ? `signal ${native.signal}` : `exit ${native.status}`;
    const status = result.status & 0x7f ? `signal ${result.status & 0x7f}` : `exit ${(result.status >> 8) & 0xff}`;
    if (!native.signal) assert.equal(status, nativeStatus, `${name}: status`);
    assert.equal(result.freePagesAfter, result.freePagesBefore, `${name}: leaked ${result.freePagesBefore - result.freePagesAfter} pages`);
  }
});

test('out of memory: the toucher is killed, the kernel lives, nothing leaks', { skip: !fs.existsSync(path.join(buildDirectory, 'oom')) && 'not built' }, () => {
  const base = { uid: 0, gid: 0, rdevMajor: 0, rdevMinor: 0, ino: 0, nlink: 1, mtime: 0 };
  const archive = writeCpio([
    { ...base, name: 'bin', mode: S_IFDIR | 0o755, data: new Uint8Array(0) },
    { ...base, name: 'bin/oom', mode: S_IFREG | 0o755, data: fs.readFileSync(path.join(buildDirectory, 'oom')) },
  ]);
  const stdout: number[] = [];
  const log: string[] = [];
  const system = createSystem({
    memoryMiB: 16, cmdline: 'loglevel=3', initramfs: archive, console: memoryConsole(stdout), bootEpoch: 0,
    logSink: (line) => log.push(line),
  });
  assert.ok(typeof system !== 'string');
  const killed = system.run('/bin/oom', ['oom', '64'], [], 2_000_000_000);
  assert.equal(killed.error, null);
  assert.equal(killed.status, 9, 'killed by SIGKILL');
  assert.match(log.join(''), /out of memory: killed oom/);
  assert.equal(killed.freePagesAfter, killed.freePagesBefore);
  const small = system.run('/bin/oom', ['oom', '2'], [], 2_000_000_000);
  assert.equal(small.status, 0);
  assert.equal(Buffer.from(stdout).toString(), 'touched 2 MiB\n');
});

test('guest syscall fuzz: children die, the kernel does not, nothing leaks', { skip: !fs.existsSync(path.join(buildDirectory, 'fuzz')) && 'not built' }, () => {
  const children = process.env.IR0_FUZZ_CHILDREN ?? '40';
  const base = { uid: 0, gid: 0, rdevMajor: 0, rdevMinor: 0, ino: 0, nlink: 1, mtime: 0 };
  const archive = writeCpio([
    { ...base, name: 'bin', mode: S_IFDIR | 0o755, data: new Uint8Array(0) },
    { ...base, name: 'bin/fuzz', mode: S_IFREG | 0o755, data: fs.readFileSync(path.join(buildDirectory, 'fuzz')) },
  ]);
  const stdout: number[] = [];
  const log: string[] = [];
  const system = createSystem({
    memoryMiB: 64, cmdline: 'loglevel=3', initramfs: archive, console: memoryConsole([]),
    stdio: [memoryConsole([]), memoryConsole(stdout), memoryConsole([])], bootEpoch: 0, logSink: (line) => log.push(line),
  });
  assert.ok(typeof system !== 'string');
  for (const seed of ['1', '2', '3']) {
    stdout.length = 0;
    const result = system.run('/bin/fuzz', ['fuzz', children, '400', seed], [], 20_000_000_000);
    assert.equal(result.error, null, log.join(''));
    assert.equal(result.status, 0);
    assert.match(Buffer.from(stdout).toString('latin1'), /fuzz done: \d+ children, kernel alive/);
    assert.equal(result.freePagesAfter, result.freePagesBefore, `leaked ${result.freePagesBefore - result.freePagesAfter} pages`);
  }
});

// Natively the names program must not rename the host: it runs in a UTS namespace of its own,
// which needs root (or user namespaces); without one there is nothing real to compare with.
const unshareWorks = spawnSync('unshare', ['--uts', 'true']).status === 0;
test('system names (uname, sethostname, setdomainname, /proc/sys/kernel/hostname) equal native', {
  skip: (!fs.existsSync(path.join(buildDirectory, 'uts')) && 'not built') || (!unshareWorks && 'unshare --uts is not permitted here, so the native run would rename the host'),
}, () => {
  const base = { uid: 0, gid: 0, rdevMajor: 0, rdevMinor: 0, ino: 0, nlink: 1, mtime: 0 };
  const archive = writeCpio([
    { ...base, name: 'bin', mode: S_IFDIR | 0o755, data: new Uint8Array(0) },
    { ...base, name: 'bin/uts', mode: S_IFREG | 0o755, data: fs.readFileSync(path.join(buildDirectory, 'uts')) },
  ]);
  const stdout: number[] = [];
  const system = createSystem({
    memoryMiB: 16, cmdline: 'loglevel=3', initramfs: archive, console: memoryConsole(stdout),
    stdio: [memoryConsole([]), memoryConsole(stdout), memoryConsole([])], bootEpoch: 0,
  });
  assert.ok(typeof system !== 'string');
  const native = spawnSync('unshare', ['--uts', path.join(buildDirectory, 'uts')]);
  assert.equal(native.status, 0);
  const result = system.run('/bin/uts', ['uts'], [], 2_000_000_000);
  assert.equal(result.error, null);
  assert.equal(result.status, 0);
  assert.equal(Buffer.from(stdout).toString(), native.stdout.toString());
  assert.equal(result.freePagesAfter, result.freePagesBefore);
});
