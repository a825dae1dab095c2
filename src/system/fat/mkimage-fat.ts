/**
 * `ir0 mkimage --type fat32|fat16|fat12`: an MBR with one FAT partition,
 * formatted by the kernel's own mkfs and filled from a host directory through
 * the FAT core. FAT keeps names, data, directories and modification times;
 * symlinks, device nodes, hard links and permissions have no place on it and
 * are reported as skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FatVolume, formatFat } from '../../kernel/fs/fat/index.js';
import type { FatNode, FatType } from '../../kernel/fs/fat/index.js';
import { FileBlockDevice } from '../mkimage/file-block-device.js';
import { encodeMbr, SECTOR_SIZE } from '../mkimage/mbr.js';

const MiB = 1 << 20;
export const FAT_PARTITION_START_SECTOR = 2048;
const PARTITION_TYPES: Record<FatType, number> = { 12: 0x01, 16: 0x0e, 32: 0x0c };

export interface FatImageOptions {
  readonly from: string;
  readonly out: string;
  readonly type: FatType;
  readonly sizeMiB?: number;
  readonly progress?: (message: string) => void;
}

export interface FatImageResult { sizeMiB: number; files: number; directories: number; bytes: number; skipped: string[] }

function measure(root: string): { bytes: number; entries: number } {
  let bytes = 0;
  let entries = 0;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      entries++;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) bytes += fs.statSync(full).size;
    }
  };
  walk(root);
  return { bytes, entries };
}

export function buildFatImage(options: FatImageOptions): FatImageResult {
  const progress = options.progress ?? ((): void => undefined);
  const tree = measure(options.from);
  const minimum = options.type === 32 ? 40 : options.type === 16 ? 8 : 2;
  const sizeMiB = options.sizeMiB ?? Math.max(minimum, Math.ceil((tree.bytes * 1.2 + tree.entries * 4096) / MiB) + 4);
  const partitionSectors = sizeMiB * 2048 - FAT_PARTITION_START_SECTOR;
  if (partitionSectors <= 0) throw new Error(`mkimage: --size ${sizeMiB} MiB is too small`);
  const fd = fs.openSync(options.out, 'w+');
  const skipped: string[] = [];
  let files = 0;
  let directories = 0;
  let bytes = 0;
  try {
    fs.ftruncateSync(fd, sizeMiB * MiB);
    const mbr = encodeMbr(FAT_PARTITION_START_SECTOR, partitionSectors, PARTITION_TYPES[options.type], 0x1d0f1d0f);
    fs.writeSync(fd, mbr, 0, mbr.length, 0);
    const device = new FileBlockDevice(fd, FAT_PARTITION_START_SECTOR * SECTOR_SIZE, partitionSectors * SECTOR_SIZE);
    const formatted = formatFat(device, { totalSectors: partitionSectors, type: options.type, hiddenSectors: FAT_PARTITION_START_SECTOR });
    if (formatted !== 0) throw new Error(`mkimage: ${typeof formatted === 'string' ? formatted : `I/O error ${formatted}`}`);
    const volume = FatVolume.open(device, progress);
    if (typeof volume === 'number') throw new Error(`mkimage: the new FAT volume does not mount (errno ${-volume})`);
    const check = <T>(result: T | number, what: string): T => {
      if (typeof result === 'number' && result < 0) throw new Error(`mkimage: ${what}: errno ${-result}`);
      return result as T;
    };
    const walk = (hostDir: string, dir: FatNode, relative: string): void => {
      for (const entry of fs.readdirSync(hostDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const full = path.join(hostDir, entry.name);
        const shown = `${relative}/${entry.name}`;
        const stat = fs.lstatSync(full);
        const mtime = stat.mtimeMs * 1e6;
        if (entry.isDirectory()) {
          const child = check(volume.mkdir(dir, entry.name, mtime), shown);
          directories++;
          walk(full, child, shown);
        } else if (entry.isFile()) {
          const node = check(volume.addEntry(dir, entry.name, { attr: 0x20 | ((stat.mode & 0o222) === 0 ? 1 : 0), firstCluster: 0, size: 0, mtime, ctime: mtime, atime: mtime }), shown);
          const input = fs.openSync(full, 'r');
          try {
            const chunk = new Uint8Array(MiB);
            for (let at = 0; at < stat.size;) {
              const read = fs.readSync(input, chunk, 0, chunk.length, at);
              if (read <= 0) break;
              check(volume.writeData(node, at, chunk.subarray(0, read)), shown);
              at += read;
            }
          } finally {
            fs.closeSync(input);
          }
          node.entry.mtime = mtime;
          check(volume.updateEntry(node), shown);
          files++;
          bytes += stat.size;
          if (files % 500 === 0) progress(`${files} files, ${(bytes / MiB).toFixed(1)} MiB`);
        } else {
          skipped.push(shown);
        }
      }
    };
    walk(options.from, volume.root, '');
    check(volume.sync(), 'sync');
  } finally {
    fs.closeSync(fd);
  }
  if (skipped.length > 0) progress(`skipped ${skipped.length} entries FAT cannot hold (symlinks, devices, sockets), e.g. ${skipped.slice(0, 3).join(' ')}`);
  return { sizeMiB, files, directories, bytes, skipped };
}
