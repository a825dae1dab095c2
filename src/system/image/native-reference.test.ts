/**
 * The default image (busybox-static, dash, coreutils, python3.11) run natively
 * on the host — the reference the e2e tests compare ir0 against: with the
 * image's own ld.so and library path from outside, and inside the image as
 * the e2e framework runs it (namespaces and a chroot).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { e2eImage } from '../e2e/e2e-image.js';
import { runNative } from '../e2e/native-run.js';
import { IR0_DEFAULT_ENVIRONMENT } from '../e2e/ir0-run.js';

const image = await e2eImage();
const root = image.root ?? '';

/** argv running a dynamically linked program of the image on the host through the image's ld.so. */
function throughLoader(program: string, ...args: string[]): string[] {
  return [join(root, 'lib', 'ld-linux.so.2'), '--library-path',
    `${join(root, 'lib', 'i386-linux-gnu')}:${join(root, 'usr', 'lib', 'i386-linux-gnu')}`, join(root, program), ...args];
}

test('the default image has python3.11 with its standard library, coreutils and the links', { skip: image.skip }, () => {
  for (const path of ['usr/bin/python3.11', 'usr/lib/python3.11/os.py', 'usr/lib/python3.11/json/__init__.py',
    'usr/lib/python3.11/lib-dynload', 'usr/bin/ls', 'usr/bin/busybox', 'usr/bin/dash']) {
    assert.ok(existsSync(join(root, path)), path);
  }
  assert.equal(readlinkSync(join(root, 'usr', 'bin', 'python3')), 'python3.11');
});

test('python3.11 runs natively through the image\'s ld.so with PYTHONHOME', { skip: image.skip }, () => {
  const [loader, ...args] = throughLoader('usr/bin/python3.11', '-c', 'import json, math, sys; print(json.dumps([math.sqrt(2), sys.version_info[:2]]))');
  const result = spawnSync(loader, args, { encoding: 'utf8', env: { PYTHONHOME: join(root, 'usr'), PATH: '/usr/bin:/bin' } });
  assert.equal(result.stderr, '');
  assert.equal(result.stdout, '[1.4142135623730951, [3, 11]]\n');
});

test('coreutils runs natively through the image\'s ld.so', { skip: image.skip }, () => {
  const [loader, ...args] = throughLoader('usr/bin/ls', '-1', join(root, 'etc'));
  const result = spawnSync(loader, args, { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^passwd$/m);
});

test('inside the image (as the e2e tests run it): i686, pid 1, private /tmp, read-only image', { skip: image.skip }, async () => {
  const script = 'uname -m; echo pid $$; echo x > /tmp/scratch && cat /tmp/scratch; echo y > /etc/new-file || echo read-only; '
    + 'python3 -c "import os; print(os.getcwd(), sorted(os.environ))"';
  const result = await runNative('/bin/sh', ['-c', script], { root, env: IR0_DEFAULT_ENVIRONMENT, cwd: '/', timeoutMilliseconds: 30_000 });
  assert.equal(result.stdout, "i686\npid 1\nx\nread-only\n/ ['HOME', 'PATH', 'PWD', 'TERM']\n"); // dash exports PWD
  assert.match(result.stderr, /Read-only file system/);
  assert.equal(result.status, 0);
  assert.ok(!existsSync(join(root, 'etc', 'new-file')));
  assert.ok(!existsSync(join(root, 'tmp', 'scratch')));
});
