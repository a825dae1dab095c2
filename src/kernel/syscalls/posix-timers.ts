/**
 * POSIX timers: timer_create, timer_settime(64), timer_gettime(64),
 * timer_getoverrun and timer_delete (kernel/time/posix-timers.c), on the
 * thread group's timer table (kernel/time/posix-timers.ts). struct sigevent
 * (i386): sigev_value at 0, sigev_signo at 4, sigev_notify at 8, the thread
 * id at 12.
 */
import { EFAULT, EINVAL, EAGAIN } from '../lib/index.js';
import { copyFromUser, copyToUser } from '../mm/index.js';
import { NSIG } from '../proc/index.js';
import type { Task } from '../proc/index.js';
import type { PosixTimer, SigEvent } from '../time/index.js';
import { createPosixTimer, deletePosixTimer, SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD_ID, timerClockValid, timersOf } from '../time/index.js';
import type { SyscallContext } from './entry.js';
import { readItimerspec, writeItimerspec } from './itimerspec.js';
import { words32 } from './user-strings.js';

const TIMER_ABSTIME = 1;

const leaderOf = (context: SyscallContext): Task => context.kernel.tasks.get(context.task.tgid) ?? context.task;

/** Implements timer_create(2). A null sigevent means SIGEV_SIGNAL with SIGALRM and the timer id as value. */
export function sysTimerCreate(context: SyscallContext, clock: number, eventAddress: number, idAddress: number): number {
  if (!timerClockValid(clock)) return -EINVAL;
  let event: SigEvent | null = null;
  if (eventAddress) {
    const bytes = copyFromUser(context.task.mm, eventAddress, 16);
    if (typeof bytes === 'number') return -EFAULT;
    const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
    const notify = view.getInt32(8, true);
    const signal = view.getInt32(4, true);
    let thread: Task | null = null;
    // good_sigevent: SIGEV_THREAD_ID names a thread of the caller's group; a signal must be valid unless SIGEV_NONE.
    if (notify === SIGEV_THREAD_ID || notify === (SIGEV_THREAD_ID | SIGEV_SIGNAL)) {
      const target = context.kernel.tasks.get(view.getInt32(12, true));
      if (!target || target.tgid !== context.task.tgid) return -EINVAL;
      thread = target;
    } else if (notify !== SIGEV_SIGNAL && notify !== SIGEV_NONE) {
      return -EINVAL;
    }
    if (notify !== SIGEV_NONE && (signal <= 0 || signal > NSIG)) return -EINVAL;
    event = { notify, signal, value: view.getInt32(0, true), thread };
  }
  const leader = leaderOf(context);
  const timer = createPosixTimer(context.kernel, leader, clock, event);
  if (!timer) return -EAGAIN;
  if (copyToUser(context.task.mm, idAddress, words32(timer.id)) < 0) {
    deletePosixTimer(leader, timer.id);
    return -EFAULT;
  }
  return 0;
}

function timerOf(context: SyscallContext, id: number): PosixTimer | null {
  return timersOf(leaderOf(context)).get(id) ?? null;
}

function settime(context: SyscallContext, id: number, flags: number, address: number, oldAddress: number, wide: boolean): number {
  const timer = timerOf(context, id);
  if (!timer) return -EINVAL;
  const spec = readItimerspec(context, address, wide);
  if (typeof spec === 'number') return spec;
  if (oldAddress) {
    const written = writeItimerspec(context, oldAddress, { interval: timer.timer.interval, value: timer.timer.remaining() }, wide);
    if (written < 0) return written;
  }
  timer.timer.set(spec.value, spec.interval, (flags & TIMER_ABSTIME) !== 0);
  return 0;
}

function gettime(context: SyscallContext, id: number, address: number, wide: boolean): number {
  const timer = timerOf(context, id);
  if (!timer) return -EINVAL;
  return writeItimerspec(context, address, { interval: timer.timer.interval, value: timer.timer.remaining() }, wide);
}

/** Implements timer_settime(2). */
export const sysTimerSettime = (c: SyscallContext, id: number, flags: number, address: number, old: number): number => settime(c, id, flags, address, old, false);
/** Implements timer_settime64. */
export const sysTimerSettime64 = (c: SyscallContext, id: number, flags: number, address: number, old: number): number => settime(c, id, flags, address, old, true);
/** Implements timer_gettime(2). */
export const sysTimerGettime = (c: SyscallContext, id: number, address: number): number => gettime(c, id, address, false);
/** Implements timer_gettime64. */
export const sysTimerGettime64 = (c: SyscallContext, id: number, address: number): number => gettime(c, id, address, true);

/** Implements timer_getoverrun(2): the overrun of the last signal delivered. */
export function sysTimerGetoverrun(context: SyscallContext, id: number): number {
  const timer = timerOf(context, id);
  return timer ? timer.overrunLast : -EINVAL;
}

/** Implements timer_delete(2). */
export function sysTimerDelete(context: SyscallContext, id: number): number {
  return deletePosixTimer(leaderOf(context), id) ? 0 : -EINVAL;
}
