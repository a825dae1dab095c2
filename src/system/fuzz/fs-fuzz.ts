/**
 * Corrupt-image fuzzing of the disk filesystems (issue 4: bit flips in the
 * superblock, group descriptors or FAT, inodes and directories): a populated
 * ext2 or FAT image is made once, then each round flips a few random bits in
 * its metadata area, mounts it with the kernel's own filesystem code, walks
 * and reads every file, creates/writes/deletes, and unmounts. The filesystem
 * may answer with errnos (EIO, EUCLEAN, ...); a host exception is a failure.
 */
import { Random } from '../../base/random.js';
import { exerciseImage, Ext2Volume, makeFilesystem, MemoryBlockDevice, populateExerciseFixture } from '../../kernel/fs/ext2/index.js';
import { FatVolume, formatFat, isDirectoryNode } from '../../kernel/fs/fat/index.js';
import type { FatNode } from '../../kernel/fs/fat/index.js';

export type FuzzedFilesystem = 'ext2' | 'fat';

export interface FsFuzzReport {
  rounds: number;
  /** Rounds in which the filesystem reported corruption (EIO / EUCLEAN / a refused mount). */
  detected: number;
  /** Host exceptions: each one a bug. */
  failures: { round: number; error: string }[];
}

const T = 1_700_000_000e9;

interface Subject { image: Uint8Array; metadataBytes: number; exercise(bytes: Uint8Array): number[] }

function ext2Subject(): Subject {
  const bytes = new Uint8Array(2 << 20);
  const device = new MemoryBlockDevice(bytes);
  if (!makeFilesystem(device, { blockSize: 1024, now: 1_700_000_000 }).ok) throw new Error('mkfs.ext2 failed');
  const mounted = Ext2Volume.mount(device, {});
  if (!mounted.ok) throw new Error('fresh ext2 image does not mount');
  const v = mounted.value;
  populateExerciseFixture(v);
  v.unmount();
  return { image: bytes, metadataBytes: 300 * 1024, exercise: exerciseImage };
}

function fatSubject(): Subject {
  const bytes = new Uint8Array(40 << 20);
  const disk = {
    byteLength: bytes.length,
    readBlock: (b: number, into: Uint8Array): number => { into.set(bytes.subarray(b * 512, b * 512 + 512)); return 0; },
    writeBlock: (b: number, data: Uint8Array): number => { bytes.set(data, b * 512); return 0; },
    flush: (): number => 0,
  };
  if (formatFat(disk, { totalSectors: bytes.length / 512, type: 32 }) !== 0) throw new Error('mkfs.fat failed');
  const v = FatVolume.open(disk);
  if (typeof v === 'number') throw new Error('fresh FAT volume does not mount');
  const dir = v.mkdir(v.root, 'A Directory', T);
  if (typeof dir === 'number') throw new Error('mkdir failed');
  for (let i = 0; i < 40; i++) {
    const node = v.addEntry(dir, `file number ${i}.txt`, { attr: 0x20, firstCluster: 0, size: 0, mtime: T, ctime: T, atime: T });
    if (typeof node !== 'number') { v.writeData(node, 0, new Uint8Array(i * 700).fill(i)); v.updateEntry(node); }
  }
  v.sync();
  // Boot sector, FSInfo, both FATs and the first directory clusters.
  const metadataBytes = (v.geometry.firstDataSector + 64) * 512;
  return {
    image: bytes, metadataBytes,
    exercise(image) {
      const errnos: number[] = [];
      const device = { ...disk, readBlock: (b: number, into: Uint8Array): number => { into.set(image.subarray(b * 512, b * 512 + 512)); return 0; },
        writeBlock: (b: number, data: Uint8Array): number => { image.set(data, b * 512); return 0; } };
      const volume = FatVolume.open(device);
      if (typeof volume === 'number') return [volume];
      let visited = 0;
      const walk = (directory: FatNode, depth: number): void => {
        const nodes = volume.list(directory);
        if (typeof nodes === 'number') { errnos.push(nodes); return; }
        for (const node of nodes) {
          if (node.name === '.' || node.name === '..' || depth > 8 || ++visited > 5000) continue;
          if (isDirectoryNode(node)) walk(node, depth + 1);
          else { const r = volume.readData(node, 0, Math.min(node.entry.size, 1 << 20)); if (typeof r === 'number') errnos.push(r); }
        }
      };
      walk(volume.root, 0);
      const created = volume.addEntry(volume.root, 'a new file.bin', { attr: 0x20, firstCluster: 0, size: 0, mtime: T, ctime: T, atime: T });
      if (typeof created === 'number') errnos.push(created);
      else {
        const written = volume.writeData(created, 0, new Uint8Array(20_000).fill(3));
        if (written < 0) errnos.push(written);
        const removed = volume.removeEntry(volume.root, created);
        if (removed < 0) errnos.push(removed);
        volume.freeData(created);
      }
      errnos.push(volume.sync());
      return errnos.filter((e) => e < 0);
    },
  };
}

export interface FsFuzzOptions {
  readonly filesystem: FuzzedFilesystem;
  readonly seed: number;
  /** Stop after this many rounds or this many milliseconds, whichever comes first. */
  readonly rounds: number;
  readonly milliseconds?: number;
  readonly onProgress?: (report: FsFuzzReport) => void;
}

export function runFsFuzz(options: FsFuzzOptions): FsFuzzReport {
  const subject = options.filesystem === 'ext2' ? ext2Subject() : fatSubject();
  const random = new Random(options.seed);
  const report: FsFuzzReport = { rounds: 0, detected: 0, failures: [] };
  const started = performance.now();
  const firstMetadataByte = options.filesystem === 'ext2' ? 1024 : 0;
  for (let round = 0; round < options.rounds; round++) {
    if (options.milliseconds !== undefined && performance.now() - started > options.milliseconds) break;
    const bytes = subject.image.slice();
    for (let flips = 1 + random.below(8); flips > 0; flips--) {
      const bit = firstMetadataByte * 8 + random.below(subject.metadataBytes * 8);
      bytes[bit >>> 3]! ^= 1 << (bit & 7);
    }
    try {
      const errnos = subject.exercise(bytes);
      if (errnos.some((e) => e === -5 || e === -117 || e === -22)) report.detected++;
    } catch (error) {
      report.failures.push({ round, error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error) });
    }
    report.rounds++;
    if (report.rounds % 100 === 0) options.onProgress?.(report);
  }
  return report;
}
