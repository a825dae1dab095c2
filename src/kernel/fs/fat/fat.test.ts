/**
 * The FAT core against dosfstools and mtools: volumes formatted and written
 * here pass the host's `fsck.fat -n` and read back identically with `mcopy`;
 * volumes made by the host's mkfs.fat and filled by mcopy read identically here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FatVolume, formatFat, isDirectoryNode } from './index.js';
import type { FatNode, FatType } from './index.js';

const haveDosfstools = spawnSync('fsck.fat', ['--help']).error === undefined && spawnSync('mcopy', ['--version']).error === undefined;
const skip = haveDosfstools ? false : 'dosfstools/mtools are not installed (scripts/setup.sh installs them)';

class Disk {
  constructor(readonly bytes: Uint8Array) {}
  get byteLength(): number { return this.bytes.length; }
  readBlock(block: number, into: Uint8Array): number { into.set(this.bytes.subarray(block * 512, block * 512 + 512)); return 0; }
  writeBlock(block: number, data: Uint8Array): number { this.bytes.set(data, block * 512); return 0; }
  flush(): number { return 0; }
}

/** A deterministic byte pattern. */
function pattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed * 2654435761 >>> 0;
  for (let i = 0; i < length; i++) { x = (x * 1103515245 + 12345) >>> 0; out[i] = x >>> 24; }
  return out;
}

const T = 1_700_000_000e9;

/** Builds the same tree in a host directory and in the volume. */
function populate(volume: FatVolume, host: string): void {
  const v = (r: FatNode | number): FatNode => { assert.ok(typeof r !== 'number', `errno ${String(r)}`); return r as FatNode; };
  const file = (dir: FatNode, hostDir: string, name: string, data: Uint8Array): FatNode => {
    const node = v(volume.addEntry(dir, name, { attr: 0x20, firstCluster: 0, size: 0, mtime: T, ctime: T, atime: T }));
    assert.equal(volume.writeData(node, 0, data), data.length);
    assert.equal(volume.updateEntry(node), 0);
    writeFileSync(join(hostDir, name), data);
    return node;
  };
  const dir = (parent: FatNode, hostDir: string, name: string): FatNode => {
    mkdirSync(join(hostDir, name));
    return v(volume.mkdir(parent, name, T));
  };
  const root = volume.root;
  file(root, host, 'README.TXT', new TextEncoder().encode('upper 8.3\n'));
  file(root, host, 'lower.txt', new TextEncoder().encode('lower 8.3\n'));
  file(root, host, 'A Mixed Case Long File Name.data', pattern(5000, 1));
  file(root, host, 'empty', new Uint8Array(0));
  const sub = dir(root, host, 'Sub Directory');
  const deep = dir(sub, join(host, 'Sub Directory'), 'deeper');
  file(deep, join(host, 'Sub Directory', 'deeper'), 'big.bin', pattern(300_000, 2));
  // Enough names to grow a directory past one cluster, then delete a third.
  const many = dir(root, host, 'many');
  const nodes: FatNode[] = [];
  for (let i = 0; i < 120; i++) nodes.push(file(many, join(host, 'many'), `file-number-${i}.txt`, new TextEncoder().encode(`${i}\n`)));
  for (let i = 0; i < 120; i += 3) {
    const node = nodes[i]!;
    assert.equal(volume.removeEntry(many, node), 0);
    volume.freeData(node);
    rmSync(join(host, 'many', `file-number-${i}.txt`));
  }
  // New names fill the freed slots (short names first, then long ones needing runs of slots); lookups ignore case.
  for (let i = 0; i < 30; i++) file(many, join(host, 'many'), i % 2 ? `N${i}.TXT` : `a new longer name ${i}.txt`, new TextEncoder().encode(`new ${i}\n`));
  assert.equal(v(volume.lookup(many, 'FILE-NUMBER-1.TXT')).name, 'file-number-1.txt');
  assert.equal(volume.lookup(many, 'file-number-0.txt'), -2);
  // Overwrite in the middle, extend past a gap, truncate.
  const grown = file(root, host, 'grown.bin', pattern(1000, 3));
  const middle = pattern(100, 4);
  assert.equal(volume.writeData(grown, 500, middle), 100);
  assert.equal(volume.writeData(grown, 9000, middle), 100);
  assert.equal(volume.updateEntry(grown), 0);
  const hostGrown = new Uint8Array(9100);
  hostGrown.set(pattern(1000, 3)); hostGrown.set(middle, 500); hostGrown.set(middle, 9000);
  writeFileSync(join(host, 'grown.bin'), hostGrown);
  const cut = file(root, host, 'cut.bin', pattern(20_000, 5));
  assert.equal(volume.truncate(cut, 1234), 0);
  assert.equal(volume.updateEntry(cut), 0);
  writeFileSync(join(host, 'cut.bin'), pattern(20_000, 5).subarray(0, 1234));
  assert.equal(volume.sync(), 0);
}

