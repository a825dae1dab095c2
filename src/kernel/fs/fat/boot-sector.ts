/**
 * The FAT boot sector's BIOS parameter block and the FAT32 FSInfo sector
 * (Microsoft "FAT: General Overview of On-Disk Format", 2000): field offsets,
 * the FAT type rule (by count of clusters: < 4085 FAT12, < 65525 FAT16, else
 * FAT32) and the geometry derived from them.
 */

export type FatType = 12 | 16 | 32;

export interface BiosParameterBlock {
  readonly bytesPerSector: number;
  readonly sectorsPerCluster: number;
  readonly reservedSectors: number;
  readonly fatCount: number;
  /** FAT12/16: entries in the fixed root directory; FAT32: 0. */
  readonly rootEntryCount: number;
  readonly totalSectors: number;
  readonly media: number;
  readonly sectorsPerFat: number;
  readonly hiddenSectors: number;
  /** FAT32 only (0 otherwise). */
  readonly rootCluster: number;
  readonly fsInfoSector: number;
  readonly backupBootSector: number;
  readonly volumeId: number;
  readonly label: string;
}

export interface Geometry extends BiosParameterBlock {
  readonly type: FatType;
  readonly firstFatSector: number;
  /** FAT12/16: the fixed root directory's first sector and length in sectors. */
  readonly rootDirSector: number;
  readonly rootDirSectors: number;
  readonly firstDataSector: number;
  readonly clusterCount: number;
  readonly clusterSize: number;
}

const u16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
export const put16 = (b: Uint8Array, o: number, v: number): void => { b[o] = v; b[o + 1] = v >>> 8; };
export const put32 = (b: Uint8Array, o: number, v: number): void => { b[o] = v; b[o + 1] = v >>> 8; b[o + 2] = v >>> 16; b[o + 3] = v >>> 24; };
export { u16 as get16, u32 as get32 };

/** Parses and validates sector 0; a string says what is wrong. */
export function parseBootSector(sector: Uint8Array): Geometry | string {
  if (sector[510] !== 0x55 || sector[511] !== 0xaa) return 'no boot signature 55 aa';
  const bytesPerSector = u16(sector, 11);
  const sectorsPerCluster = sector[13]!;
  const reservedSectors = u16(sector, 14);
  const fatCount = sector[16]!;
  const rootEntryCount = u16(sector, 17);
  const totalSectors = u16(sector, 19) || u32(sector, 32);
  const sectorsPerFat = u16(sector, 22) || u32(sector, 36);
  if (![512, 1024, 2048, 4096].includes(bytesPerSector)) return `bad bytes per sector ${bytesPerSector}`;
  if (sectorsPerCluster === 0 || (sectorsPerCluster & (sectorsPerCluster - 1)) !== 0) return `bad sectors per cluster ${sectorsPerCluster}`;
  if (reservedSectors === 0 || fatCount === 0 || sectorsPerFat === 0 || totalSectors === 0) return 'zero reserved sectors, FATs, FAT size or total size';
  const rootDirSectors = Math.ceil((rootEntryCount * 32) / bytesPerSector);
  const firstFatSector = reservedSectors;
  const rootDirSector = firstFatSector + fatCount * sectorsPerFat;
  const firstDataSector = rootDirSector + rootDirSectors;
  if (firstDataSector >= totalSectors) return 'metadata larger than the volume';
  const clusterCount = Math.floor((totalSectors - firstDataSector) / sectorsPerCluster);
  const type: FatType = clusterCount < 4085 ? 12 : clusterCount < 65525 ? 16 : 32;
  const fat32 = type === 32;
  if (fat32 && rootEntryCount !== 0) return 'FAT32 with a fixed root directory';
  if (!fat32 && rootEntryCount === 0) return 'FAT12/16 without a root directory';
  const extended = fat32 ? 64 : 36;
  const labelBytes = sector[extended + 2] === 0x29 ? sector.subarray(extended + 7, extended + 18) : new Uint8Array(0);
  const geometry: Geometry = {
    bytesPerSector, sectorsPerCluster, reservedSectors, fatCount, rootEntryCount, totalSectors, media: sector[21]!, sectorsPerFat,
    hiddenSectors: u32(sector, 28),
    rootCluster: fat32 ? u32(sector, 44) : 0,
    fsInfoSector: fat32 ? u16(sector, 48) : 0,
    backupBootSector: fat32 ? u16(sector, 50) : 0,
    volumeId: sector[extended + 2] === 0x29 ? u32(sector, extended + 3) : 0,
    label: String.fromCharCode(...labelBytes).trimEnd(),
    type, firstFatSector, rootDirSector, rootDirSectors, firstDataSector, clusterCount,
    clusterSize: bytesPerSector * sectorsPerCluster,
  };
  const fatEntriesNeeded = clusterCount + 2;
  const fatBytes = sectorsPerFat * bytesPerSector;
  const fatEntriesHeld = type === 12 ? Math.floor((fatBytes * 2) / 3) : fatBytes / (type / 8);
  if (fatEntriesHeld < fatEntriesNeeded) return `FAT too small for ${clusterCount} clusters`;
  if (fat32 && (geometry.rootCluster < 2 || geometry.rootCluster >= fatEntriesNeeded)) return `bad root cluster ${geometry.rootCluster}`;
  return geometry;
}

export const FSINFO_LEAD = 0x41615252;
export const FSINFO_STRUCT = 0x61417272;
export const FSINFO_TRAIL = 0xaa550000;

/** FSInfo's hints (0xFFFFFFFF = unknown). */
export interface FsInfo { freeCount: number; nextFree: number }

export function parseFsInfo(sector: Uint8Array): FsInfo | null {
  if (u32(sector, 0) !== FSINFO_LEAD || u32(sector, 484) !== FSINFO_STRUCT || u32(sector, 508) !== FSINFO_TRAIL) return null;
  return { freeCount: u32(sector, 488), nextFree: u32(sector, 492) };
}

export function writeFsInfo(sector: Uint8Array, info: FsInfo): void {
  put32(sector, 0, FSINFO_LEAD);
  put32(sector, 484, FSINFO_STRUCT);
  put32(sector, 488, info.freeCount);
  put32(sector, 492, info.nextFree);
  put32(sector, 508, FSINFO_TRAIL);
}
