/**
 * The ext2 end-to-end tests of issue 4, on a disk image made by `ir0 mkimage`:
 * userland/fs-workload (and busybox tar extracting a tree) runs in ir0 booted
 * with root=/dev/hda1 and natively in a host directory; after a clean exit the
 * host's e2fsck -fn reports the image clean and debugfs rdump equals the native
 * tree. Then the host process is killed at random points of the workload:
 * e2fsck -fy repairs the image every time and every file the workload reported
 * fsync'ed has all its data. Sizes: IR0_EXT2_WORKLOAD_SCALE percent (default
 * 5; 100 = a 64 MiB file and 10,000 files), IR0_EXT2_CRASH_RUNS kills (default 2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Random } from '../../base/random.js';
import { buildImage, compareTrees, decodeMbr } from './index.js';

const projectRoot = path.resolve(import.meta.dirname, '../../..');
const workload = path.join(projectRoot, 'userland/fs-workload/build/fs-workload');
const busybox = path.join(projectRoot, '.cache/image/root/bin/busybox');
const cli = path.join(projectRoot, 'bin/ir0.js');
const env = { ...process.env, PATH: `${process.env.PATH}:/sbin:/usr/sbin` };
const scale = Number(process.env.IR0_EXT2_WORKLOAD_SCALE ?? 5);
const crashRuns = Number(process.env.IR0_EXT2_CRASH_RUNS ?? 2);
const missing = [workload, busybox].filter((file) => !fs.existsSync(file));
const noTools = spawnSync('sh', ['-c', 'command -v e2fsck && command -v debugfs'], { env }).status !== 0;
const skip = missing.length > 0 ? `missing ${missing.join(', ')} (make -C userland; ir0 image build)` : noTools ? 'e2fsprogs missing' : false;

/** A root with the workload, busybox and a tar archive of a small tree. */
function makeRoot(dir: string): string {
  const root = path.join(dir, 'root');
  for (const sub of ['bin', 'dev', 'proc', 'tmp', 'sys']) fs.mkdirSync(path.join(root, sub), { recursive: true });
  fs.copyFileSync(workload, path.join(root, 'bin/fs-workload'));
  fs.copyFileSync(busybox, path.join(root, 'bin/busybox'));
  fs.chmodSync(path.join(root, 'bin/fs-workload'), 0o755);
  fs.chmodSync(path.join(root, 'bin/busybox'), 0o755);
  const tree = path.join(dir, 'tree/pkg');
  fs.mkdirSync(path.join(tree, 'lib/deep'), { recursive: true });
  for (let i = 0; i < 60; i++) fs.writeFileSync(path.join(tree, 'lib', `module${i}.py`), `# module ${i}\n`.repeat(i * 20));
  fs.writeFileSync(path.join(tree, 'lib/deep/data.bin'), Buffer.alloc(200_000, 0x5a));
  fs.symlinkSync('lib/module3.py', path.join(tree, 'link'));
  fs.writeFileSync(path.join(tree, 'run.sh'), '#!/bin/sh\necho run\n', { mode: 0o755 });
  execFileSync('tar', ['-cf', path.join(root, 'data.tar'), '-C', path.join(dir, 'tree'), 'pkg']);
  return root;
}

function partitionOf(image: string, out: string): void {
  const disk = fs.readFileSync(image);
  const [partition] = decodeMbr(disk.subarray(0, 512)) ?? [];
  assert.ok(partition);
  fs.writeFileSync(out, disk.subarray(partition.startSector * 512, (partition.startSector + partition.sectorCount) * 512));
}

const script = `/bin/fs-workload /tmp ${scale} && mkdir /tmp/x && /bin/busybox tar -xf /data.tar -C /tmp/x && echo extracted`;

