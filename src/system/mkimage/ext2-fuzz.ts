/**
 * `ir0 mkimage fuzz`: random bit flips in ext2 metadata (superblock, group
 * descriptors, bitmaps, inode tables, directories and indirect blocks of a
 * small populated image, 1 and 4 KiB blocks), then mount, walk, read, write and
 * delete through the driver core. Any host exception is a failure (reported
 * with its seed and round); errnos and log lines are the expected outcome.
 */
import { Random } from '../../base/random.js';
import { EXT2_ROOT_INO, Ext2Volume, MemoryBlockDevice, S_IFREG, makeFilesystem } from '../../kernel/fs/ext2/index.js';

export interface FuzzReport {
  rounds: number;
  mountRefused: number;
  errnoRounds: number;
  failures: string[];
}

function pristineImage(blockSize: 1024 | 4096): { bytes: Uint8Array; metadataBytes: number } {
  const bytes = new Uint8Array(blockSize === 1024 ? 2 << 20 : 8 << 20);
  const device = new MemoryBlockDevice(bytes);
  const made = makeFilesystem(device, { blockSize, now: 1_700_000_000 });
  if (!made.ok) throw new Error(`fuzz: mkfs failed: errno ${made.errno}`);
  const mounted = Ext2Volume.mount(device, { now: () => 1_700_000_000 });
  if (!mounted.ok) throw new Error(`fuzz: mount failed: errno ${mounted.errno}`);
  const volume = mounted.value;
  const dir = volume.mkdir(EXT2_ROOT_INO, 'dir', 0o755, 0, 0);
  const sub = volume.mkdir(dir, 'sub', 0o700, 1, 1);
  for (let i = 0; i < 60; i++) volume.write(volume.create(i % 2 ? dir : sub, `file-${i}`, S_IFREG | 0o644, 0, 0), 0, new Uint8Array(i * 333).fill(i));
  volume.write(volume.create(EXT2_ROOT_INO, 'big', S_IFREG | 0o644, 0, 0), 0, new Uint8Array(600_000).fill(9));
  volume.write(volume.create(EXT2_ROOT_INO, 'sparse', S_IFREG | 0o644, 0, 0), 40 << 20, new Uint8Array(10).fill(1));
  volume.symlink(dir, 'slow', 'y'.repeat(90), 0, 0);
  volume.symlink(dir, 'fast', 'file-1', 0, 0);
  volume.link(dir, 'hard', volume.lookup(dir, 'file-1'));
  volume.unmount();
  // The metadata sits in the first blocks of group 0 (and the first data blocks hold the directories).
  return { bytes, metadataBytes: Math.min(bytes.length, blockSize === 1024 ? 400 * 1024 : 320 * 4096) };
}

/** Mounts, walks everything, then writes and deletes; returns the errnos seen (null: mount refused). Must not throw. */
export function exerciseImage(bytes: Uint8Array): number[] | null {
  const errnos: number[] = [];
  const mounted = Ext2Volume.mount(new MemoryBlockDevice(bytes), {});
  if (!mounted.ok) return null;
  const volume = mounted.value;
  const seen = new Set<number>();
  const walk = (dir: number, depth: number): void => {
    const entries = volume.readDirectory(dir);
    if (typeof entries === 'number') { errnos.push(entries); return; }
    for (const entry of entries) {
      if (entry.name === '.' || entry.name === '..' || seen.has(entry.ino) || depth > 10) continue;
      seen.add(entry.ino);
      const stat = volume.stat(entry.ino);
      if (typeof stat === 'number') { errnos.push(stat); continue; }
      const type = stat.mode & 0o170000;
      if (type === 0o040000) walk(entry.ino, depth + 1);
      else if (type === 0o120000) { const target = volume.readlink(entry.ino); if (typeof target === 'number') errnos.push(target); }
      else if (type === 0o100000) {
        const data = volume.read(entry.ino, Math.max(0, stat.size - (1 << 20)), 1 << 20);
        if (typeof data === 'number') errnos.push(data);
      }
    }
  };
  walk(EXT2_ROOT_INO, 0);
  const created = volume.create(EXT2_ROOT_INO, 'new', S_IFREG | 0o644, 0, 0);
  if (created < 0) errnos.push(created);
  else {
    const written = volume.write(created, 0, new Uint8Array(50_000).fill(3));
    if (written < 0) errnos.push(written);
    errnos.push(volume.truncate(created, 1000));
  }
  errnos.push(volume.mkdir(EXT2_ROOT_INO, 'newdir', 0o755, 0, 0));
  const dir = volume.lookup(EXT2_ROOT_INO, 'dir');
  if (dir > 0) {
    for (let i = 1; i < 60; i += 4) errnos.push(volume.unlink(dir, `file-${i}`));
    errnos.push(volume.rename(dir, 'slow', EXT2_ROOT_INO, 'moved'));
  }
  errnos.push(volume.unlink(EXT2_ROOT_INO, 'big'));
  errnos.push(volume.unmount());
  return errnos.filter((e) => e < 0);
}

/** Fuzzes until `seconds` pass (or `maxRounds`); deterministic for a seed. */
export function fuzzExt2(seconds: number, seed: number, maxRounds = Infinity, now: () => number = () => performance.now()): FuzzReport {
  const images = [pristineImage(1024), pristineImage(4096)];
  const random = new Random(seed);
  const deadline = now() + seconds * 1000;
  const report: FuzzReport = { rounds: 0, mountRefused: 0, errnoRounds: 0, failures: [] };
  while (report.rounds < maxRounds && now() < deadline) {
    const image = images[report.rounds % 2]!;
    const bytes = image.bytes.slice();
    for (let flips = 1 + random.below(12); flips > 0; flips--) {
      const bit = 1024 * 8 + random.below((image.metadataBytes - 1024) * 8);
      bytes[bit >>> 3]! ^= 1 << (bit & 7);
    }
    try {
      const errnos = exerciseImage(bytes);
      if (errnos === null) report.mountRefused++;
      else if (errnos.length > 0) report.errnoRounds++;
    } catch (error) {
      report.failures.push(`seed ${seed} round ${report.rounds}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
    report.rounds++;
  }
  return report;
}
