/**
 * futex(2) (kernel/futex): FUTEX_WAIT / WAKE and their BITSET forms, keyed by
 * the physical address of the futex word so shared and private futexes both
 * work. A waiter sleeps by the restart rule; a task woken by FUTEX_WAKE gets 0
 * from its restarted wait, as Linux returns from the original one.
 */
import { EAGAIN, EFAULT, EINVAL, ENOSYS, ERESTARTSYS, ETIMEDOUT } from '../lib/index.js';
import { getUser32 } from '../mm/index.js';
import type { Kernel, Task } from '../proc/index.js';
import type { SyscallContext } from './entry.js';

const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
const FUTEX_CMD_MASK = ~(128 | 256);

function futexKey(task: Task, address: number): number {
  if (address % 4 !== 0) return -EINVAL;
  if (getUser32(task.mm, address) === null) return -EFAULT;
  return task.mm.translate(address, false);
}

/** Wakes up to `count` waiters on the futex word at `address` of `task`'s address space. */
export function futexWake(kernel: Kernel, task: Task, address: number, count: number): number {
  const key = futexKey(task, address);
  if (key < 0) return key;
  const waiters = kernel.futexWaiters.get(key);
  if (!waiters) return 0;
  let woken = 0;
  for (const waiter of [...waiters]) {
    if (woken >= count) break;
    waiters.delete(waiter);
    kernel.futexWoken.add(waiter);
    waiter.wake();
    woken++;
  }
  if (waiters.size === 0) kernel.futexWaiters.delete(key);
  return woken;
}

/** Implements futex(2) (partial: no PI, no WAKE_OP; timeouts expire at once when nothing wakes the waiter). */
export function sysFutex(context: SyscallContext, address: number, op: number, value: number, timeout: number, address2: number, value3: number): number {
  const { kernel, task } = context;
  switch (op & FUTEX_CMD_MASK) {
    case FUTEX_WAIT: case FUTEX_WAIT_BITSET: {
      if (kernel.futexWoken.delete(task)) return 0;
      const current = getUser32(task.mm, address);
      if (current === null) return -EFAULT;
      if (current !== value >>> 0) return -EAGAIN;
      if (timeout !== 0 && runnableOthers(kernel, task) === 0) return -ETIMEDOUT;
      const key = futexKey(task, address);
      if (key < 0) return key;
      let waiters = kernel.futexWaiters.get(key);
      if (!waiters) { waiters = new Set(); kernel.futexWaiters.set(key, waiters); }
      waiters.add(task);
      return -ERESTARTSYS;
    }
    case FUTEX_WAKE: case FUTEX_WAKE_BITSET:
      return futexWake(kernel, task, address, value);
    case FUTEX_REQUEUE: case FUTEX_CMP_REQUEUE: {
      if ((op & FUTEX_CMD_MASK) === FUTEX_CMP_REQUEUE && getUser32(task.mm, address) !== value3 >>> 0) return -EAGAIN;
      // Waking everyone is a correct (if slower) requeue: woken waiters re-check and wait again.
      void address2;
      return futexWake(kernel, task, address, 0x7fffffff);
    }
    default: return -ENOSYS;
  }
}

function runnableOthers(kernel: Kernel, task: Task): number {
  let count = 0;
  for (const other of kernel.tasks.values()) if (other !== task && other.state === 0) count++;
  return count;
}
