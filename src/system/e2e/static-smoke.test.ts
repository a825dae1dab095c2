/**
 * Smoke e2e: a static glibc program of the project (userland/ktest/args, in
 * the image as /opt/ir0/ktest/args) prints its arguments and auxv the same on
 * ir0 as natively, and exits with the same status.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareWithNative } from './compare.js';
import { e2eImage } from './e2e-image.js';

const image = await e2eImage();
const program = '/opt/ir0/ktest/args';
const missing = image.root !== undefined && !existsSync(join(image.root, program)) ? 'userland/ktest/build/args is not built' : undefined;

test('static glibc program: same output and status as native', { skip: image.skip ?? missing, timeout: 120_000 }, async () => {
  const comparison = await compareWithNative(program, ['one', 'two words', ''], { root: image.root!, timeoutMilliseconds: 60_000 });
  assert.equal(comparison.native.status, 7, `the native run itself failed: ${comparison.native.stderr}`);
  assert.deepEqual(comparison.differences, [], comparison.ir0.kernelLog);
});
