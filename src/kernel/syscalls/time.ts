/**
 * Time and randomness syscalls: clock_gettime(64), clock_getres, gettimeofday,
 * time, nanosleep and clock_nanosleep (sleeping on kernel timers), alarm,
 * ITIMER_REAL and the CPU-time ITIMER_VIRTUAL / ITIMER_PROF,
 * getrandom from the kernel's seeded generator.
 */
import { EFAULT, EINVAL } from '../lib/index.js';
import { copyFromUser, copyToUser } from '../mm/index.js';
import { sendSignal, SIGALRM } from '../proc/index.js';
import { getCpuItimer, ITIMER_PROF, ITIMER_VIRTUAL, setCpuItimer } from '../time/index.js';
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
  const { kernel, task } = context;
  // A restarted sleep keeps its first deadline (Linux's restart_block for nanosleep).
  const deadline = task.restarting && task.sleepDeadline !== null ? task.sleepDeadline : kernel.clock.monotonic() + nanoseconds;
  return kernel.sleepUntil(task, deadline);
}

/** Arms ITIMER_REAL for the process: SIGALRM at `deadline`, then every `interval` ns if non-zero. */
function armRealTimer(context: SyscallContext, deadline: number, interval: number): void {
  const { kernel } = context;
  const leader = kernel.tasks.get(context.task.tgid) ?? context.task;
  if (leader.realTimer) kernel.timers.cancel(leader.realTimer.id);
  leader.realTimer = null;
  if (deadline <= 0) return;
  const arm = (at: number): void => {
    const fire = (): void => {
      leader.realTimer = null;
      sendSignal(kernel, leader, SIGALRM);
      if (interval > 0) arm(at + interval);
    };
    leader.realTimer = { id: kernel.timers.add(at, fire), deadline: at, interval };
  };
  arm(deadline);
}

function remainingRealTimer(context: SyscallContext): { remaining: number; interval: number } {
  const leader = context.kernel.tasks.get(context.task.tgid) ?? context.task;
  const timer = leader.realTimer;
  if (!timer) return { remaining: 0, interval: 0 };
  return { remaining: Math.max(1000, timer.deadline - context.kernel.clock.monotonic()), interval: timer.interval };
}

const ITIMER_REAL = 0;
const toRemaining = (timer: { value: number; interval: number }): { remaining: number; interval: number } => ({ remaining: timer.value, interval: timer.interval });

function decodeTimeval(view: DataView, offset: number): number {
  return view.getInt32(offset, true) * 1e9 + view.getInt32(offset + 4, true) * 1000;
}

function encodeItimerval(interval: number, remaining: number): Uint8Array {
  const us = (ns: number): [number, number] => [Math.floor(ns / 1e9), Math.floor((ns % 1e9) / 1000)];
  return words32(...us(interval), ...us(remaining));
}

/** Implements setitimer(2): ITIMER_REAL on the monotonic clock, ITIMER_VIRTUAL and ITIMER_PROF on process CPU time. */
export function sysSetitimer(context: SyscallContext, which: number, address: number, oldAddress: number): number {
  if (which !== ITIMER_REAL && which !== ITIMER_VIRTUAL && which !== ITIMER_PROF) return -EINVAL;
  const leader = context.kernel.tasks.get(context.task.tgid) ?? context.task;
  const previous = which === ITIMER_REAL ? remainingRealTimer(context) : toRemaining(getCpuItimer(context.kernel, leader, which));
  if (oldAddress && copyToUser(context.task.mm, oldAddress, encodeItimerval(previous.interval, previous.remaining)) < 0) return -EFAULT;
  if (!address) return 0;
  const bytes = copyFromUser(context.task.mm, address, 16);
  if (typeof bytes === 'number') return -EFAULT;
  const view = new DataView(bytes.buffer);
  const interval = decodeTimeval(view, 0);
  const value = decodeTimeval(view, 8);
  // itimer.c: tv_usec outside [0, 10^6) is EINVAL.
  const microseconds = [view.getInt32(4, true), view.getInt32(12, true)];
  if (interval < 0 || value < 0 || microseconds.some((us) => us < 0 || us >= 1_000_000)) return -EINVAL;
  if (which !== ITIMER_REAL) { setCpuItimer(context.kernel, leader, which, value, interval); return 0; }
  armRealTimer(context, value > 0 ? context.kernel.clock.monotonic() + value : 0, interval);
  return 0;
}

/** Implements getitimer(2). */
export function sysGetitimer(context: SyscallContext, which: number, address: number): number {
  if (which !== ITIMER_REAL && which !== ITIMER_VIRTUAL && which !== ITIMER_PROF) return -EINVAL;
  const leader = context.kernel.tasks.get(context.task.tgid) ?? context.task;
  const current = which === ITIMER_REAL ? remainingRealTimer(context) : toRemaining(getCpuItimer(context.kernel, leader, which));
  return copyToUser(context.task.mm, address, encodeItimerval(current.interval, current.remaining));
}

/** Implements alarm(2): returns the seconds left on the previous alarm, rounded up. */
export function sysAlarm(context: SyscallContext, seconds: number): number {
  const previous = remainingRealTimer(context);
  armRealTimer(context, seconds > 0 ? context.kernel.clock.monotonic() + seconds * 1e9 : 0, 0);
  return Math.ceil(previous.remaining / 1e9);
}

/** Implements nanosleep(2): the task sleeps on a kernel timer. */
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
