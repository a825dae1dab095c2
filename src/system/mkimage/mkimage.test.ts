import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Ext2Volume, MemoryBlockDevice } from '../../kernel/fs/ext2/index.js';
import { buildImage, compareListings, compareTrees, debugfsListing, decodeMbr, fuzzExt2, hostListing, hostTarget, runWorkload, volumeTarget, PARTITION_TYPE_LINUX } from './index.js';

const tools = ['e2fsck', 'debugfs', 'mke2fs'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool} || test -x /sbin/${tool}`]).status !== 0);
const skip = tools.length > 0 ? `host tools missing: ${tools.join(', ')} (scripts/setup.sh installs e2fsprogs)` : false;
const root = process.getuid?.() === 0;
const env = { ...process.env, PATH: `${process.env.PATH}:/sbin:/usr/sbin` };

function scratch(): string { return fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-ext2-')); }

/** A tree with every kind of file mkimage must carry. */
function makeTree(dir: string): void {
  fs.mkdirSync(path.join(dir, 'etc/deep/er'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'empty'), '');
  fs.writeFileSync(path.join(dir, 'etc/hello'), 'hello\n');
  const big = Buffer.alloc(3 << 20);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 12)) & 0xff;
  fs.writeFileSync(path.join(dir, 'big'), big);
  const fd = fs.openSync(path.join(dir, 'sparse'), 'w');
  fs.writeSync(fd, 'start', 0);
  fs.writeSync(fd, 'end', 9 << 20);
  fs.closeSync(fd);
  fs.writeFileSync(path.join(dir, 'etc/deep/er/script'), '#!/bin/sh\necho hi\n', { mode: 0o4755 });
  fs.chmodSync(path.join(dir, 'etc/deep/er/script'), 0o4755);
  fs.symlinkSync('hello', path.join(dir, 'etc/fast'));
  fs.symlinkSync('/' + 'long-component/'.repeat(8) + 'target', path.join(dir, 'slow'));
  fs.linkSync(path.join(dir, 'etc/hello'), path.join(dir, 'hardlink'));
  fs.chmodSync(path.join(dir, 'etc'), 0o750);
  if (root) {
    fs.chownSync(path.join(dir, 'etc/hello'), 1000, 100);
    execFileSync('mknod', [path.join(dir, 'null'), 'c', '1', '3']);
    execFileSync('mknod', [path.join(dir, 'disk'), 'b', '259', '300']);
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
  }
  for (let i = 0; i < 200; i++) fs.writeFileSync(path.join(dir, 'etc', `f${i}`), `file ${i}\n`.repeat(i));
}

function e2fsck(image: string): { status: number; output: string } {
  const result = spawnSync('e2fsck', ['-fn', image], { env, encoding: 'utf8' });
  return { status: result.status ?? -1, output: result.stdout + result.stderr };
}

function rdump(image: string, out: string): void {
  fs.mkdirSync(out, { recursive: true });
  execFileSync('debugfs', ['-R', `rdump / ${out}`, image], { env, stdio: 'pipe' });
}

/** The partition of a whole-disk image as its own file (e2fsprogs take no offsets). */
function extractPartition(image: string, out: string): void {
  const disk = fs.readFileSync(image);
  const partitions = decodeMbr(disk.subarray(0, 512));
  assert.ok(partitions && partitions.length === 1 && partitions[0]!.type === PARTITION_TYPE_LINUX);
  const { startSector, sectorCount } = partitions[0]!;
  fs.writeFileSync(out, disk.subarray(startSector * 512, (startSector + sectorCount) * 512));
}

test('ir0 mkimage: e2fsck -fn reports the image clean and debugfs rdump gives the tree back (1 and 4 KiB blocks)', { skip }, () => {
  const dir = scratch();
  try {
    makeTree(path.join(dir, 'tree'));
    for (const blockSize of [1024, 4096] as const) {
      const image = path.join(dir, `disk-${blockSize}.img`);
      const result = buildImage({ from: path.join(dir, 'tree'), out: image, blockSize, sizeMiB: 40 });
      assert.equal(result.blockSize, blockSize);
      const partition = path.join(dir, `part-${blockSize}.img`);
      extractPartition(image, partition);
      const check = e2fsck(partition);
      assert.equal(check.status, 0, check.output);
      const out = path.join(dir, `out-${blockSize}`);
      rdump(partition, out);
      assert.deepEqual(compareTrees(path.join(dir, 'tree'), out, { owners: root, mtimes: true, rdumpLimits: true }), []);
      assert.deepEqual(compareListings(hostListing(path.join(dir, 'tree')), debugfsListing(partition)), []);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Reads a whole volume back out into a host directory, through the ext2 core. */
function extractVolume(volume: Ext2Volume, out: string): void {
  const walk = (ino: number, hostDir: string): void => {
    const entries = volume.readDirectory(ino);
    assert.ok(typeof entries !== 'number', `readdir errno ${String(entries)}`);
    for (const entry of entries) {
      if (entry.name === '.' || entry.name === '..' || entry.name === 'lost+found') continue;
      const stat = volume.stat(entry.ino);
      assert.ok(typeof stat !== 'number');
      const hostPath = path.join(hostDir, entry.name);
      const type = stat.mode & 0o170000;
      if (type === 0o040000) {
        fs.mkdirSync(hostPath);
        walk(entry.ino, hostPath);
        fs.chmodSync(hostPath, stat.mode & 0o7777);
      } else if (type === 0o120000) {
        fs.symlinkSync(Buffer.from(volume.readlink(entry.ino) as Uint8Array).toString(), hostPath);
      } else if (type === 0o100000) {
        const data = volume.read(entry.ino, 0, stat.size);
        assert.ok(typeof data !== 'number');
        fs.writeFileSync(hostPath, data, { mode: stat.mode & 0o7777 });
        fs.chmodSync(hostPath, stat.mode & 0o7777);
      }
    }
  };
  walk(volume.rootIno, out);
}

for (const variant of [
  { name: '1 KiB blocks, no dir_index/resize_inode, 128-byte inodes', args: ['-b', '1024', '-I', '128', '-O', '^dir_index,^resize_inode'] },
  { name: '4 KiB blocks, mke2fs defaults for ext2 (resize_inode, dir_index, ext_attr, 256-byte inodes)', args: ['-b', '4096'] },
  { name: '1 KiB blocks, mke2fs defaults for ext2', args: ['-b', '1024'] },
]) {
  test(`an image made by the host's mke2fs (${variant.name}) reads back and takes the write workload; e2fsck agrees`, { skip }, () => {
    const dir = scratch();
    try {
      const tree = path.join(dir, 'tree');
      fs.mkdirSync(tree);
      for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(tree, `f${i}`), Buffer.alloc(i * 1000, i));
      fs.mkdirSync(path.join(tree, 'sub'));
      fs.symlinkSync('../f3', path.join(tree, 'sub/link'));
      const image = path.join(dir, 'disk.img');
      execFileSync('mke2fs', ['-q', '-F', '-t', 'ext2', ...variant.args, '-d', tree, image, '48M'], { env, stdio: 'pipe' });
      const bytes = new Uint8Array(fs.readFileSync(image));
      const mounted = Ext2Volume.mount(new MemoryBlockDevice(bytes), { now: () => Math.floor(Date.now() / 1000) });
      assert.ok(mounted.ok, `mount: ${JSON.stringify(mounted.ok ? 0 : mounted.errno)}`);
      const volume = mounted.value;
      const readBack = path.join(dir, 'read-back');
      fs.mkdirSync(readBack);
      extractVolume(volume, readBack);
      assert.deepEqual(compareTrees(tree, readBack), []);
      // The same workload on ext2 (through the core) and on a host copy of the tree.
      runWorkload(volumeTarget(volume), 1);
      runWorkload(hostTarget(tree), 1);
      assert.equal(volume.unmount(), 0);
      fs.writeFileSync(image, bytes);
      const check = e2fsck(image);
      assert.equal(check.status, 0, check.output);
      const out = path.join(dir, 'out');
      rdump(image, out);
      assert.deepEqual(compareTrees(tree, out, { rdumpLimits: true }), []);
      assert.deepEqual(compareListings(hostListing(tree), debugfsListing(image)), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("the write workload on the project's mkfs (1 KiB blocks): e2fsck clean, files identical to the host's", { skip }, () => {
  const dir = scratch();
  try {
    const tree = path.join(dir, 'tree');
    fs.mkdirSync(tree);
    const image = path.join(dir, 'disk.img');
    buildImage({ from: tree, out: image, blockSize: 1024, sizeMiB: 64 });
    const partition = path.join(dir, 'part.img');
    extractPartition(image, partition);
    const bytes = new Uint8Array(fs.readFileSync(partition));
    const mounted = Ext2Volume.mount(new MemoryBlockDevice(bytes), { now: () => Math.floor(Date.now() / 1000) });
    assert.ok(mounted.ok);
    runWorkload(volumeTarget(mounted.value), 1);
    runWorkload(hostTarget(tree), 1);
    assert.equal(mounted.value.unmount(), 0);
    fs.writeFileSync(partition, bytes);
    const check = e2fsck(partition);
    assert.equal(check.status, 0, check.output);
    const out = path.join(dir, 'out');
    rdump(partition, out);
    assert.deepEqual(compareTrees(tree, out, { rdumpLimits: true }), []);
    assert.deepEqual(compareListings(hostListing(tree), debugfsListing(partition)), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('ext2 fuzz (bounded sample of `ir0 mkimage fuzz`): bit flips in metadata never throw', () => {
  const report = fuzzExt2(Number(process.env.IR0_EXT2_FUZZ_SECONDS ?? 8), Number(process.env.IR0_EXT2_FUZZ_SEED ?? 11), Number(process.env.IR0_EXT2_FUZZ_ROUNDS ?? 200));
  assert.deepEqual(report.failures, []);
  assert.ok(report.rounds > 0 && report.errnoRounds + report.mountRefused > 0, JSON.stringify(report));
});
