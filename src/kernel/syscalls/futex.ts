/**
 * futex(2) and futex_time64 (kernel/futex): WAIT / WAKE and their BITSET forms, REQUEUE, CMP_REQUEUE and
 * WAKE_OP, with relative (WAIT) and absolute (WAIT_BITSET, CLOCK_MONOTONIC or FUTEX_CLOCK_REALTIME)
 * timeouts. Waiters are keyed by the physical address of the futex word, so shared and private futexes
 * both work. A waiter sleeps by the restart rule: a task woken by a wake gets 0 from its restarted wait,
 * as Linux returns from the original one; a timer wake past the deadline gets ETIMEDOUT.
 */
import { EAGAIN, EFAULT, EINVAL, ENOSYS, ERESTARTSYS, ETIMEDOUT } from '../lib/index.js';
import { copyFromUser, getUser32, putUser32 } from '../mm/index.js';
import type { Kernel, Task } from '../proc/index.js';
import type { SyscallContext } from './entry.js';

const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5, FUTEX_WAIT_BITSET = 9,
  FUTEX_WAKE_BITSET = 10;
const FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
const FUTEX_BITSET_MATCH_ANY = 0xffffffff;

function futexKey(task: Task, address: number): number {
  if (address % 4 !== 0) return -EINVAL;
  if (getUser32(task.mm, address) === null) return -EFAULT;
  return task.mm.translate(address, false);
}

/** A queued waiter still in its wait (not one that left it with EINTR or a result). */
const isWaiting = (waiter: Task, key: number): boolean => waiter.futexKey === key && waiter.restartPending;

/** Wakes up to `count` waiters on `key` whose bitset meets `bitset`; stale entries are dropped. */
function wakeKey(kernel: Kernel, key: number, count: number, bitset = FUTEX_BITSET_MATCH_ANY): number {
  const waiters = kernel.futexWaiters.get(key);
  if (!waiters) return 0;
  let woken = 0;
  for (const waiter of waiters) {
    if (woken >= count) break;
    if (!isWaiting(waiter, key)) { waiters.delete(waiter); continue; }
    if ((waiter.futexBitset & bitset) === 0) continue;
    waiters.delete(waiter);
    waiter.futexKey = -1;
    kernel.futexWoken.add(waiter);
    waiter.wake();
    woken++;
  }
  if (waiters.size === 0) kernel.futexWaiters.delete(key);
  return woken;
}

/** Wakes up to `count` waiters on the futex word at `address` of `task`'s address space. */
export function futexWake(kernel: Kernel, task: Task, address: number, count: number, bitset = FUTEX_BITSET_MATCH_ANY): number {
  const key = futexKey(task, address);
  return key < 0 ? key : wakeKey(kernel, key, count, bitset);
}

/** The timeout as a monotonic deadline in ns (null: none), or the errno of reading it. */
function readDeadline(context: SyscallContext, address: number, wide: boolean, absolute: boolean, realtime: boolean):
  { readonly deadline: number | null } | { readonly error: number } {
  if (address === 0) return { deadline: null };
  const bytes = copyFromUser(context.task.mm, address, wide ? 16 : 8);
  if (typeof bytes === 'number') return { error: -EFAULT };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  // time64 from a 32-bit task: the upper half of tv_nsec is ignored (kernel/time/time.c get_timespec64).
  const seconds = wide ? Number(view.getBigInt64(0, true)) : view.getInt32(0, true);
  const nanoseconds = view.getInt32(wide ? 8 : 4, true);
  if (seconds < 0 || nanoseconds < 0 || nanoseconds >= 1e9) return { error: -EINVAL };
  const value = seconds * 1e9 + nanoseconds;
  if (!absolute) return { deadline: context.kernel.clock.monotonic() + value };
  return { deadline: realtime ? value - context.kernel.clock.bootEpoch : value };
}

function wait(context: SyscallContext, address: number, value: number, deadline: number | null, bitset: number): number {
  const { kernel, task } = context;
  if (kernel.futexWoken.delete(task)) { task.futexKey = -1; return 0; }
  const key = futexKey(task, address);
  if (key < 0) return key;
  const current = getUser32(task.mm, address)!;
  if (current !== value >>> 0) { task.futexKey = -1; return -EAGAIN; }
  // The deadline survives restarts (a timer or signal wake re-runs the call).
  const until = task.restarting && task.sleepDeadline !== null ? task.sleepDeadline : deadline;
  if (until !== null && kernel.sleepUntil(task, until) === 0) {
    kernel.futexWaiters.get(key)?.delete(task);
    task.futexKey = -1;
    return -ETIMEDOUT;
  }
  let waiters = kernel.futexWaiters.get(key);
  if (!waiters) { waiters = new Set(); kernel.futexWaiters.set(key, waiters); }
  waiters.add(task);
  task.futexKey = key;
  task.futexBitset = bitset;
  return -ERESTARTSYS;
}

