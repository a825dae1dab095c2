/**
 * MBR partition tables (block/partitions/msdos.c, primary partitions only): the
 * boot signature 0x55AA at byte 510 and four 16-byte entries from byte 446, each
 * { status, CHS first, type, CHS last, u32 LBA first, u32 sector count }. Type 0 is
 * unused; an entry past the end of the disk is clipped, as Linux does with a warning.
 */
import type { DiskDriver } from './block-device.js';
import { SECTOR_SIZE } from './block-device.js';

export interface Partition {
  /** 1-4: hda1..hda4. */
  readonly number: number;
  readonly type: number;
  readonly firstSector: number;
  readonly sectorCount: number;
}

/** The primary partitions of a disk; empty without a valid MBR or on a read error. */
export function readPartitions(driver: DiskDriver): Partition[] {
  if (driver.sectorCount < 1) return [];
  const mbr = new Uint8Array(SECTOR_SIZE);
  if (driver.readSectors(0, mbr) < 0) return [];
  if (mbr[510] !== 0x55 || mbr[511] !== 0xaa) return [];
  const view = new DataView(mbr.buffer);
  const partitions: Partition[] = [];
  for (let i = 0; i < 4; i++) {
    const entry = 446 + i * 16;
    const type = mbr[entry + 4]!;
    const firstSector = view.getUint32(entry + 8, true);
    let sectorCount = view.getUint32(entry + 12, true);
    if (type === 0 || sectorCount === 0 || firstSector >= driver.sectorCount) continue;
    sectorCount = Math.min(sectorCount, driver.sectorCount - firstSector);
    partitions.push({ number: i + 1, type, firstSector, sectorCount });
  }
  return partitions;
}

/** Writes an MBR with one partition of `type` (0x83 Linux, 0x0c FAT32 LBA) from `firstSector` to the end (mkimage). */
export function encodeMbr(totalSectors: number, firstSector: number, type: number): Uint8Array {
  const mbr = new Uint8Array(SECTOR_SIZE);
  const view = new DataView(mbr.buffer);
  const entry = 446;
  mbr[entry] = 0x80;
  // CHS fields hold the "beyond 8 GiB" marker (1023/254/63); LBA fields are what Linux reads.
  mbr.set([0xfe, 0xff, 0xff], entry + 1);
  mbr[entry + 4] = type;
  mbr.set([0xfe, 0xff, 0xff], entry + 5);
  view.setUint32(entry + 8, firstSector, true);
  view.setUint32(entry + 12, totalSectors - firstSector, true);
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
  return mbr;
}
