/**
 * The FAT32 end-to-end test of issue 4: userland/fs-workload --vfat (and busybox tar
 * extracting a tree) runs in ir0 on a vfat mount of a FAT32 partition — one image made
 * by `ir0 mkimage --type fat32`, one by the host's mkfs.fat — and natively in a host
 * directory. After a clean exit (no umount: shutdown writes back) the host's fsck.fat -n
 * reports the image clean and mcopy -s extracts exactly the native tree.
 * Sizes: IR0_FAT_WORKLOAD_SCALE percent (default 5, or 100 with IR0_SLOW_TESTS=1:
 * a 64 MiB file and 10,000 files in one directory).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildFatImage } from './mkimage-fat.js';
import { compareContents, fatTools, hostFatImage, makeWorkloadRoot, mtoolsExtract, partitionOf, runInIr0, vfatScript, workloadScale } from './fat-workload.js';

const scale = workloadScale();
const setup = makeWorkloadRoot.missing();
const skip = setup ?? (fatTools() ? false : 'dosfstools/mtools missing (scripts/setup.sh installs them)');

test(`fs-workload --vfat (scale ${scale}%) and tar extraction in ir0 on FAT32 equal the native run; fsck.fat -n clean`, { skip, timeout: 3_600_000 }, (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-fatw-'));
  try {
    const root = makeWorkloadRoot(dir);
    const native = path.join(dir, 'native');
    fs.mkdirSync(native);
    const nativeRun = spawnSync('sh', ['-c', vfatScript(scale, native, root)], { encoding: 'utf8' });
    assert.equal(nativeRun.status, 0, nativeRun.stdout + nativeRun.stderr);
    const sizeMiB = 80 + Math.ceil(scale * 1.6);
    for (const maker of ['ir0 mkimage', 'mkfs.fat'] as const) {
      const image = path.join(dir, `${maker === 'mkfs.fat' ? 'host' : 'ir0'}.img`);
      if (maker === 'mkfs.fat') hostFatImage(image, sizeMiB);
      else buildFatImage({ from: path.join(dir, 'empty'), out: image, type: 32, sizeMiB });
      const started = performance.now();
      const run = runInIr0(root, image, vfatScript(scale, '/mnt', null));
      const seconds = (performance.now() - started) / 1000;
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.equal(run.stdout, nativeRun.stdout, `${maker}: the workload's output differs from the native run`);
      const partition = path.join(dir, 'partition.img');
      partitionOf(image, partition);
      const check = spawnSync('fsck.fat', ['-n', partition], { encoding: 'utf8' });
      assert.equal(check.status, 0, `${maker}: fsck.fat -n\n${check.stdout}${check.stderr}`);
      assert.doesNotMatch(check.stdout, /differ|Dirty bit|Free cluster summary|lost cluster|Reclaim|Contains a free cluster|Directory has/i, check.stdout);
      const extracted = path.join(dir, `extracted-${maker === 'mkfs.fat' ? 'host' : 'ir0'}`);
      mtoolsExtract(partition, extracted);
      assert.deepEqual(compareContents(native, extracted), [], maker);
      t.diagnostic(`${maker}: ${seconds.toFixed(1)} s in ir0; fsck.fat: ${check.stdout.trim().split('\n').slice(-1)[0]}`);
      fs.rmSync(extracted, { recursive: true, force: true });
      fs.rmSync(partition, { force: true });
      fs.rmSync(image, { force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
