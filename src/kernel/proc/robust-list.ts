/**
 * Robust futex cleanup at exit (kernel/futex/core.c exit_robust_list,
 * Documentation/locking/robust-futexes.rst): the user-space list of futexes a
 * thread holds is walked, and each word still owned by the dying thread gets
 * FUTEX_OWNER_DIED with its waiters woken, so the next locker sees EOWNERDEAD.
 * struct robust_list_head (i386): { next, futex_offset, list_op_pending }.
 */
import { getUser32, putUser32 } from '../mm/index.js';
import type { Task } from './task.js';

const FUTEX_WAITERS = 0x80000000;
const FUTEX_OWNER_DIED = 0x40000000;
const FUTEX_TID_MASK = 0x3fffffff;
/** include/uapi/linux/futex.h ROBUST_LIST_LIMIT: a bound against circular lists. */
const ROBUST_LIST_LIMIT = 2048;

/** handle_futex_death: marks the word at `address` owner-died if `task` holds it; wakes one waiter when there are any. */
function futexDeath(task: Task, address: number, wake: (address: number) => void, pendingOp = false): boolean {
  const word = getUser32(task.mm, address);
  if (word === null) return false;
  // A lock released but not yet unlinked may have a waiter who missed the wake-up: wake one (HANDLE_DEATH_PENDING).
  if (pendingOp && word === 0) { wake(address); return true; }
  if ((word & FUTEX_TID_MASK) !== task.pid) return true;
  const marked = ((word & FUTEX_WAITERS) | FUTEX_OWNER_DIED) >>> 0;
  if (putUser32(task.mm, address, marked) < 0) return false;
  if (word & FUTEX_WAITERS) wake(address);
  return true;
}

/** Walks `task`'s robust list (set_robust_list) as it exits; stops quietly at the first unreadable word, as Linux does. */
export function exitRobustList(task: Task, wake: (address: number) => void): void {
  const head = task.robustList;
  task.robustList = 0;
  if (head === 0) return;
  const first = getUser32(task.mm, head);
  const offset = getUser32(task.mm, head + 4);
  const pending = getUser32(task.mm, head + 8);
  if (first === null || offset === null || pending === null) return;
  const futexOffset = offset | 0;
  // Bit 0 of each pointer marks a PI futex; the entry address is the pointer without it.
  let entry = (first & ~1) >>> 0;
  const pendingEntry = (pending & ~1) >>> 0;
  for (let limit = ROBUST_LIST_LIMIT; entry !== head && limit > 0; limit--) {
    const next = getUser32(task.mm, entry);
    if (next === null) return;
    // The entry being locked or unlocked right now is handled after the walk (list_op_pending).
    if (entry !== pendingEntry && !futexDeath(task, (entry + futexOffset) >>> 0, wake)) return;
    entry = (next & ~1) >>> 0;
  }
  if (pendingEntry !== 0) futexDeath(task, (pendingEntry + futexOffset) >>> 0, wake, true);
}
