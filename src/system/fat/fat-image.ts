/**
 * A disk image with an MBR and one FAT partition (type 0x0c, FAT32 LBA), made
 * by the kernel's own mkfs over a host file — what `ir0 mkimage --type fat32`
 * writes, and what the vfat tests boot with.
 */
import { closeSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { formatFat } from '../../kernel/fs/fat/index.js';
import type { FatType } from '../../kernel/fs/fat/index.js';
import { encodeMbr, PARTITION_TYPE_FAT32_LBA } from '../mkimage/mbr.js';

export const FAT_PARTITION_START = 2048;

/** Creates `path` (`sizeMiB` large) holding an MBR and an empty FAT volume; returns null or what went wrong. */
export function writeFatImage(path: string, sizeMiB: number, type?: FatType): string | null {
  const fd = openSync(path, 'w+');
  try {
    const totalSectors = sizeMiB * 2048;
    ftruncateSync(fd, totalSectors * 512);
    const partitionSectors = totalSectors - FAT_PARTITION_START;
    const partitionType = type === 16 ? 0x0e : type === 12 ? 0x01 : PARTITION_TYPE_FAT32_LBA;
    writeSync(fd, encodeMbr(FAT_PARTITION_START, partitionSectors, partitionType, 0x1d0f1d0f), 0, 512, 0);
    const device = {
      byteLength: partitionSectors * 512,
      readBlock: (block: number, into: Uint8Array): number => (readSync(fd, into, 0, into.length, (FAT_PARTITION_START + block) * 512 + 0) === into.length ? 0 : -5),
      writeBlock: (block: number, data: Uint8Array): number => (writeSync(fd, data, 0, data.length, (FAT_PARTITION_START * 512) + block * data.length) === data.length ? 0 : -5),
      flush: (): number => 0,
    };
    const result = formatFat(device, { totalSectors: partitionSectors, type, hiddenSectors: FAT_PARTITION_START });
    return result === 0 ? null : typeof result === 'string' ? result : `I/O error ${result}`;
  } finally {
    closeSync(fd);
  }
}
