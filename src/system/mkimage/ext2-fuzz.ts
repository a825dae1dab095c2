/**
 * `ir0 mkimage fuzz`: random bit flips in ext2 metadata (superblock, group
 * descriptors, bitmaps, inode tables, directories and indirect blocks of a
 * small populated image, 1 and 4 KiB blocks), then mount, walk, read, write and
 * delete through the driver core. Any host exception is a failure (reported
 * with its seed and round); errnos and log lines are the expected outcome.
 */
import { Random } from '../../base/random.js';
import { EXT2_ROOT_INO, Ext2Volume, exerciseVolume, MemoryBlockDevice, S_IFREG, makeFilesystem } from '../../kernel/fs/ext2/index.js';

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

/** The kernel's exerciser pass (ext2/exercise.ts) after a mount; null: the mount was refused. Must not throw. */
function exerciseImage(bytes: Uint8Array): number[] | null {
  const mounted = Ext2Volume.mount(new MemoryBlockDevice(bytes), {});
  return mounted.ok ? exerciseVolume(mounted.value) : null;
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
