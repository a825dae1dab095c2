/**
 * Builds a disk image: an MBR with one Linux partition (type 0x83) starting at
 * 1 MiB, formatted by the project's own mkfs.ext2 and filled from a host
 * directory. Written through a file-backed block device, so the image file is
 * sparse and the tree is never held in memory whole.
 */
import * as fs from 'node:fs';
import { Ext2Volume, makeFilesystem } from '../../kernel/fs/ext2/index.js';
import { FileBlockDevice } from './file-block-device.js';
import { PARTITION_TYPE_LINUX, SECTOR_SIZE, encodeMbr } from './mbr.js';
import { measureTree, populate } from './populate.js';

export const PARTITION_START_SECTOR = 2048;
const MiB = 1 << 20;

export interface MkimageOptions {
  from: string;
  out: string;
  /** Whole-disk size; default: the tree's size with room to spare. */
  sizeMiB?: number;
  blockSize?: 1024 | 2048 | 4096;
  rootOwner?: boolean;
  /** Seconds since the epoch for the filesystem's own timestamps. */
  now?: number;
  progress?: (message: string) => void;
}

export interface MkimageResult {
  sizeMiB: number;
  files: number;
  bytes: number;
  blockSize: number;
  partitionOffset: number;
  partitionBytes: number;
}

/** A size that fits the tree: data, per-file block slack and metadata, plus a quarter free. */
export function defaultSizeMiB(bytes: number, entries: number, blockSize: number): number {
  const estimate = bytes * 1.1 + entries * (blockSize + 256) + 8 * MiB;
  return Math.max(16, Math.ceil(estimate * 1.25 / MiB) + 1);
}

export function buildImage(options: MkimageOptions): MkimageResult {
  const blockSize = options.blockSize ?? 4096;
  const tree = measureTree(options.from);
  const sizeMiB = options.sizeMiB ?? defaultSizeMiB(tree.bytes, tree.entries, blockSize);
  const totalBytes = sizeMiB * MiB;
  const partitionOffset = PARTITION_START_SECTOR * SECTOR_SIZE;
  const partitionBytes = totalBytes - partitionOffset;
  if (partitionBytes <= 0) throw new Error(`mkimage: --size ${sizeMiB} MiB is too small`);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const progress = options.progress ?? ((): void => undefined);
  const fd = fs.openSync(options.out, 'w+');
  try {
    fs.ftruncateSync(fd, totalBytes);
    const mbr = encodeMbr(PARTITION_START_SECTOR, partitionBytes / SECTOR_SIZE, PARTITION_TYPE_LINUX, now);
    fs.writeSync(fd, mbr, 0, mbr.length, 0);
    const device = new FileBlockDevice(fd, partitionOffset, partitionBytes);
    const log = { info: (m: string): void => progress(m), warn: (m: string): void => progress(m), error: (m: string): void => progress(m) };
    const formatted = makeFilesystem(device, { blockSize, now, minimumInodes: Math.ceil(tree.entries * 1.2) + 64, log });
    if (!formatted.ok) throw new Error(`mkimage: mkfs failed: errno ${formatted.errno}`);
    progress(`mkfs.ext2: ${formatted.value.blocksCount} blocks of ${blockSize} bytes, ${formatted.value.groupCount} groups, ` +
      `${formatted.value.inodesPerGroup * formatted.value.groupCount} inodes`);
    const mounted = Ext2Volume.mount(device, { now: () => now, log, name: 'mkimage' });
    if (!mounted.ok) throw new Error(`mkimage: mount failed: errno ${mounted.errno}`);
    const volume = mounted.value;
    let lastReport = 0;
    const counts = populate(volume, options.from, {
      rootOwner: options.rootOwner,
      progress: (files, bytes) => {
        if (files - lastReport < 250) return;
        lastReport = files;
        progress(`copying: ${files}/${tree.entries} files, ${(bytes / MiB).toFixed(1)}/${(tree.bytes / MiB).toFixed(1)} MiB`);
      },
    });
    volume.fs.superblock.mountCount = 0;
    const status = volume.unmount();
    if (status < 0) throw new Error(`mkimage: writing the filesystem failed: errno ${-status}`);
    progress(`done: ${counts.files} files, ${(counts.bytes / MiB).toFixed(1)} MiB in a ${sizeMiB} MiB image`);
    return { sizeMiB, files: counts.files, bytes: counts.bytes, blockSize, partitionOffset, partitionBytes };
  } finally {
    fs.closeSync(fd);
  }
}
