/**
 * A BlockDevice over a region of a host file (a partition of a disk image):
 * positioned reads and writes on a file descriptor, flush = fsync.
 */
import * as fs from 'node:fs';
import { type BlockDevice } from '../../kernel/fs/ext2/index.js';

const EIO = 5;

export class FileBlockDevice implements BlockDevice {
  constructor(private readonly fd: number, private readonly start: number, readonly byteLength: number) {}

  readBlock(block: number, into: Uint8Array): number {
    const offset = block * into.length;
    if (offset < 0 || offset + into.length > this.byteLength) return -EIO;
    let done = 0;
    while (done < into.length) {
      const count = fs.readSync(this.fd, into, done, into.length - done, this.start + offset + done);
      if (count === 0) { into.fill(0, done); break; }
      done += count;
    }
    return 0;
  }

  writeBlock(block: number, data: Uint8Array): number {
    const offset = block * data.length;
    if (offset < 0 || offset + data.length > this.byteLength) return -EIO;
    let done = 0;
    while (done < data.length) done += fs.writeSync(this.fd, data, done, data.length - done, this.start + offset + done);
    return 0;
  }

  flush(): number {
    fs.fsyncSync(this.fd);
    return 0;
  }
}
