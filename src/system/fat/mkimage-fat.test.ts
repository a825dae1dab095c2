/**
 * `ir0 mkimage --type fat32|fat16` against dosfstools and mtools: the image's
 * partition passes `fsck.fat -n`, and mcopy extracts the source tree's files
 * exactly (a symlink, which FAT cannot hold, is reported as skipped).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFatImage, FAT_PARTITION_START_SECTOR } from './mkimage-fat.js';

const tools = spawnSync('fsck.fat', ['--help']).error === undefined && spawnSync('mcopy', ['--version']).error === undefined;

function tree(root: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(root).sort()) {
    const path = join(root, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isDirectory()) {
      out.set(`${prefix}${name}/`, '');
      for (const [k, v] of tree(path, `${prefix}${name}/`)) out.set(k, v);
    } else {
      out.set(prefix + name, readFileSync(path).toString('base64'));
    }
  }
  return out;
}

for (const type of [32, 16] as const) {
  test(`mkimage --type fat${type}: fsck.fat -n clean, mcopy extracts the source tree`, { skip: tools ? false : 'dosfstools/mtools missing' }, () => {
    const work = mkdtempSync(join(tmpdir(), 'ir0-mkfat-'));
    try {
      const source = join(work, 'source');
      mkdirSync(join(source, 'A Directory', 'nested'), { recursive: true });
      writeFileSync(join(source, 'README'), 'read me\n');
      writeFileSync(join(source, 'A Directory', 'Mixed Case Name.bin'), Buffer.alloc(300_000, 7));
      writeFileSync(join(source, 'A Directory', 'nested', 'empty'), '');
      for (let i = 0; i < 50; i++) writeFileSync(join(source, 'A Directory', `file ${i}.txt`), `${i}\n`);
      symlinkSync('README', join(source, 'link'));
      const out = join(work, 'fat.img');
      const messages: string[] = [];
      const result = buildFatImage({ from: source, out, type, progress: (m) => messages.push(m) });
      assert.deepEqual(result.skipped, ['/link']);
      assert.equal(result.files, 53);
      const partition = join(work, 'partition.img');
      execFileSync('dd', [`if=${out}`, `of=${partition}`, 'bs=512', `skip=${FAT_PARTITION_START_SECTOR}`], { stdio: 'ignore' });
      const fsck = spawnSync('fsck.fat', ['-n', partition], { encoding: 'utf8' });
      assert.equal(fsck.status, 0, fsck.stdout + fsck.stderr);
      assert.match(fsck.stdout, new RegExp(`${result.files + result.directories} files`));
      const extracted = join(work, 'extracted');
      mkdirSync(extracted);
      execFileSync('mcopy', ['-s', '-n', '-m', '-i', partition, '::/*', extracted], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
      const expected = tree(source);
      expected.delete('link');
      assert.deepEqual(tree(extracted), expected);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}
