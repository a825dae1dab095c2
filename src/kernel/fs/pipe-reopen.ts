/**
 * Opening a pipe by name (fs/pipe.c fifo_open, for the pipefs inodes /proc/PID/fd/N reaches):
 * the new open file is a read end, a write end or both by its access mode, and counts as a
 * reader and/or writer of the pipe until released. Interface: pipeOpenOps(inode, flags) → the
 * FileOps of the new end (the counts are taken), or null when the inode is not a pipe.
 */
import { O_ACCMODE, O_RDONLY, O_WRONLY } from './file.js';
import type { FileOps, Inode } from './inode.js';
import { Pipe, pipeReadOps, pipeWriteOps } from './pipe.js';

/** Both ends in one open file (O_RDWR): never blocks on a missing partner, as Linux's fifo_open. */
const pipeReadWriteOps: FileOps = {
  read: pipeReadOps.read,
  write: pipeWriteOps.write,
  poll(file) {
    const read = pipeReadOps.poll!(file);
    const write = pipeWriteOps.poll!(file);
    return { events: read.events | write.events, queue: read.queue };
  },
  release(file) {
    pipeReadOps.release!(file);
    pipeWriteOps.release!(file);
  },
};

export function pipeOpenOps(inode: Inode, flags: number): FileOps | null {
  const pipe = inode.private_;
  if (!(pipe instanceof Pipe)) return null;
  const access = flags & O_ACCMODE;
  if (access !== O_WRONLY) pipe.readers++;
  if (access !== O_RDONLY) pipe.writers++;
  pipe.queue.wakeAll();
  return access === O_RDONLY ? pipeReadOps : access === O_WRONLY ? pipeWriteOps : pipeReadWriteOps;
}
