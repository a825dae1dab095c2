/**
 * The recipe on a small package set (busybox-static and dash, with libc6) in
 * a temporary directory: the usrmerge links, the essentials, the userland
 * overlay, the manifest, the cache (a second build is instant), and the
 * binaries running natively from the image. Downloads a few MB on first use
 * into the shared .cache/debian; skipped when no Debian mirror is reachable.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DebianFetchError } from '../debian/index.js';
import { userlandDirectory } from './image-paths.js';
import { buildImage, ImageError, type ImageResult } from './recipe.js';
import { isI386Executable } from './userland-overlay.js';

const scratch = mkdtempSync(join(tmpdir(), 'ir0-image-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const out = join(scratch, 'root');

let first: ImageResult | undefined;
let skip: string | undefined;
try {
  first = await buildImage({ out, packages: ['busybox-static', 'dash'] });
} catch (error) {
  if (!(error instanceof DebianFetchError)) throw error;
  skip = `cannot fetch Debian packages here: ${error.message.split('\n')[0]}`;
}

test('the root has bookworm\'s usrmerge layout', { skip }, () => {
  for (const directory of ['bin', 'sbin', 'lib']) {
    assert.ok(lstatSync(join(out, directory)).isSymbolicLink(), `/${directory} is a link`);
    assert.equal(readlinkSync(join(out, directory)), `usr/${directory}`);
  }
  assert.ok(isI386Executable(join(out, 'bin', 'busybox')), '/bin/busybox is an i386 program');
  assert.ok(isI386Executable(join(out, 'usr', 'bin', 'dash')));
  assert.equal(readlinkSync(join(out, 'usr', 'bin', 'sh')), 'dash', '/bin/sh -> dash');
  // libc6 ships /lib/ld-linux.so.2; with usrmerge it lands in usr/lib.
  assert.ok(existsSync(join(out, 'usr', 'lib', 'ld-linux.so.2')));
  assert.ok(existsSync(join(out, 'lib', 'i386-linux-gnu', 'libc.so.6')));
  assert.ok(!existsSync(join(out, '.ir0-extracted')));
});

test('the root has the essentials of a Debian system', { skip }, () => {
  assert.match(readFileSync(join(out, 'etc', 'passwd'), 'utf8'), /^root:x:0:0:root:\/root:\/bin\/sh$/m);
  assert.match(readFileSync(join(out, 'etc', 'group'), 'utf8'), /^root:x:0:$/m);
  assert.equal(readFileSync(join(out, 'etc', 'hostname'), 'utf8'), 'ir0\n');
  assert.equal(statSync(join(out, 'tmp')).mode & 0o7777, 0o1777);
  for (const directory of ['dev', 'proc', 'sys', 'root']) assert.ok(statSync(join(out, directory)).isDirectory(), directory);
});

test('the manifest lists the resolved closure with versions', { skip }, () => {
  const names = first!.manifest.packages.map((p) => p.name);
  for (const name of ['busybox-static', 'dash', 'libc6']) assert.ok(names.includes(name), name);
  assert.ok(first!.manifest.packages.every((p) => p.version !== '' && (p.architecture === 'i386' || p.architecture === 'all')));
});

test('the project\'s i386 programs are under /opt/ir0/FOLDER/', { skip }, () => {
  const bareHello = join(out, 'opt', 'ir0', 'bare-hello', 'bare-hello');
  if (existsSync(join(userlandDirectory(), 'bare-hello', 'build', 'bare-hello'))) {
    assert.ok(isI386Executable(bareHello));
  }
  assert.ok(existsSync(join(out, 'opt', 'ir0', 'e2e-scripts', 'busybox-dash.sh')));
});

test('a second build with the same inputs is cached and instant', { skip }, async () => {
  const started = performance.now();
  const second = await buildImage({ out, packages: ['dash', 'busybox-static'] });
  const milliseconds = performance.now() - started;
  assert.equal(second.cached, true);
  assert.equal(second.userlandChanged, 0);
  assert.ok(milliseconds < 2000, `took ${milliseconds} ms`);
});

test('the extracted binaries run natively: busybox-static directly, dash through the image\'s ld.so', { skip }, () => {
  const busybox = spawnSync(join(out, 'bin', 'busybox'), ['echo', 'hello from busybox'], { encoding: 'utf8' });
  assert.equal(busybox.stdout, 'hello from busybox\n');
  const dash = spawnSync(join(out, 'lib', 'ld-linux.so.2'),
    ['--library-path', join(out, 'lib', 'i386-linux-gnu'), join(out, 'bin', 'dash'), '-c', 'echo $((6 * 7))'], { encoding: 'utf8' });
  assert.equal(dash.stderr, '');
  assert.equal(dash.stdout, '42\n');
});

test('a directory that is not an image is never replaced', { skip }, async () => {
  const foreign = join(scratch, 'foreign');
  rmSync(foreign, { recursive: true, force: true });
  spawnSync('mkdir', [foreign]);
  writeFileSync(join(foreign, 'precious'), 'keep me');
  await assert.rejects(buildImage({ out: foreign, packages: ['dash'] }), ImageError);
  assert.equal(readFileSync(join(foreign, 'precious'), 'utf8'), 'keep me');
});
