/**
 * testAgainstNative(name, todo): registers the node:test test of one e2e case
 * (cases.ts) — run natively and under ir0 in the default image, same stdout,
 * stderr and status. `todo` names what the kernel still lacks while the case
 * cannot pass; it reports without failing (node:test's todo option).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { e2eCase, fullE2eRequested } from './cases.js';
import { compareWithNative } from './compare.js';
import { e2eImage } from './e2e-image.js';

export async function testAgainstNative(name: string, todo?: string): Promise<void> {
  const image = await e2eImage();
  const e2e = e2eCase(name);
  let skip = image.skip;
  if (skip === undefined && !existsSync(join(image.root!, e2e.program))) skip = `${e2e.program} is not in the image`;
  if (skip === undefined && e2e.long === true && !fullE2eRequested()) skip = 'a long run: set IR0_E2E_FULL=1 (or run: ir0 image compare ' + name + ')';
  test(`${name}: ${e2e.summary}: same output and status as native`,
    { skip, todo, timeout: e2e.timeoutMilliseconds + 60_000 }, async () => {
      const comparison = await compareWithNative(e2e.program, e2e.args(), {
        root: image.root!, stdin: e2e.stdin, env: e2e.env, cwd: e2e.cwd, memoryMiB: e2e.memoryMiB,
        timeoutMilliseconds: e2e.timeoutMilliseconds,
      });
      assert.equal(comparison.native.status, e2e.nativeStatus, `the native run itself failed: ${comparison.native.stderr}`);
      assert.deepEqual(comparison.differences, [], comparison.ir0.kernelLog);
    });
}
