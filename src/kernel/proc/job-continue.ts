/**
 * The job-control side of sending a signal (kernel/signal.c prepare_signal), kept apart from
 * job-control.ts so signal.ts can call it without an import cycle: a stop signal discards a pending
 * SIGCONT; SIGCONT discards pending stop signals and resumes a stopped process, telling its parent.
 */
import type { Kernel } from './kernel-state.js';
import { SA_NOCLDSTOP, SIGCHLD, SIGCONT, SIGKILL, signalBit, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU } from './signal-state.js';
import type { Task } from './task.js';
import { TaskState } from './task.js';

export const STOP_SIGNALS = signalBit(SIGSTOP) | signalBit(SIGTSTP) | signalBit(SIGTTIN) | signalBit(SIGTTOU);

export type SendSignal = (kernel: Kernel, task: Task, signal: number) => void;

/** The thread-group leader holding the process's job-control state. */
export function leaderOf(kernel: Kernel, task: Task): Task {
  return kernel.tasks.get(task.tgid) ?? task;
}

/** Tells the parent of a process that it stopped or continued (do_notify_parent_cldstop). */
export function notifyParent(kernel: Kernel, leader: Task, send: SendSignal): void {
  const parent = leader.parent;
  if (!parent) return;
  const action = parent.signalHandlers.actions[SIGCHLD]!;
  if ((action.flags & SA_NOCLDSTOP) === 0) send(kernel, parent, SIGCHLD);
  for (const thread of kernel.threadGroup(parent.tgid)) thread.childEvents.wakeAll();
}

/** Resumes a stopped process (SIGCONT, or SIGKILL which must reach the threads to kill them). */
function resumeProcess(kernel: Kernel, leader: Task, report: boolean, send: SendSignal): void {
  let wasStopped = false;
  for (const thread of kernel.threadGroup(leader.tgid)) {
    if (thread.state !== TaskState.Stopped) continue;
    wasStopped = true;
    kernel.makeRunnable(thread);
  }
  if (!wasStopped || !report) return;
  leader.stopReport = 0;
  leader.continueReport = true;
  notifyParent(kernel, leader, send);
}

/** prepare_signal's job-control effects, before `signal` is queued on `task`. */
export function prepareJobControlSignal(kernel: Kernel, task: Task, signal: number, send: SendSignal): void {
  if ((STOP_SIGNALS & signalBit(signal)) !== 0n) {
    for (const thread of kernel.threadGroup(task.tgid)) thread.pending &= ~signalBit(SIGCONT);
  } else if (signal === SIGCONT) {
    for (const thread of kernel.threadGroup(task.tgid)) thread.pending &= ~STOP_SIGNALS;
    resumeProcess(kernel, leaderOf(kernel, task), true, send);
  } else if (signal === SIGKILL) {
    resumeProcess(kernel, leaderOf(kernel, task), false, send);
  }
}
