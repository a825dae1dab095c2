/**
 * POSIX per-process timers (kernel/time/posix-timers.c): timer_create's
 * table per thread group, notification by SIGEV_SIGNAL (to the process),
 * SIGEV_THREAD_ID (to one thread) or SIGEV_NONE, a siginfo with SI_TIMER,
 * the timer id, the overrun and the sigval. While a timer's signal is still
 * pending (its siginfo still queued), further expirations only count as its
 * overrun (one queued signal per timer, as Linux's sigqueue preallocation).
 */
import type { Kernel, Task } from '../proc/index.js';
import { sendSignalInfo, SIGALRM, signalInfoQueued, TaskState } from '../proc/index.js';
import { IntervalTimer } from './interval-timer.js';

export const SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2, SIGEV_THREAD_ID = 4;
const SI_TIMER = -2;
/** Linux's per-process limit is RLIMIT_SIGPENDING; ir0 caps the table. */
const MAX_TIMERS = 4096;

export interface SigEvent {
  readonly notify: number;
  readonly signal: number;
  readonly value: number;
  /** Target thread for SIGEV_THREAD_ID. */
  readonly thread: Task | null;
}

export class PosixTimer {
  readonly timer: IntervalTimer;
  /** The siginfo of the last signal sent (its si_overrun grows while it is pending). */
  private queued: Uint8Array | null = null;
  /** The overrun of the last signal (timer_getoverrun): expirations it absorbed while pending. */
  overrunLast = 0;

  constructor(private readonly kernel: Kernel, readonly id: number, clock: number, readonly event: SigEvent, private readonly leader: Task) {
    this.timer = new IntervalTimer(kernel, clock, (count) => this.expired(count));
  }

  private expired(count: number): void {
    const target = this.event.thread ?? this.leader;
    if (this.leader.state === TaskState.Zombie || this.leader.state === TaskState.Dead) { this.timer.cancel(); return; }
    if (this.event.notify === SIGEV_NONE) return;
    const signal = this.event.signal;
    if (this.queued !== null && signalInfoQueued(target, signal, this.queued)) {
      // The last signal is still pending: the expirations become its overrun (Linux counts them at dequeue).
      this.overrunLast = Math.min(0x7fffffff, this.overrunLast + count);
      new DataView(this.queued.buffer).setInt32(16, this.overrunLast, true);
      return;
    }
    this.overrunLast = count - 1;
    const info = new Uint8Array(128);
    const view = new DataView(info.buffer);
    view.setInt32(0, signal, true);
    view.setInt32(8, SI_TIMER, true);
    view.setInt32(12, this.id, true); // si_tid: the kernel's timer id
    view.setInt32(16, this.overrunLast, true);
    view.setInt32(20, this.event.value, true); // si_value
    this.queued = info;
    sendSignalInfo(this.kernel, target, signal, info);
  }
}

/** The timers of each thread group, by leader. */
const tables = new WeakMap<Task, Map<number, PosixTimer>>();

export function timersOf(leader: Task): Map<number, PosixTimer> {
  let table = tables.get(leader);
  if (!table) { table = new Map(); tables.set(leader, table); }
  return table;
}

/** Creates a timer for the thread group of `leader`; returns it, or null when the table is full. */
/** A null `event` is timer_create's default: SIGEV_SIGNAL with SIGALRM and the timer id as the value. */
export function createPosixTimer(kernel: Kernel, leader: Task, clock: number, event: SigEvent | null): PosixTimer | null {
  const table = timersOf(leader);
  if (table.size >= MAX_TIMERS) return null;
  let id = 0;
  while (table.has(id)) id++;
  const timer = new PosixTimer(kernel, id, clock, event ?? { notify: SIGEV_SIGNAL, signal: SIGALRM, value: id, thread: null }, leader);
  table.set(id, timer);
  return timer;
}

export function deletePosixTimer(leader: Task, id: number): boolean {
  const table = timersOf(leader);
  const timer = table.get(id);
  if (!timer) return false;
  timer.timer.cancel();
  table.delete(id);
  return true;
}

/**
 * exec (fs/exec.c begin_new_exec -> exit_itimers): the new image starts with no POSIX
 * timers. (setitimer's ITIMER_REAL, by contrast, survives exec.)
 */
export function releasePosixTimers(leader: Task): void {
  const table = tables.get(leader);
  if (!table) return;
  for (const timer of table.values()) timer.timer.cancel();
  tables.delete(leader);
}
