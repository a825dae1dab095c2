/** The overlay copies i386 programs and e2e scripts under opt/ir0/FOLDER/, rewrites only changes, removes stale files. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isI386Executable, syncUserlandOverlay } from './userland-overlay.js';

const scratch = mkdtempSync(join(tmpdir(), 'ir0-overlay-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The first 20 bytes of an ELF header: class, data, type and machine are what isI386Executable reads. */
function elfHeader(elfClass: number, type: number, machine: number): Buffer {
  const header = Buffer.alloc(64);
  header.write('\x7fELF', 0, 'latin1');
  header[4] = elfClass;
  header[5] = 1;
  header.writeUInt16LE(type, 16);
  header.writeUInt16LE(machine, 18);
  return header;
}

test('only i386 executables count as guest programs', () => {
  const cases: [string, Buffer, boolean][] = [
    ['exec', elfHeader(1, 2, 3), true], ['pie', elfHeader(1, 3, 3), true], ['object', elfHeader(1, 1, 3), false],
    ['x86-64', elfHeader(2, 2, 62), false], ['text', Buffer.from('#!/bin/sh\necho hello, this is long enough\n'), false],
  ];
  for (const [name, bytes, expected] of cases) {
    writeFileSync(join(scratch, name), bytes);
    assert.equal(isI386Executable(join(scratch, name)), expected, name);
  }
});

test('sync installs, skips unchanged files and removes stale ones', () => {
  const userland = join(scratch, 'userland');
  const root = join(scratch, 'root');
  mkdirSync(join(userland, 'tool', 'build'), { recursive: true });
  mkdirSync(join(userland, 'e2e-scripts'), { recursive: true });
  writeFileSync(join(userland, 'tool', 'build', 'prog'), elfHeader(1, 2, 3));
  writeFileSync(join(userland, 'tool', 'build', 'prog.o'), elfHeader(1, 1, 3));
  writeFileSync(join(userland, 'e2e-scripts', 'run.sh'), 'echo hi\n');
  mkdirSync(join(root, 'opt', 'ir0', 'gone'), { recursive: true });

  const first = syncUserlandOverlay(root, userland);
  assert.deepEqual(first.files.map((f) => f.target), ['opt/ir0/e2e-scripts/run.sh', 'opt/ir0/tool/prog']);
  assert.equal(first.changed, 3, 'two files written, one stale folder removed');
  assert.equal(statSync(join(root, 'opt', 'ir0', 'e2e-scripts', 'run.sh')).mode & 0o777, 0o755);
  assert.ok(!existsSync(join(root, 'opt', 'ir0', 'gone')));
  assert.equal(syncUserlandOverlay(root, userland).changed, 0);

  rmSync(join(userland, 'tool', 'build', 'prog'));
  assert.equal(syncUserlandOverlay(root, userland).changed, 1);
  assert.ok(!existsSync(join(root, 'opt', 'ir0', 'tool', 'prog')));
});
