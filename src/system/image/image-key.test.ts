/** The image key changes with the requested packages and the package lists, and not with their order. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { debianPaths } from '../debian/index.js';
import { imageKey } from './image-key.js';

const scratch = mkdtempSync(join(tmpdir(), 'ir0-key-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const paths = debianPaths(scratch);

test('no key before the package lists exist', () => {
  assert.equal(imageKey(['dash'], paths), undefined);
});

test('the key follows the package set and the lists', () => {
  mkdirSync(join(paths.state, 'lists'), { recursive: true });
  const release = join(paths.state, 'lists', 'mirror_dists_bookworm_InRelease');
  writeFileSync(release, 'Date: one\n');
  const key = imageKey(['dash', 'coreutils'], paths);
  assert.match(key ?? '', /^[0-9a-f]{64}$/);
  assert.equal(imageKey(['coreutils', 'dash', 'dash'], paths), key, 'order and repetition do not matter');
  assert.notEqual(imageKey(['dash'], paths), key);
  writeFileSync(release, 'Date: two\n');
  assert.notEqual(imageKey(['dash', 'coreutils'], paths), key, 'new lists, new versions');
});
