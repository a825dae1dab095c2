/**
 * Host backends of the ATA disk (hal BlockBackend): a file in Node, read and written
 * with positioned I/O and made durable with fdatasync on FLUSH CACHE; and a memory
 * buffer (the browser, tests). Sector size 512; a file's size is rounded down to whole sectors.
 */
import { closeSync, fdatasyncSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import type { BlockBackend } from '../hal/index.js';

const SECTOR = 512;

export interface FileBlockBackend extends BlockBackend {
  close(): void;
}

/** A disk image file; `readOnly` opens it O_RDONLY and the drive refuses writes. */
export function openFileBackend(path: string, readOnly = false): FileBlockBackend {
  const fd = openSync(path, readOnly ? 'r' : 'r+');
  const sectorCount = Math.floor(fstatSync(fd).size / SECTOR);
  let open = true;
  return {
    sectorCount,
    readOnly,
    read(sector, into) {
      try {
        let done = 0;
        while (done < into.length) {
          const n = readSync(fd, into, done, into.length - done, sector * SECTOR + done);
          if (n <= 0) { into.fill(0, done); break; }
          done += n;
        }
        return true;
      } catch { return false; }
    },
    write(sector, from) {
      if (readOnly) return false;
      try {
        let done = 0;
        while (done < from.length) done += writeSync(fd, from, done, from.length - done, sector * SECTOR + done);
        return true;
      } catch { return false; }
    },
    flush() {
      try { fdatasyncSync(fd); return true; } catch { return false; }
    },
    close() {
      if (open) { open = false; closeSync(fd); }
    },
  };
}

/** A disk in memory (its bytes are the image). */
export function memoryBackend(bytes: Uint8Array, readOnly = false): BlockBackend & { readonly bytes: Uint8Array } {
  return {
    bytes,
    sectorCount: Math.floor(bytes.length / SECTOR),
    readOnly,
    read(sector, into) { into.set(bytes.subarray(sector * SECTOR, sector * SECTOR + into.length)); return true; },
    write(sector, from) { if (readOnly) return false; bytes.set(from, sector * SECTOR); return true; },
    flush() { return true; },
  };
}
