/**
 * Console backends over the host's stdin, stdout and stderr (Node fs, blocking
 * reads): what `ir0 run` connects pid 1's stdio to.
 */
import * as fs from 'node:fs';
import * as tty from 'node:tty';
import type { ConsoleBackend } from '../kernel/index.js';

const sleep = (ms: number): void => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); };

export function hostConsole(fd: number): ConsoleBackend {
  return {
    isTerminal: tty.isatty(fd),
    windowSize: () => {
      const stream = fd === 0 ? process.stdout : fd === 1 ? process.stdout : process.stderr;
      return { rows: stream.rows ?? 24, columns: stream.columns ?? 80 };
    },
    write(data) {
      for (let done = 0; done < data.length;) {
        try {
          done += fs.writeSync(fd === 0 ? 1 : fd, data, done, data.length - done);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EAGAIN') { sleep(1); continue; }
          // EPIPE, EBADF...: the host stream is gone or not writable; the guest's bytes are dropped, as to a hung-up tty.
          return;
        }
      }
    },
    read(max) {
      const buffer = new Uint8Array(Math.min(max, 65536));
      for (;;) {
        try {
          const n = fs.readSync(fd, buffer, 0, buffer.length, null);
          return buffer.subarray(0, n);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') { sleep(5); continue; }
          // EOF, EBADF (a write-only host stream), EIO...: the guest sees end of input.
          return new Uint8Array(0);
        }
      }
    },
  };
}
