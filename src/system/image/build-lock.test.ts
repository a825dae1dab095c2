/** The build lock serialises builders, and a lock left by a dead process is taken over. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { withBuildLock } from './build-lock.js';

const scratch = mkdtempSync(join(tmpdir(), 'ir0-lock-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('two holders never overlap', async () => {
  const lock = join(scratch, 'serial.lock');
  const events: string[] = [];
  const holder = (name: string) => withBuildLock(lock, async () => {
    events.push(`${name} in`);
    await sleep(50);
    events.push(`${name} out`);
  });
  await Promise.all([holder('a'), holder('b')]);
  assert.deepEqual(events.map((e) => e.split(' ')[1]), ['in', 'out', 'in', 'out']);
});

test('a lock whose owner is dead is taken over', async () => {
  const lock = join(scratch, 'stale.lock');
  mkdirSync(lock);
  writeFileSync(join(lock, 'pid'), '2147483646'); // above pid_max: no such process
  assert.equal(await withBuildLock(lock, async () => 'taken', undefined, 2000), 'taken');
});

test('the lock is released when the work throws', async () => {
  const lock = join(scratch, 'throws.lock');
  await assert.rejects(withBuildLock(lock, async () => { throw new Error('boom'); }), /boom/);
  assert.equal(await withBuildLock(lock, async () => 'again', undefined, 2000), 'again');
});
