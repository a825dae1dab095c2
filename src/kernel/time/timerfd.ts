/**
 * timerfd (fs/timerfd.c): a file whose read returns the number of expirations
 * since the last read as a u64 (blocking while there are none, EAGAIN with
 * O_NONBLOCK) and which polls readable once the timer expired.
 */
import type { FileOps, IoContext, OpenFile } from '../fs/index.js';
import { Inode, POLLIN } from '../fs/index.js';
import { EAGAIN, EINVAL, WaitQueue } from '../lib/index.js';
import type { Kernel } from '../proc/index.js';
import { IntervalTimer } from './interval-timer.js';

const O_NONBLOCK = 0o4000;

export class TimerFd {
  readonly timer: IntervalTimer;
  /** Expirations since the last read. */
  ticks = 0;
  readonly queue = new WaitQueue();

  constructor(kernel: Kernel, clock: number) {
    this.timer = new IntervalTimer(kernel, clock, (count) => { this.ticks += count; this.queue.wakeAll(); });
  }
}

const timerFdOf = (file: { readonly inode: Inode }): TimerFd => file.inode.private_ as TimerFd;

export const timerFdFileOps: FileOps = {
  read(file: OpenFile, count: number, _position: number, io: IoContext): Uint8Array | number {
    if (count < 8) return -EINVAL;
    const timerFd = timerFdOf(file);
    if (timerFd.ticks === 0) return file.flags & O_NONBLOCK ? -EAGAIN : io.block(timerFd.queue);
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(timerFd.ticks), true);
    timerFd.ticks = 0;
    return bytes;
  },
  poll(file: { readonly inode: Inode }) {
    const timerFd = timerFdOf(file);
    return { events: timerFd.ticks > 0 ? POLLIN : 0, queue: timerFd.queue };
  },
  release(file: { readonly inode: Inode }) {
    timerFdOf(file).timer.cancel();
  },
};

/** An anonymous inode for a new timerfd (anon_inode:[timerfd], mode 0600 with no file type, as Linux's). */
export function createTimerFdInode(kernel: Kernel, clock: number): Inode {
  const superblock = kernel.pipeSuperblock;
  const inode = new Inode(superblock, superblock.nextIno++, 0o600, timerFdFileOps);
  inode.private_ = new TimerFd(kernel, clock);
  return inode;
}
