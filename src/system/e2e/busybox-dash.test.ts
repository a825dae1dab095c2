/**
 * E2E: dash runs userland/e2e-scripts/busybox-dash.sh (shell features and
 * more than 50 busybox-static applet invocations) in the default image; ir0's
 * output and status must equal the real kernel's byte for byte.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareWithNative } from './compare.js';
import { e2eImage } from './e2e-image.js';

const image = await e2eImage();

/** Set while the kernel cannot run the script yet: what exactly is missing. */
const TODO: string | undefined = 'kernel: utimensat ignores explicit times (touch -d sets "now"), so stat -c %Y and the tar/gzip checksums differ';

test('dash + busybox-static script: same output and status as native', { skip: image.skip, todo: TODO, timeout: 200_000 }, async () => {
  const comparison = await compareWithNative('/bin/dash', ['/opt/ir0/e2e-scripts/busybox-dash.sh'], {
    root: image.root!, timeoutMilliseconds: 180_000,
  });
  assert.equal(comparison.native.status, 0, `the native run itself failed: ${comparison.native.stderr}`);
  assert.deepEqual(comparison.differences, [], comparison.ir0.kernelLog);
});
