/**
 * A bounded sample of the corrupt-image fuzz (`ir0 fuzz fs --type ext2|fat
 * --seconds 600` runs the long one): bit flips in ext2 and FAT metadata give
 * errnos, never a host exception, and some are detected as corruption.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFsFuzz } from './fs-fuzz.js';

for (const filesystem of ['ext2', 'fat'] as const) {
  test(`${filesystem}: corrupt images give errnos, never an exception (bounded sample)`, () => {
    const report = runFsFuzz({ filesystem, seed: Number(process.env.IR0_FS_FUZZ_SEED ?? 7), rounds: Number(process.env.IR0_FS_FUZZ_ROUNDS ?? 120) });
    assert.deepEqual(report.failures.slice(0, 3), []);
    assert.ok(report.detected > 0, `some of ${report.rounds} corruptions are reported as EIO/EUCLEAN/EINVAL`);
  });
}
