/**
 * VFS tests: each userland/fs-tests program runs natively on the host in a fresh
 * scratch directory and on ir0 (in /tmp of a tmpfs root); stdout and exit status must be
 * identical and no page may leak. perms needs root natively (it drops to other users);
 * mounts runs natively in a private mount namespace (`unshare -m`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSystem } from './system.js';
import { S_IFDIR, S_IFREG, writeCpio } from '../kernel/index.js';
import { memoryConsole } from './memory-console.js';

const buildDirectory = path.resolve(import.meta.dirname, '../../userland/fs-tests/build');
/** [program, the native command's prefix, whether it needs root natively]. */
const programs: [string, string[], boolean][] = [
  ['locks', [], false], ['perms', [], true], ['mounts', ['unshare', '-m', '--propagation', 'private'], true],
];

const present = programs.filter(([name]) => fs.existsSync(path.join(buildDirectory, name)));
const isRoot = process.getuid?.() === 0;

test('fs-tests programs: ir0 output and status equal native, no leaked pages', { skip: present.length === 0 && 'run make -C userland first' }, () => {
  const base = { uid: 0, gid: 0, rdevMajor: 0, rdevMinor: 0, ino: 0, nlink: 1, mtime: 0 };
  const initramfs = writeCpio([
    { ...base, name: 'bin', mode: S_IFDIR | 0o755, data: new Uint8Array(0) },
    { ...base, name: 'tmp', mode: S_IFDIR | 0o1777, data: new Uint8Array(0) },
    ...present.map(([name]) => ({ ...base, name: `bin/${name}`, mode: S_IFREG | 0o755, data: fs.readFileSync(path.join(buildDirectory, name)) })),
  ]);
  const stdout: number[] = [];
  const log: string[] = [];
  const system = createSystem({
    memoryMiB: 64, cmdline: 'loglevel=3', initramfs, console: memoryConsole(stdout),
    stdio: [memoryConsole([]), memoryConsole(stdout), memoryConsole([])], bootEpoch: 1.7e18, logSink: (line) => log.push(line),
  });
  assert.ok(typeof system !== 'string', String(system));
  for (const [name, prefix, needsRoot] of present) {
    if (needsRoot && !isRoot) continue;
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `ir0-${name}-`));
    // mkdtemp makes it 0700: other users must be able to search it, as ir0's /tmp (1777) allows.
    fs.chmodSync(scratch, 0o755);
    const program = path.join(buildDirectory, name);
    const native = prefix.length > 0 ? spawnSync(prefix[0]!, [...prefix.slice(1), program, scratch]) : spawnSync(program, [scratch]);
    fs.rmSync(scratch, { recursive: true, force: true });
    stdout.length = 0;
    const result = system.run(`/bin/${name}`, [`/bin/${name}`, '/tmp'], ['PATH=/bin'], 2_000_000_000);
    assert.equal(result.error, null, `${name}: ${result.error}`);
    assert.equal(Buffer.from(stdout).toString(), native.stdout.toString(), `${name}: stdout differs\n${log.join('')}`);
    assert.equal(result.status >> 8, native.status, `${name}: exit status`);
    assert.equal(result.freePagesAfter, result.freePagesBefore, `${name}: leaked pages`);
  }
});
