import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EIO, EISDIR, EEXIST, ENOENT, ENOTEMPTY, EINVAL, EROFS, EUCLEAN, ENOTDIR,
} from '../../lib/index.js';
import { Random } from '../../../base/random.js';
import {
  Ext2Volume, MemoryBlockDevice, makeFilesystem, EXT2_ROOT_INO, S_IFREG, S_IFCHR, INCOMPAT_RECOVER, RO_COMPAT_LARGE_FILE,
} from './index.js';
import { exerciseImage, populateExerciseFixture } from './exercise.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const str = (b: Uint8Array | number): string => {
  assert.ok(typeof b !== 'number', `errno ${String(b)}`);
  return new TextDecoder().decode(b);
};

interface Fixture { bytes: Uint8Array; device: MemoryBlockDevice; volume: Ext2Volume; log: string[] }

function fresh(blockSize: 1024 | 2048 | 4096 = 1024, megabytes = 8): Fixture {
  const bytes = new Uint8Array(megabytes << 20);
  const device = new MemoryBlockDevice(bytes);
  assert.ok(makeFilesystem(device, { blockSize, now: 1_700_000_000 }).ok);
  return { bytes, device, ...remount(device) };
}

function remount(device: MemoryBlockDevice, readOnly = false): { volume: Ext2Volume; log: string[] } {
  const log: string[] = [];
  const record = (m: string): void => { log.push(m); };
  const mounted = Ext2Volume.mount(device, { now: () => 1_700_000_100, readOnly, log: { info: record, warn: record, error: record } });
  if (!mounted.ok) assert.fail(`mount failed: errno ${mounted.errno} ${log.join('\n')}`);
  return { volume: mounted.value, log };
}

test('mkfs makes / and lost+found; the counts in statfs add up', () => {
  for (const blockSize of [1024, 2048, 4096] as const) {
    const { volume } = fresh(blockSize);
    const names = (volume.readDirectory(EXT2_ROOT_INO) as { name: string }[]).map((e) => e.name);
    assert.deepEqual(names, ['.', '..', 'lost+found']);
    const root = volume.stat(EXT2_ROOT_INO);
    assert.ok(typeof root !== 'number');
    assert.equal(root.nlink, 3);
    const statfs = volume.statfs();
    assert.equal(statfs.blockSize, blockSize);
    assert.equal(statfs.files - statfs.freeFiles, 11);
  }
});

test('holes read as zeros and cost no blocks; writes across indirect levels read back', () => {
  for (const blockSize of [1024, 4096] as const) {
    const { volume } = fresh(blockSize, 16);
    const ino = volume.create(EXT2_ROOT_INO, 'sparse', S_IFREG | 0o644, 0, 0);
    const freeBefore = volume.statfs().freeBlocks;
    // Logical blocks in the direct, single, double and (with 1 KiB blocks) triple indirect ranges.
    const per = blockSize / 4;
    const positions = [0, 11, 12, 12 + per - 1, 12 + per, 12 + per + per * per - 1, 12 + per + per * per];
    for (const block of positions) assert.equal(volume.write(ino, block * blockSize + 3, text(`b${block}`)), `b${block}`.length);
    for (const block of positions) assert.equal(str(volume.read(ino, block * blockSize + 3, `b${block}`.length)), `b${block}`);
    const middle = volume.read(ino, 5 * blockSize, blockSize);
    assert.ok(middle instanceof Uint8Array && middle.every((b) => b === 0));
    const used = freeBefore - volume.statfs().freeBlocks;
    // 7 data blocks, 3 single, 2 double, 1 triple indirect tree nodes at most.
    assert.ok(used >= positions.length && used <= positions.length + 8, `used ${used}`);
    const stat = volume.stat(ino);
    assert.ok(typeof stat !== 'number');
    assert.equal(stat.blocks, used * blockSize / 512);
    assert.equal(volume.truncate(ino, 0), 0);
    assert.equal(volume.statfs().freeBlocks, freeBefore, 'truncate frees data and indirect blocks');
  }
});

test('truncate zeroes the tail of a partial block, so extending reads zeros', () => {
  const { volume } = fresh();
  const ino = volume.create(EXT2_ROOT_INO, 'f', S_IFREG | 0o644, 0, 0);
  volume.write(ino, 0, new Uint8Array(3000).fill(0x41));
  assert.equal(volume.truncate(ino, 1500), 0);
  assert.equal(volume.truncate(ino, 3000), 0);
  const data = volume.read(ino, 0, 3000) as Uint8Array;
  assert.ok(data.subarray(0, 1500).every((b) => b === 0x41));
  assert.ok(data.subarray(1500).every((b) => b === 0));
});

