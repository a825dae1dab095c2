/**
 * timerfd_create, timerfd_settime(64) and timerfd_gettime(64) (fs/timerfd.c):
 * a timer delivered through a file descriptor (kernel/time/timerfd.ts).
 */
import { OpenFile as File } from '../fs/index.js';
import { EBADF, EINVAL } from '../lib/index.js';
import { createTimerFdInode, timerClockValid, TimerFd, timerFdFileOps } from '../time/index.js';
import type { SyscallContext } from './entry.js';
import { readItimerspec, writeItimerspec } from './itimerspec.js';

const TFD_NONBLOCK = 0o4000, TFD_CLOEXEC = 0o2000000;
const TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;
const O_RDWR = 2;

/** Implements timerfd_create(2). */
export function sysTimerfdCreate(context: SyscallContext, clock: number, flags: number): number {
  if (flags & ~(TFD_NONBLOCK | TFD_CLOEXEC) || !timerClockValid(clock)) return -EINVAL;
  const inode = createTimerFdInode(context.kernel, clock);
  const file = new File(inode, O_RDWR | (flags & TFD_NONBLOCK), 'anon_inode:[timerfd]', timerFdFileOps);
  return context.task.files.install(file, (flags & TFD_CLOEXEC) !== 0);
}

function timerFdOf(context: SyscallContext, fd: number): TimerFd | number {
  const file = context.task.files.get(fd);
  if (!file) return -EBADF;
  if (file.ops !== timerFdFileOps) return -EINVAL;
  return file.inode.private_ as TimerFd;
}

function settime(context: SyscallContext, fd: number, flags: number, address: number, oldAddress: number, wide: boolean): number {
  const timerFd = timerFdOf(context, fd);
  if (typeof timerFd === 'number') return timerFd;
  if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) return -EINVAL;
  const spec = readItimerspec(context, address, wide);
  if (typeof spec === 'number') return spec;
  if (oldAddress) {
    const written = writeItimerspec(context, oldAddress, { interval: timerFd.timer.interval, value: timerFd.timer.remaining() }, wide);
    if (written < 0) return written;
  }
  timerFd.ticks = 0;
  timerFd.timer.set(spec.value, spec.interval, (flags & TFD_TIMER_ABSTIME) !== 0);
  return 0;
}

function gettime(context: SyscallContext, fd: number, address: number, wide: boolean): number {
  const timerFd = timerFdOf(context, fd);
  if (typeof timerFd === 'number') return timerFd;
  return writeItimerspec(context, address, { interval: timerFd.timer.interval, value: timerFd.timer.remaining() }, wide);
}

/** Implements timerfd_settime(2). */
export const sysTimerfdSettime = (c: SyscallContext, fd: number, flags: number, address: number, old: number): number => settime(c, fd, flags, address, old, false);
/** Implements timerfd_settime64 (time64 itimerspec). */
export const sysTimerfdSettime64 = (c: SyscallContext, fd: number, flags: number, address: number, old: number): number => settime(c, fd, flags, address, old, true);
/** Implements timerfd_gettime(2). */
export const sysTimerfdGettime = (c: SyscallContext, fd: number, address: number): number => gettime(c, fd, address, false);
/** Implements timerfd_gettime64. */
export const sysTimerfdGettime64 = (c: SyscallContext, fd: number, address: number): number => gettime(c, fd, address, true);
