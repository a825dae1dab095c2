/**
 * Time and randomness syscalls: clock_gettime(64), clock_getres, gettimeofday,
 * time, nanosleep and clock_nanosleep (which advance the virtual clock: a
 * sleeping machine has nothing else to do when no other task is runnable),
 * getrandom from the kernel's seeded generator.
 */
import { EFAULT, EINVAL } from '../lib/index.js';
import { copyFromUser, copyToUser } from '../mm/index.js';
import type { SyscallContext } from './entry.js';
import { words32 } from './user-strings.js';

const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3,
  CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7;

function clockNow(context: SyscallContext, clock: number): number {
  const { kernel, task } = context;
  switch (clock) {
    case CLOCK_REALTIME: case CLOCK_REALTIME_COARSE: return kernel.realtime();
    case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_MONOTONIC_COARSE: case CLOCK_BOOTTIME: return kernel.clock.monotonic();
    case CLOCK_PROCESS_CPUTIME_ID: case CLOCK_THREAD_CPUTIME_ID: return task.userTime + task.systemTime;
    default: return -1;
  }
}

/** Implements clock_gettime(2): struct timespec of two 32-bit words. */
export function sysClockGettime(context: SyscallContext, clock: number, address: number): number {
  const now = clockNow(context, clock);
  if (now < 0) return -EINVAL;
  return copyToUser(context.task.mm, address, words32(Math.floor(now / 1e9), now % 1e9));
}

/** Implements clock_gettime64(2): struct __kernel_timespec, 64-bit seconds and nanoseconds. */
export function sysClockGettime64(context: SyscallContext, clock: number, address: number): number {
  const now = clockNow(context, clock);
  if (now < 0) return -EINVAL;
  const seconds = Math.floor(now / 1e9);
  return copyToUser(context.task.mm, address, words32(seconds % 0x100000000, Math.floor(seconds / 0x100000000), now % 1e9, 0));
}

/** Implements clock_getres(2) and clock_getres_time64: 1 ns resolution. */
export function sysClockGetres(context: SyscallContext, clock: number, address: number): number {
  if (clockNow(context, clock) < 0) return -EINVAL;
  return address ? copyToUser(context.task.mm, address, words32(0, 1)) : 0;
}

export function sysClockGetres64(context: SyscallContext, clock: number, address: number): number {
  if (clockNow(context, clock) < 0) return -EINVAL;
  return address ? copyToUser(context.task.mm, address, words32(0, 0, 1, 0)) : 0;
}

/** Implements gettimeofday(2). */
export function sysGettimeofday(context: SyscallContext, address: number, zone: number): number {
  const now = context.kernel.realtime();
  if (address && copyToUser(context.task.mm, address, words32(Math.floor(now / 1e9), Math.floor((now % 1e9) / 1000))) < 0) return -EFAULT;
  if (zone && copyToUser(context.task.mm, zone, words32(0, 0)) < 0) return -EFAULT;
  return 0;
}

/** Implements time(2). */
export function sysTime(context: SyscallContext, address: number): number {
  const seconds = Math.floor(context.kernel.realtime() / 1e9);
  if (address && copyToUser(context.task.mm, address, words32(seconds)) < 0) return -EFAULT;
  return seconds;
}

function sleepFor(context: SyscallContext, nanoseconds: number): number {
  if (nanoseconds < 0 || nanoseconds >= 1e9 * 0x7fffffff) return -EINVAL;
  context.kernel.advanceClock(nanoseconds);
  return 0;
}

/** Implements nanosleep(2) (partial: the virtual clock jumps forward; other tasks do not run meanwhile). */
export function sysNanosleep(context: SyscallContext, address: number): number {
  const bytes = copyFromUser(context.task.mm, address, 8);
  if (typeof bytes === 'number') return -EFAULT;
  const view = new DataView(bytes.buffer);
  const nanoseconds = view.getUint32(4, true);
  if (nanoseconds >= 1e9) return -EINVAL;
  return sleepFor(context, view.getInt32(0, true) * 1e9 + nanoseconds);
}

/** Implements clock_nanosleep(2) and its time64 form (relative sleeps; TIMER_ABSTIME sleeps until the time). */
export function clockNanosleep(context: SyscallContext, clock: number, flags: number, address: number, wide: boolean): number {
  const bytes = copyFromUser(context.task.mm, address, wide ? 16 : 8);
  if (typeof bytes === 'number') return -EFAULT;
  const view = new DataView(bytes.buffer);
  const seconds = wide ? view.getUint32(0, true) + view.getInt32(4, true) * 0x100000000 : view.getInt32(0, true);
  const nanoseconds = view.getUint32(wide ? 8 : 4, true);
  if (nanoseconds >= 1e9) return -EINVAL;
  const now = clockNow(context, clock);
  if (now < 0) return -EINVAL;
  const target = seconds * 1e9 + nanoseconds;
  return sleepFor(context, flags & 1 ? Math.max(0, target - now) : target);
}

export const sysClockNanosleep = (c: SyscallContext, clock: number, flags: number, address: number): number => clockNanosleep(c, clock, flags, address, false);
export const sysClockNanosleep64 = (c: SyscallContext, clock: number, flags: number, address: number): number => clockNanosleep(c, clock, flags, address, true);

/** Implements getrandom(2). */
export function sysGetrandom(context: SyscallContext, address: number, length: number, flags: number): number {
  if (flags & ~7) return -EINVAL;
  const bytes = new Uint8Array(Math.min(length, 1 << 20));
  context.kernel.random.fill(bytes);
  return copyToUser(context.task.mm, address, bytes) < 0 ? -EFAULT : bytes.length;
}