test('files past 2 GiB keep a 64-bit size and set large_file', () => {
  const { volume, device } = fresh();
  const ino = volume.create(EXT2_ROOT_INO, 'big', S_IFREG | 0o644, 0, 0);
  assert.equal(volume.write(ino, 5 * 2 ** 30, text('tail')), 4);
  assert.equal((volume.stat(ino) as { size: number }).size, 5 * 2 ** 30 + 4);
  volume.unmount();
  const again = remount(device).volume;
  const found = again.lookup(EXT2_ROOT_INO, 'big');
  assert.equal((again.stat(found) as { size: number }).size, 5 * 2 ** 30 + 4);
  assert.equal(str(again.read(found, 5 * 2 ** 30, 4)), 'tail');
  assert.ok((again.fs.superblock.featureRoCompat & RO_COMPAT_LARGE_FILE) !== 0);
});

test('directory entries: rec_len split on insert, merge on delete, space reused; names, errors', () => {
  const { volume } = fresh();
  const dir = volume.mkdir(EXT2_ROOT_INO, 'd', 0o755, 0, 0);
  for (let i = 0; i < 300; i++) assert.ok(volume.create(dir, `file-${i}`, S_IFREG | 0o644, 0, 0) > 0);
  const size = (volume.stat(dir) as { size: number }).size;
  for (let i = 0; i < 300; i += 2) assert.equal(volume.unlink(dir, `file-${i}`), 0);
  for (let i = 0; i < 300; i += 2) assert.ok(volume.create(dir, `file-${i}`, S_IFREG | 0o644, 0, 0) > 0);
  assert.equal((volume.stat(dir) as { size: number }).size, size, 'freed entries are reused before the directory grows');
  const names = (volume.readDirectory(dir) as { name: string }[]).map((e) => e.name).filter((n) => n.startsWith('file-'));
  assert.equal(names.length, 300);
  assert.equal(volume.create(dir, 'file-1', S_IFREG, 0, 0), -EEXIST);
  assert.equal(volume.lookup(dir, 'missing'), -ENOENT);
  assert.equal(volume.unlink(dir, 'missing'), -ENOENT);
  assert.equal(volume.rmdir(EXT2_ROOT_INO, 'd'), -ENOTEMPTY);
  assert.equal(volume.unlink(EXT2_ROOT_INO, 'd'), -EISDIR);
  assert.equal(volume.lookup(volume.lookup(dir, 'file-1'), 'x'), -ENOTDIR);
  assert.equal(volume.create(dir, 'x'.repeat(256), S_IFREG, 0, 0), -36);
  assert.equal(volume.create(dir, 'é'.repeat(127), S_IFREG, 0, 0) > 0, true);
});

test('symlinks: fast below 60 bytes, slow above; hard links and link counts; device numbers', () => {
  const { volume, device } = fresh();
  const fast = volume.symlink(EXT2_ROOT_INO, 'fast', 'a'.repeat(59), 0, 0);
  const slow = volume.symlink(EXT2_ROOT_INO, 'slow', 'b'.repeat(60), 0, 0);
  assert.equal((volume.stat(fast) as { blocks: number }).blocks, 0);
  assert.ok((volume.stat(slow) as { blocks: number }).blocks > 0);
  const file = volume.create(EXT2_ROOT_INO, 'f', S_IFREG | 0o600, 5, 6);
  assert.equal(volume.link(EXT2_ROOT_INO, 'g', file), 0);
  assert.equal((volume.stat(file) as { nlink: number }).nlink, 2);
  const sub = volume.mkdir(EXT2_ROOT_INO, 's', 0o755, 0, 0);
  assert.equal((volume.stat(EXT2_ROOT_INO) as { nlink: number }).nlink, 4);
  const null_ = volume.create(EXT2_ROOT_INO, 'null', S_IFCHR | 0o666, 0, 0, (1 << 8) | 3);
  const large = volume.create(EXT2_ROOT_INO, 'large', S_IFCHR | 0o666, 0, 0, (300 << 8) | 5 | (0x123 << 12 & 0xfff00000));
  volume.unmount();
  const again = remount(device).volume;
  assert.equal(str(again.readlink(fast)), 'a'.repeat(59));
  assert.equal(str(again.readlink(slow)), 'b'.repeat(60));
  assert.equal((again.stat(null_) as { rdev: number }).rdev, (1 << 8) | 3);
  assert.equal((again.stat(large) as { rdev: number }).rdev, (300 << 8) | 5 | (0x123 << 12 & 0xfff00000));
  assert.equal(again.unlink(EXT2_ROOT_INO, 'f'), 0);
  assert.equal((again.stat(file) as { nlink: number; uid: number; gid: number }).nlink, 1);
  assert.equal(again.rmdir(EXT2_ROOT_INO, 's'), 0);
  assert.equal((again.stat(EXT2_ROOT_INO) as { nlink: number }).nlink, 3);
  assert.ok(sub > 0);
});

