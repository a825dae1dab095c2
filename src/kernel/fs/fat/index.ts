/** FAT12/16/32 with VFAT long names: the volume core, mkfs, and the vfat filesystem type. */
export { FatVolume, isDirectoryNode, FAT_MAX_FILE, type FatNode, type SectorDevice } from './volume.js';
export { formatFat, type FatFormatOptions } from './mkfs.js';
export { parseBootSector, type FatType, type Geometry } from './boot-sector.js';
export { ATTR_DIRECTORY, ATTR_READ_ONLY } from './dirent.js';
export { mountVfat, vfatFilesystemType, MSDOS_SUPER_MAGIC, type VfatMountOptions } from './filesystem.js';
