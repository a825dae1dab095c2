/**
 * ITIMER_VIRTUAL and ITIMER_PROF (kernel/time/itimer.c, posix-cpu-timers.c):
 * per-process interval timers on the thread group's CPU time — user time for
 * ITIMER_VIRTUAL (SIGVTALRM), user + system for ITIMER_PROF (SIGPROF). They are
 * checked at each scheduler tick against the running task's charged time, as
 * Linux's run_posix_cpu_timers does from the tick; expiry re-arms from the
 * previous deadline so the period does not drift.
 */
import type { Kernel, Task } from '../proc/index.js';
import { sendSignal, SIGPROF, SIGVTALRM } from '../proc/index.js';
import { TICK_NS } from './hz.js';

export const ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;

interface CpuTimer {
  /** Process CPU time (ns) at which it expires; 0 when disarmed. */
  deadline: number;
  interval: number;
}

const tables = new WeakMap<Task, [CpuTimer, CpuTimer]>();

function timersOf(leader: Task): [CpuTimer, CpuTimer] {
  let pair = tables.get(leader);
  if (!pair) { pair = [{ deadline: 0, interval: 0 }, { deadline: 0, interval: 0 }]; tables.set(leader, pair); }
  return pair;
}

/** CPU time of the thread group in ns: user time alone (virtual) or user + system (prof). */
function groupTime(kernel: Kernel, leader: Task, which: number): number {
  let total = 0;
  for (const task of kernel.tasks.values()) {
    if (task.tgid !== leader.tgid) continue;
    total += task.userTime + (which === ITIMER_PROF ? task.systemTime : 0);
  }
  return total;
}

/** The timer's remaining value and interval, ns. */
export function getCpuItimer(kernel: Kernel, leader: Task, which: number): { value: number; interval: number } {
  const timer = timersOf(leader)[which - 1]!;
  if (timer.deadline === 0) return { value: 0, interval: timer.interval };
  return { value: Math.max(1000, timer.deadline - groupTime(kernel, leader, which)), interval: timer.interval };
}

export function setCpuItimer(kernel: Kernel, leader: Task, which: number, value: number, interval: number): void {
  const timer = timersOf(leader)[which - 1]!;
  timer.interval = interval;
  // kernel/time/itimer.c set_cpu_itimer: one tick more, so that the timer never expires early.
  timer.deadline = value > 0 ? groupTime(kernel, leader, which) + value + TICK_NS : 0;
}

/** From the tick: fires the running task's process CPU timers that have expired. */
export function checkCpuItimers(kernel: Kernel, task: Task): void {
  const leader = kernel.tasks.get(task.tgid) ?? task;
  const pair = tables.get(leader);
  if (!pair) return;
  for (const which of [ITIMER_VIRTUAL, ITIMER_PROF]) {
    const timer = pair[which - 1]!;
    if (timer.deadline === 0) continue;
    const now = groupTime(kernel, leader, which);
    if (now < timer.deadline) continue;
    if (timer.interval > 0) {
      timer.deadline += timer.interval * (1 + Math.floor((now - timer.deadline) / timer.interval));
    } else {
      timer.deadline = 0;
    }
    sendSignal(kernel, leader, which === ITIMER_VIRTUAL ? SIGVTALRM : SIGPROF);
  }
}