test('rename: over files, directories across parents (".." and link counts), into itself refused', () => {
  const { volume } = fresh();
  const a = volume.mkdir(EXT2_ROOT_INO, 'a', 0o755, 0, 0);
  const b = volume.mkdir(EXT2_ROOT_INO, 'b', 0o755, 0, 0);
  const moved = volume.mkdir(a, 'm', 0o755, 0, 0);
  assert.equal(volume.rename(a, 'm', b, 'n'), 0);
  assert.equal(volume.lookup(moved, '..'), b);
  assert.equal((volume.stat(a) as { nlink: number }).nlink, 2);
  assert.equal((volume.stat(b) as { nlink: number }).nlink, 3);
  assert.equal(volume.rename(EXT2_ROOT_INO, 'b', moved, 'x'), -EINVAL);
  const f1 = volume.create(a, 'f1', S_IFREG, 0, 0);
  volume.create(a, 'f2', S_IFREG, 0, 0);
  assert.equal(volume.rename(a, 'f1', a, 'f2'), 0);
  assert.equal(volume.lookup(a, 'f2'), f1);
  assert.equal(volume.rename(a, 'f2', EXT2_ROOT_INO, 'b'), -EISDIR);
  assert.equal(volume.rename(EXT2_ROOT_INO, 'a', b, 'n'), 0, 'a directory replaces an empty one');
  assert.equal((volume.stat(b) as { nlink: number }).nlink, 3);
  assert.equal((volume.stat(EXT2_ROOT_INO) as { nlink: number }).nlink, 4);
});

test('an unlinked open file waits on the orphan list; the next mount frees it', () => {
  const { volume, device } = fresh();
  const free = volume.statfs();
  const ino = volume.create(EXT2_ROOT_INO, 'tmp', S_IFREG | 0o600, 0, 0);
  volume.write(ino, 0, new Uint8Array(50_000).fill(1));
  volume.acquire(ino);
  assert.equal(volume.unlink(EXT2_ROOT_INO, 'tmp'), 0);
  assert.equal(str(volume.read(ino, 0, 1)), '\x01');
  assert.equal(volume.fs.superblock.lastOrphan, ino);
  volume.sync(); // a crash now: the orphan list holds the inode
  const after = remount(device);
  assert.equal(after.volume.fs.superblock.lastOrphan, 0);
  assert.deepEqual([after.volume.statfs().freeBlocks, after.volume.statfs().freeFiles], [free.freeBlocks, free.freeFiles]);
  assert.ok(after.log.some((line) => line.includes('mounting unchecked fs')));
});

test('feature checks: journal recovery and unknown features are refused read-write with a log line', () => {
  const { device, volume } = fresh();
  volume.fs.superblock.featureIncompat |= INCOMPAT_RECOVER;
  volume.unmount();
  const log: string[] = [];
  const record = (m: string): void => { log.push(m); };
  const options = { log: { info: record, warn: record, error: record } };
  const refused = Ext2Volume.mount(device, options);
  assert.deepEqual(refused, { ok: false, errno: EROFS });
  assert.match(log.join('\n'), /journal needs recovery/);
  assert.ok(Ext2Volume.mount(device, { ...options, readOnly: true }).ok);
  const readOnly = remount(device, true).volume;
  assert.equal(readOnly.create(EXT2_ROOT_INO, 'x', S_IFREG, 0, 0), -EROFS);
  device.bytes[1024 + 96] = 0x40; // extents
  assert.equal((Ext2Volume.mount(device, options) as { errno: number }).errno, EINVAL);
  assert.match(log.join('\n'), /unsupported optional features \(40\)/);
});

test('corrupt images: random bit flips in metadata give errnos and log lines, never an exception', () => {
  const base = fresh(1024, 2);
  const v = base.volume;
  populateExerciseFixture(v);
  v.unmount();
  const pristine = base.bytes.slice();
  const random = new Random(Number(process.env.IR0_EXT2_FUZZ_SEED ?? 1));
  const rounds = Number(process.env.IR0_EXT2_FUZZ_ROUNDS ?? 150);
  const metadataBlocks = 300; // superblock, descriptors, bitmaps, inode table and the first directories
  let errors = 0;
  for (let round = 0; round < rounds; round++) {
    const bytes = pristine.slice();
    for (let flips = 1 + random.below(8); flips > 0; flips--) {
      const bit = 1024 * 8 + random.below(metadataBlocks * 1024 * 8);
      bytes[bit >>> 3]! ^= 1 << (bit & 7);
    }
    const errnos = exerciseImage(bytes);
    if (errnos.some((e) => e === -EUCLEAN || e === -EIO)) errors++;
  }
  assert.ok(errors > 0, 'some flips are detected as corruption');
});
