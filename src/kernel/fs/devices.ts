/**
 * Character devices of /dev (drivers/char/mem.c and random.c): null, zero,
 * full, random, urandom; plus the console. Numbers are Linux's (Documentation/
 * admin-guide/devices.txt): mem is major 1, tty 5, console 5:1.
 */
import { ENOSPC } from '../lib/index.js';
import type { Random } from '../lib/index.js';
import type { FileOps } from './inode.js';

export const makeDevice = (major: number, minor: number): number => (major << 8) | minor;

export const nullFileOps: FileOps = {
  read: () => new Uint8Array(0),
  write: (_file, data) => data.length,
};

export const zeroFileOps: FileOps = {
  read: (_file, count) => new Uint8Array(Math.min(count, 1 << 20)),
  write: (_file, data) => data.length,
};

export const fullFileOps: FileOps = {
  read: (_file, count) => new Uint8Array(Math.min(count, 1 << 20)),
  write: () => -ENOSPC,
};

export function createRandomOps(random: Random): FileOps {
  return {
    read: (_file, count) => {
      const out = new Uint8Array(Math.min(count, 1 << 20));
      random.fill(out);
      return out;
    },
    write: (_file, data) => data.length,
  };
}