/** Wakes `count` on the first word and moves up to `requeue` more waiters to the second (futex_requeue). */
function requeue(context: SyscallContext, address: number, count: number, requeueCount: number, address2: number): number {
  const { kernel, task } = context;
  if ((requeueCount | 0) < 0 || (count | 0) < 0) return -EINVAL;
  const key = futexKey(task, address);
  if (key < 0) return key;
  const key2 = futexKey(task, address2);
  if (key2 < 0) return key2;
  let done = wakeKey(kernel, key, count);
  const waiters = kernel.futexWaiters.get(key);
  if (!waiters) return done;
  // Onto the same word (allowed except for PI futexes): the waiters stay where they are but count as requeued.
  if (key === key2) {
    for (const waiter of waiters) if (done < count + requeueCount && isWaiting(waiter, key)) done++;
    return done;
  }
  let target = kernel.futexWaiters.get(key2);
  for (const waiter of [...waiters]) {
    if (done >= count + requeueCount) break;
    waiters.delete(waiter);
    if (!isWaiting(waiter, key)) continue;
    if (!target) { target = new Set(); kernel.futexWaiters.set(key2, target); }
    target.add(waiter);
    waiter.futexKey = key2;
    done++;
  }
  if (waiters.size === 0) kernel.futexWaiters.delete(key);
  return done;
}

/** FUTEX_WAKE_OP's encoded operation (include/uapi/linux/futex.h FUTEX_OP): old value -> new value, and the comparison. */
function wakeOp(context: SyscallContext, address: number, count: number, count2: number, address2: number, encoded: number): number {
  const { kernel, task } = context;
  let op = (encoded >>> 28) & 7;
  const shift = (encoded >>> 28) & 8;
  const cmp = (encoded >>> 24) & 15;
  let oparg = (encoded << 8) >> 20;
  const cmparg = (encoded << 20) >> 20;
  // FUTEX_OP_OPARG_SHIFT: the argument is a bit number (out-of-range ones are masked, as Linux does).
  if (shift) oparg = 1 << (oparg & 31);
  const key = futexKey(task, address);
  if (key < 0) return key;
  const old = getUser32(task.mm, address2);
  if (old === null) return -EFAULT;
  let next: number;
  switch (op) {
    case 0: next = oparg; break;
    case 1: next = old + oparg; break;
    case 2: next = old | oparg; break;
    case 3: next = old & ~oparg; break;
    case 4: next = old ^ oparg; break;
    default: op = -1; next = 0;
  }
  if (op < 0) return -ENOSYS;
  let matches: boolean;
  const signedOld = old | 0;
  switch (cmp) {
    case 0: matches = signedOld === cmparg; break;
    case 1: matches = signedOld !== cmparg; break;
    case 2: matches = signedOld < cmparg; break;
    case 3: matches = signedOld <= cmparg; break;
    case 4: matches = signedOld > cmparg; break;
    case 5: matches = signedOld >= cmparg; break;
    default: return -ENOSYS;
  }
  if (putUser32(task.mm, address2, next >>> 0) < 0) return -EFAULT;
  let woken = wakeKey(kernel, key, count);
  if (matches) {
    const key2 = futexKey(task, address2);
    if (key2 >= 0) woken += wakeKey(kernel, key2, count2);
  }
  return woken;
}

function futex(context: SyscallContext, address: number, op: number, value: number, timeout: number, address2: number, value3: number, wide: boolean): number {
  const command = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  // kernel/futex/syscalls.c: FUTEX_CLOCK_REALTIME only with the commands that take an absolute time.
  if ((op & FUTEX_CLOCK_REALTIME) !== 0 && command !== FUTEX_WAIT_BITSET) return -ENOSYS;
  switch (command) {
    case FUTEX_WAIT: case FUTEX_WAIT_BITSET: {
      const bitset = command === FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : value3 >>> 0;
      if (bitset === 0) return -EINVAL;
      const timing = readDeadline(context, timeout, wide, command === FUTEX_WAIT_BITSET, (op & FUTEX_CLOCK_REALTIME) !== 0);
      if ('error' in timing) return timing.error;
      return wait(context, address, value, timing.deadline, bitset);
    }
    case FUTEX_WAKE: case FUTEX_WAKE_BITSET: {
      const bitset = command === FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY : value3 >>> 0;
      if (bitset === 0) return -EINVAL;
      return futexWake(context.kernel, context.task, address, value, bitset);
    }
    case FUTEX_REQUEUE: return requeue(context, address, value, timeout, address2);
    case FUTEX_CMP_REQUEUE: {
      if (getUser32(context.task.mm, address) === null) return -EFAULT;
      if (getUser32(context.task.mm, address) !== value3 >>> 0) return -EAGAIN;
      return requeue(context, address, value, timeout, address2);
    }
    case FUTEX_WAKE_OP: return wakeOp(context, address, value, timeout, address2, value3);
    default: return -ENOSYS;
  }
}

/** Implements futex(2) with a 32-bit timespec (partial: no PI futexes). */
export const sysFutex = (c: SyscallContext, address: number, op: number, value: number, timeout: number, address2: number, value3: number): number =>
  futex(c, address, op, value, timeout, address2, value3, false);
/** Implements futex_time64(2). */
export const sysFutexTime64 = (c: SyscallContext, address: number, op: number, value: number, timeout: number, address2: number, value3: number): number =>
  futex(c, address, op, value, timeout, address2, value3, true);