/** Every file under `root` as relative path → bytes (directories as null). */
function snapshot(root: string, prefix = ''): Map<string, Buffer | null> {
  const out = new Map<string, Buffer | null>();
  for (const name of readdirSync(root).sort()) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) {
      out.set(prefix + name + '/', null);
      for (const [k, v] of snapshot(path, prefix + name + '/')) out.set(k, v);
    } else {
      out.set(prefix + name, readFileSync(path));
    }
  }
  return out;
}

/** Reads the whole volume through FatVolume into the same shape. */
function volumeSnapshot(volume: FatVolume, dir: FatNode = volume.root, prefix = ''): Map<string, Buffer | null> {
  const out = new Map<string, Buffer | null>();
  const nodes = volume.list(dir);
  assert.ok(typeof nodes !== 'number');
  for (const node of [...nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (node.name === '.' || node.name === '..') continue;
    if (isDirectoryNode(node)) {
      out.set(prefix + node.name + '/', null);
      for (const [k, v] of volumeSnapshot(volume, node, prefix + node.name + '/')) out.set(k, v);
    } else {
      const data = volume.readData(node, 0, node.entry.size);
      assert.ok(typeof data !== 'number');
      out.set(prefix + node.name, Buffer.from(data));
    }
  }
  return out;
}

for (const [type, mib] of [[32, 40], [16, 8], [12, 1]] as [FatType, number][]) {
  test(`FAT${type}: a volume made and written by ir0 passes fsck.fat -n and mcopy reads the same files`, { skip }, () => {
    const work = mkdtempSync(join(tmpdir(), 'ir0-fat-'));
    try {
      const image = new Uint8Array(mib * 1048576);
      const disk = new Disk(image);
      assert.equal(formatFat(disk, { totalSectors: image.length / 512, type }), 0);
      const volume = FatVolume.open(disk);
      assert.ok(volume instanceof FatVolume);
      assert.equal(volume.geometry.type, type);
      const expected = join(work, 'expected');
      mkdirSync(expected);
      populate(volume, expected);
      const imagePath = join(work, 'fat.img');
      writeFileSync(imagePath, image);
      const fsck = spawnSync('fsck.fat', ['-n', imagePath], { encoding: 'utf8' });
      assert.equal(fsck.status, 0, fsck.stdout + fsck.stderr);
      assert.doesNotMatch(fsck.stdout, /differ|Dirty|orphan|Free cluster summary wrong|lost/i, fsck.stdout);
      const extracted = join(work, 'extracted');
      mkdirSync(extracted);
      execFileSync('mcopy', ['-s', '-n', '-m', '-i', imagePath, '::/*', extracted], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
      assert.deepEqual(snapshot(extracted), snapshot(expected));
      // And ir0 reads back what it wrote.
      const reopened = FatVolume.open(new Disk(new Uint8Array(readFileSync(imagePath))));
      assert.ok(reopened instanceof FatVolume);
      assert.deepEqual(volumeSnapshot(reopened), snapshot(expected));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}

test('a volume made by the host mkfs.fat and filled by mcopy reads identically', { skip }, () => {
  const work = mkdtempSync(join(tmpdir(), 'ir0-fat-'));
  try {
    const source = join(work, 'source');
    mkdirSync(join(source, 'Some Dir', 'inner'), { recursive: true });
    writeFileSync(join(source, 'hello.txt'), 'hello\n');
    writeFileSync(join(source, 'Some Dir', 'Long Name With Spaces.bin'), pattern(70_000, 9));
    writeFileSync(join(source, 'Some Dir', 'inner', 'X'), pattern(1, 10));
    const imagePath = join(work, 'host.img');
    execFileSync('mkfs.fat', ['-F', '32', '-C', imagePath, String(40 * 1024)], { stdio: 'ignore' });
    execFileSync('mcopy', ['-s', '-i', imagePath, join(source, 'hello.txt'), join(source, 'Some Dir'), '::/'], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
    const volume = FatVolume.open(new Disk(new Uint8Array(readFileSync(imagePath))));
    assert.ok(volume instanceof FatVolume);
    assert.deepEqual(volumeSnapshot(volume), snapshot(source));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('corrupt boot sectors and chains give errors, not exceptions', () => {
  const image = new Uint8Array(40 * 1048576);
  const disk = new Disk(image);
  assert.equal(formatFat(disk, { totalSectors: image.length / 512, type: 32 }), 0);
  const volume = FatVolume.open(disk);
  assert.ok(volume instanceof FatVolume);
  const node = volume.addEntry(volume.root, 'loop.bin', { attr: 0x20, firstCluster: 0, size: 0, mtime: T, ctime: T, atime: T });
  assert.ok(typeof node !== 'number');
  assert.equal(volume.writeData(node, 0, pattern(4096, 1)), 4096);
  const [first, second] = node.chain!;
  volume.fat.set(second!, first!); // a loop
  node.chain = null;
  assert.ok((volume.readData(node, 0, 4096) as number) < 0);
  const broken = new Uint8Array(image);
  broken[11] = 3; // bytes per sector 0x0203
  assert.ok((FatVolume.open(new Disk(broken)) as number) < 0);
  const small = new Uint8Array(image);
  small.set([0, 0], 510);
  assert.ok((FatVolume.open(new Disk(small)) as number) < 0);
});
