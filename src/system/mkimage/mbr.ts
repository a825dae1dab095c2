/**
 * A classic MBR partition table with one partition (the layout fdisk writes):
 * the 64-byte table at byte 446, four 16-byte entries {status, CHS first, type,
 * CHS last, LBA start, sector count}, and the 0x55AA signature at byte 510.
 * CHS uses the 255-head, 63-sector translation; past its reach the maximum (1023/254/63).
 */

export const SECTOR_SIZE = 512;
export const PARTITION_TYPE_LINUX = 0x83;
export const PARTITION_TYPE_FAT32_LBA = 0x0c;

function chs(lba: number): [number, number, number] {
  if (lba >= 1024 * 255 * 63) return [0xfe, 0xff, 0xff];
  const cylinder = Math.floor(lba / (255 * 63));
  const head = Math.floor(lba / 63) % 255;
  const sector = (lba % 63) + 1;
  return [head, sector | ((cylinder >> 2) & 0xc0), cylinder & 0xff];
}

/** The first sector of a disk whose partition 1 spans [startSector, startSector + sectorCount). */
export function encodeMbr(startSector: number, sectorCount: number, type: number, diskId: number): Uint8Array {
  const sector = new Uint8Array(SECTOR_SIZE);
  const view = new DataView(sector.buffer);
  view.setUint32(440, diskId >>> 0, true);
  const entry = 446;
  sector[entry] = 0x80; // active
  sector.set(chs(startSector), entry + 1);
  sector[entry + 4] = type;
  sector.set(chs(startSector + sectorCount - 1), entry + 5);
  view.setUint32(entry + 8, startSector, true);
  view.setUint32(entry + 12, sectorCount, true);
  sector[510] = 0x55;
  sector[511] = 0xaa;
  return sector;
}

export interface MbrPartition {
  type: number;
  startSector: number;
  sectorCount: number;
}

/** The non-empty primary partitions of an MBR sector, or null without the signature. */
export function decodeMbr(sector: Uint8Array): MbrPartition[] | null {
  if (sector[510] !== 0x55 || sector[511] !== 0xaa) return null;
  const view = new DataView(sector.buffer, sector.byteOffset, sector.byteLength);
  const partitions: MbrPartition[] = [];
  for (let i = 0; i < 4; i++) {
    const entry = 446 + i * 16;
    const type = sector[entry + 4]!;
    const sectorCount = view.getUint32(entry + 12, true);
    if (type !== 0 && sectorCount !== 0) partitions.push({ type, startSector: view.getUint32(entry + 8, true), sectorCount });
  }
  return partitions;
}
