/**
 * Block device nodes (/dev/hda, /dev/hda1, ... — block/fops.c): byte-granular read
 * and write through the block cache, lseek to the end, fsync writing the disk back,
 * and the size ioctls (BLKGETSIZE, BLKGETSIZE64, BLKSSZGET) that dd, mkfs and fdisk use.
 */
import type { BlockCache, DiskDriver } from '../block/index.js';
import { SECTOR_SIZE } from '../block/index.js';
import { EFAULT, ENOSPC, ENOTTY } from '../lib/index.js';
import type { FileOps } from './inode.js';

const BLKGETSIZE = 0x1260, BLKSSZGET = 0x1268, BLKGETSIZE64 = 0x80081272, BLKFLSBUF = 0x1261;

export function blockDeviceFileOps(cache: BlockCache, driver: DiskDriver, firstSector: number, sectorCount: number): FileOps {
  const base = firstSector * SECTOR_SIZE;
  const size = sectorCount * SECTOR_SIZE;
  return {
    seekable: true,
    read: (_file, count, position) => {
      const length = Math.max(0, Math.min(count, size - position));
      const out = new Uint8Array(length);
      const result = cache.read(driver, base + position, out);
      return result < 0 ? result : out;
    },
    write: (_file, data, position) => {
      if (position >= size) return data.length === 0 ? 0 : -ENOSPC;
      const length = Math.min(data.length, size - position);
      const result = cache.write(driver, base + position, data.subarray(0, length));
      return result < 0 ? result : length;
    },
    fsync: () => cache.sync(driver),
    ioctl: (_file, request, argument, user) => {
      const words = new Uint8Array(8);
      const view = new DataView(words.buffer);
      switch (request >>> 0) {
        case BLKGETSIZE: view.setUint32(0, sectorCount, true); return user.copyToUser(argument, words.subarray(0, 4)) < 0 ? -EFAULT : 0;
        case BLKSSZGET: view.setUint32(0, SECTOR_SIZE, true); return user.copyToUser(argument, words.subarray(0, 4)) < 0 ? -EFAULT : 0;
        case BLKGETSIZE64: view.setBigUint64(0, BigInt(size), true); return user.copyToUser(argument, words) < 0 ? -EFAULT : 0;
        case BLKFLSBUF: return cache.sync(driver);
        default: return -ENOTTY;
      }
    },
  };
}
