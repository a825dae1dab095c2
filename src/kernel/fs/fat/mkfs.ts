/**
 * mkfs for FAT12/16/32 with the layout dosfstools' mkfs.fat chooses: 2 FATs,
 * media 0xF8, 32 reserved sectors with FSInfo at 1 and a backup boot record
 * at 6 on FAT32 (1 reserved sector and 512 root entries on FAT12/16), and a
 * cluster size that puts the cluster count inside the type's range.
 */
import { EIO } from '../../lib/index.js';
import { parseBootSector, put16, put32, writeFsInfo } from './boot-sector.js';
import type { FatType } from './boot-sector.js';
import type { SectorDevice } from './volume.js';

export interface FatFormatOptions {
  /** Sectors of the volume (the partition). */
  readonly totalSectors: number;
  /** FAT type; default: 32 from 512 MiB up, else 16 (12 below 16 MiB). */
  readonly type?: FatType;
  /** LBA of the partition start (BPB hidden sectors). */
  readonly hiddenSectors?: number;
  readonly label?: string;
  readonly volumeId?: number;
}

interface Layout { type: FatType; sectorsPerCluster: number; reserved: number; rootEntries: number; sectorsPerFat: number }

/** Sectors per cluster as mkfs.fat picks them for FAT32 by volume size. */
function fat32ClusterSectors(bytes: number): number {
  const mib = bytes / 1048576;
  return mib <= 260 ? 1 : mib <= 8192 ? 8 : mib <= 16384 ? 16 : mib <= 32768 ? 32 : 64;
}

function layout(total: number, type: FatType): Layout | string {
  const reserved = type === 32 ? 32 : 1;
  const rootEntries = type === 32 ? 0 : 512;
  const rootSectors = (rootEntries * 32) / 512;
  const candidates = type === 32 ? [fat32ClusterSectors(total * 512), 1, 2, 4, 8, 16, 32, 64, 128] : [1, 2, 4, 8, 16, 32, 64, 128];
  for (const sectorsPerCluster of candidates) {
    let sectorsPerFat = 1;
    for (let round = 0; round < 20; round++) {
      const clusters = Math.floor((total - reserved - 2 * sectorsPerFat - rootSectors) / sectorsPerCluster);
      const bytes = type === 12 ? Math.ceil(((clusters + 2) * 3) / 2) : (clusters + 2) * (type / 8);
      const next = Math.ceil(bytes / 512);
      if (next === sectorsPerFat) break;
      sectorsPerFat = next;
    }
    const clusters = Math.floor((total - reserved - 2 * sectorsPerFat - rootSectors) / sectorsPerCluster);
    const fits = type === 12 ? clusters >= 1 && clusters < 4085 : type === 16 ? clusters >= 4085 && clusters < 65525 : clusters >= 65525 && clusters < 0x0ffffff5;
    if (fits) return { type, sectorsPerCluster, reserved, rootEntries, sectorsPerFat };
  }
  return `a ${(total * 512 / 1048576).toFixed(1)} MiB volume cannot be FAT${type} (FAT32 needs at least 65525 clusters, about 33 MiB)`;
}

/** Writes an empty FAT filesystem on `device`; returns 0, or a message for an impossible size/type. */
export function formatFat(device: SectorDevice, options: FatFormatOptions): number | string {
  const total = options.totalSectors;
  const type: FatType = options.type ?? (total * 512 >= 512 * 1048576 ? 32 : total * 512 < 16 * 1048576 ? 12 : 16);
  const plan = layout(total, type);
  if (typeof plan === 'string') return plan;
  const { sectorsPerCluster, reserved, rootEntries, sectorsPerFat } = plan;
  const boot = new Uint8Array(512);
  boot.set(type === 32 ? [0xeb, 0x58, 0x90] : [0xeb, 0x3c, 0x90], 0);
  boot.set([...'mkfs.fat'].map((c) => c.charCodeAt(0)), 3);
  put16(boot, 11, 512);
  boot[13] = sectorsPerCluster;
  put16(boot, 14, reserved);
  boot[16] = 2;
  put16(boot, 17, rootEntries);
  if (total < 65536 && type !== 32) put16(boot, 19, total); else put32(boot, 32, total);
  boot[21] = 0xf8;
  if (type !== 32) put16(boot, 22, sectorsPerFat);
  put16(boot, 24, 63);
  put16(boot, 26, 255);
  put32(boot, 28, options.hiddenSectors ?? 0);
  const label = (options.label ?? 'NO NAME').toUpperCase().padEnd(11).slice(0, 11);
  const extended = type === 32 ? 64 : 36;
  if (type === 32) {
    put32(boot, 36, sectorsPerFat);
    put32(boot, 44, 2); // root directory cluster
    put16(boot, 48, 1); // FSInfo
    put16(boot, 50, 6); // backup boot sector
  }
  boot[extended] = 0x80; // drive number
  boot[extended + 2] = 0x29;
  put32(boot, extended + 3, options.volumeId ?? 0x1234abcd);
  boot.set([...label].map((c) => c.charCodeAt(0)), extended + 7);
  boot.set([...(type === 32 ? 'FAT32   ' : type === 16 ? 'FAT16   ' : 'FAT12   ')].map((c) => c.charCodeAt(0)), extended + 18);
  boot[510] = 0x55;
  boot[511] = 0xaa;
  const geometry = parseBootSector(boot);
  if (typeof geometry === 'string') return `mkfs produced a bad boot sector: ${geometry}`;
  if (geometry.type !== type) return `mkfs layout gives FAT${geometry.type}, not FAT${type}`;
  const write = (sector: number, data: Uint8Array): boolean => device.writeBlock(sector, data) === 0;
  const zero = new Uint8Array(512);
  // Reserved area, FATs and the fixed root directory start zeroed.
  for (let s = 0; s < geometry.firstDataSector; s++) if (!write(s, zero)) return -EIO;
  if (!write(0, boot)) return -EIO;
  const firstFat = new Uint8Array(512);
  if (type === 32) {
    put32(firstFat, 0, 0x0ffffff8); put32(firstFat, 4, 0x0fffffff); put32(firstFat, 8, 0x0fffffff);
  } else if (type === 16) {
    put16(firstFat, 0, 0xfff8); put16(firstFat, 2, 0xffff);
  } else {
    firstFat.set([0xf8, 0xff, 0xff], 0);
  }
  for (let copy = 0; copy < 2; copy++) if (!write(reserved + copy * sectorsPerFat, firstFat)) return -EIO;
  if (type === 32) {
    const info = new Uint8Array(512);
    writeFsInfo(info, { freeCount: geometry.clusterCount - 1, nextFree: 3 });
    const third = new Uint8Array(512);
    third[510] = 0x55; third[511] = 0xaa;
    for (const base of [0, 6]) {
      if (!write(base, boot) || !write(base + 1, info) || !write(base + 2, third)) return -EIO;
    }
    for (let s = 0; s < sectorsPerCluster; s++) if (!write(geometry.firstDataSector + s, zero)) return -EIO;
  }
  return device.flush() < 0 ? -EIO : 0;
}

