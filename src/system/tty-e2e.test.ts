/**
 * TTY and job-control end-to-end tests: each userland/tty-tests program
 * drives a pty from its master (termios defaults, line editing and echo, ^C
 * and ^Z to the foreground group, SIGTTIN, wait statuses, hangup) natively
 * and on ir0; stdout and exit status must be identical and no page may leak.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSystem } from './system.js';
import { S_IFDIR, S_IFREG, writeCpio } from '../kernel/index.js';
import { memoryConsole } from './memory-console.js';

const buildDirectory = path.resolve(import.meta.dirname, '../../userland/tty-tests/build');
const programs = ['pty-basics', 'job-control'];

const available = programs.every((name) => fs.existsSync(path.join(buildDirectory, name)));

test('tty-tests programs: ir0 output and status equal native, no leaked pages', { skip: !available && 'run make -C userland first' }, () => {
  const base = { uid: 0, gid: 0, rdevMajor: 0, rdevMinor: 0, ino: 0, nlink: 1, mtime: 0 };
  const archive = writeCpio([
    { ...base, name: 'bin', mode: S_IFDIR | 0o755, data: new Uint8Array(0) },
    ...programs.map((name) => ({ ...base, name: `bin/${name}`, mode: S_IFREG | 0o755, data: fs.readFileSync(path.join(buildDirectory, name)) })),
  ]);
  const stdout: number[] = [];
  const log: string[] = [];
  const system = createSystem({
    memoryMiB: 32, cmdline: 'loglevel=3', initramfs: archive, console: memoryConsole(stdout),
    stdio: [memoryConsole([]), memoryConsole(stdout), memoryConsole(stdout)], bootEpoch: 1.7e18, logSink: (line) => log.push(line),
  });
  assert.ok(typeof system !== 'string', String(system));
  for (const name of programs) {
    stdout.length = 0;
    const native = spawnSync(path.join(buildDirectory, name), [], { timeout: 20_000 });
    const result = system.run(`/bin/${name}`, [`/bin/${name}`], [], 2_000_000_000);
    assert.equal(result.error, null, `${name}: ${result.error}`);
    assert.equal(Buffer.from(stdout).toString(), native.stdout.toString(), `${name}: stdout differs\n${log.join('')}`);
    assert.equal(result.status, (native.status ?? 0) << 8, `${name}: status`);
    assert.equal(result.freePagesAfter, result.freePagesBefore, `${name}: leaked ${result.freePagesBefore - result.freePagesAfter} pages`);
  }
});