test('fs-workload and tar extraction in ir0 on an mkimage ext2 disk equal the native run; e2fsck -fn clean', { skip, timeout: 600_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-fsw-'));
  try {
    const root = makeRoot(dir);
    for (const blockSize of [1024, 4096] as const) {
      const image = path.join(dir, `disk-${blockSize}.img`);
      buildImage({ from: root, out: image, blockSize, sizeMiB: 64 + Math.ceil(scale * 1.2) });
      const run = spawnSync('node', [cli, 'run', '--disk', image, '--', '/bin/busybox', 'sh', '-c', script], { encoding: 'utf8', timeout: 500_000, stdio: ['ignore', 'pipe', 'pipe'] });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /done\nextracted\n$/);
      const native = path.join(dir, `native-${blockSize}`);
      fs.mkdirSync(native);
      const nativeRun = spawnSync('sh', ['-c', script.replaceAll('/tmp', native).replaceAll('/bin/', path.join(root, 'bin') + '/').replace('/data.tar', path.join(root, 'data.tar'))], { encoding: 'utf8' });
      assert.equal(nativeRun.status, 0, nativeRun.stderr);
      assert.equal(run.stdout, nativeRun.stdout);
      const partition = path.join(dir, `part-${blockSize}.img`);
      partitionOf(image, partition);
      const check = spawnSync('e2fsck', ['-fn', partition], { env, encoding: 'utf8' });
      assert.equal(check.status, 0, check.stdout + check.stderr);
      const out = path.join(dir, `out-${blockSize}`);
      fs.mkdirSync(out);
      execFileSync('debugfs', ['-R', `rdump /tmp ${out}`, partition], { env, stdio: 'pipe' });
      assert.deepEqual(compareTrees(native, path.join(out, 'tmp'), { rdumpLimits: true }), []);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test(`killing ir0 during the workload (${crashRuns} times): e2fsck repairs the image and fsync'ed files keep their data`, { skip, timeout: 900_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-crash-'));
  try {
    const root = makeRoot(dir);
    const pristine = path.join(dir, 'pristine.img');
    buildImage({ from: root, out: pristine, blockSize: 1024, sizeMiB: 64 + Math.ceil(scale * 1.2) });
    const native = path.join(dir, 'native');
    fs.mkdirSync(native);
    execFileSync(path.join(root, 'bin/fs-workload'), [native, String(scale)]);
    const random = new Random(Number(process.env.IR0_EXT2_CRASH_SEED ?? 7));
    // How long a whole run takes (stdin closed: ir0's console would wait on it), to spread the kills over it.
    const started = performance.now();
    const image = path.join(dir, 'disk.img');
    fs.copyFileSync(pristine, image);
    const full = spawnSync('node', [cli, 'run', '--disk', image, '--', '/bin/fs-workload', '/tmp', String(scale)], { encoding: 'utf8', timeout: 500_000, stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(full.status, 0, `the uninterrupted run failed: ${full.stdout}${full.stderr}`);
    assert.match(full.stdout, /done\n$/);
    const fullMilliseconds = performance.now() - started;
    let promisesChecked = 0;
    let repaired = 0;
    for (let run = 0; run < crashRuns; run++) {
      fs.copyFileSync(pristine, image);
      const delay = 300 + random.below(Math.max(1, Math.floor(fullMilliseconds - 300)));
      const child = spawn('node', [cli, 'run', '--disk', image, '--', '/bin/fs-workload', '/tmp', String(scale)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      await new Promise((resolve) => child.on('close', resolve));
      clearTimeout(timer);
      const partition = path.join(dir, 'part.img');
      partitionOf(image, partition);
      const repair = spawnSync('e2fsck', ['-fy', partition], { env, encoding: 'utf8' });
      assert.ok(repair.status === 0 || repair.status === 1, `run ${run} (kill at ${delay} ms): e2fsck -fy exit ${repair.status}\n${repair.stdout}`);
      if (repair.status === 1) repaired++;
      const after = spawnSync('e2fsck', ['-fn', partition], { env, encoding: 'utf8' });
      assert.equal(after.status, 0, `run ${run}: still unclean after repair\n${after.stdout}`);
      for (const [, name, size] of stdout.matchAll(/^fsynced (\S+) (\d+)$/gm)) {
        const dumped = path.join(dir, 'dumped');
        fs.rmSync(dumped, { force: true });
        execFileSync('debugfs', ['-R', `dump /tmp/${name} ${dumped}`, partition], { env, stdio: 'pipe' });
        const data = fs.readFileSync(dumped);
        assert.equal(data.length, Number(size), `run ${run}: ${name} size`);
        assert.ok(data.equals(fs.readFileSync(path.join(native, name!))), `run ${run}: ${name} lost fsync'ed data`);
        promisesChecked++;
      }
    }
    t.diagnostic(`${crashRuns} kills: e2fsck repaired ${repaired} images; ${promisesChecked} fsync promises checked`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
