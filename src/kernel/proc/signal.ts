/**
 * Sending and delivering signals (kernel/signal.c). Sending sets a pending
 * bit and wakes the task; delivery happens on the way back to user mode:
 * default actions (terminate, core, ignore) act here; caught signals get a
 * frame from the arch layer through the `frames` hook.
 */
import type { Kernel } from './kernel-state.js';
import { prepareJobControlSignal } from './job-continue.js';
import { defaultAction, NSIG, SIG_DFL, SIG_IGN, SIGKILL, signalBit, SIGCONT, SIGSTOP, UNBLOCKABLE } from './signal-state.js';
import type { SigAction } from './signal-state.js';
import type { Task } from './task.js';
import { TaskState } from './task.js';

/** The first real-time signal (SIGRTMIN as the kernel numbers it): these queue one instance per send. */
export const SIGRTMIN_KERNEL = 32;
/** How many real-time signals may wait in one task's queues (Linux's RLIMIT_SIGPENDING; further sends are dropped). */
export const QUEUED_SIGNALS_MAX = 4096;

export function sendSignal(kernel: Kernel, task: Task, signal: number): void {
  post(kernel, task, signal, null);
}

/**
 * Sends `signal` with its siginfo (128 bytes, i386 layout): the handler's SA_SIGINFO argument and rt_sigtimedwait's
 * answer. A standard signal already pending keeps its first siginfo, as Linux's legacy_queue drops the second; a
 * real-time signal queues every instance (kernel/signal.c __send_signal).
 */
export function sendSignalInfo(kernel: Kernel, task: Task, signal: number, info: Uint8Array): void {
  post(kernel, task, signal, info);
}

function post(kernel: Kernel, task: Task, signal: number, info: Uint8Array | null): void {
  if (signal <= 0 || signal > NSIG || task.state === TaskState.Zombie || task.state === TaskState.Dead) return;
  if (signal === SIGCONT || signal === SIGKILL || defaultAction(signal) === 'stop') prepareJobControlSignal(kernel, task, signal, sendSignal);
  const action = task.signalHandlers.actions[signal]!;
  const ignored = signal !== SIGKILL && signal !== SIGSTOP
    && (action.handler === SIG_IGN || (action.handler === SIG_DFL && defaultAction(signal) === 'ignore'));
  if (ignored && (task.blocked & signalBit(signal)) === 0n) return;
  const pending = (task.pending & signalBit(signal)) !== 0n;
  if (signal >= SIGRTMIN_KERNEL) {
    const queues = task.queuedSignalInfo ??= new Map();
    const queue = queues.get(signal);
    if (!queue) queues.set(signal, [info]);
    else if (queuedCount(task) < QUEUED_SIGNALS_MAX) queue.push(info);
  } else if (!pending) {
    if (info) (task.queuedSignalInfo ??= new Map()).set(signal, [info]);
    else task.queuedSignalInfo?.delete(signal);
  }
  task.pending |= signalBit(signal);
  if (signal === SIGCONT || (task.blocked & signalBit(signal)) === 0n || signal === SIGKILL || (task.waitedSignals & signalBit(signal)) !== 0n) {
    // Interrupts a sleeping syscall: it restarts after the signal is handled (SA_RESTART behaviour).
    if (task.state === TaskState.Sleeping && !task.uninterruptible) task.wake();
  }
}

/** Signal instances waiting in a task's queues. */
function queuedCount(task: Task): number {
  let count = 0;
  for (const queue of task.queuedSignalInfo?.values() ?? []) count += queue.length;
  return count;
}

/** Whether `info` is still queued with a pending `signal` (a POSIX timer counts overruns while it is). */
export function signalInfoQueued(task: Task, signal: number, info: Uint8Array): boolean {
  return task.queuedSignalInfo?.get(signal)?.includes(info) ?? false;
}

/**
 * Takes the first instance of a pending `signal` off its queue, the caller having cleared its pending bit; returns
 * its siginfo (null: the kernel sent it without one). A real-time signal with more instances queued stays pending.
 */
export function takeSignalInfo(task: Task, signal: number): Uint8Array | null {
  const queue = task.queuedSignalInfo?.get(signal);
  if (!queue) return null;
  const info = queue.shift() ?? null;
  if (queue.length === 0) task.queuedSignalInfo!.delete(signal);
  else task.pending |= signalBit(signal);
  return info;
}

/** The lowest pending, unblocked signal, or 0. */
export function nextSignal(task: Task): number {
  if (task.pending === 0n) return 0;
  const deliverable = task.pending & ~(task.blocked & ~UNBLOCKABLE);
  if (deliverable === 0n) return 0;
  for (let signal = 1; signal <= NSIG; signal++) if (deliverable & signalBit(signal)) return signal;
  return 0;
}

/** What delivery decided for one signal. */
export type Delivery =
  | { kind: 'none' }
  | { kind: 'kill'; signal: number; core: boolean }
  | { kind: 'stop'; signal: number }
  | { kind: 'handle'; signal: number; action: SigAction };

/** Dequeues the next deliverable signal and decides its fate (get_signal). */
const NO_DELIVERY: Delivery = { kind: 'none' };

export function dequeueSignal(task: Task): Delivery {
  for (;;) {
    const signal = nextSignal(task);
    if (!signal) return NO_DELIVERY;
    task.pending &= ~signalBit(signal);
    task.deliveringInfo = takeSignalInfo(task, signal);
    const action = task.signalHandlers.actions[signal]!;
    if (signal === SIGKILL) return { kind: 'kill', signal, core: false };
    if (action.handler === SIG_IGN) continue;
    if (action.handler !== SIG_DFL) return { kind: 'handle', signal, action };
    const effect = defaultAction(signal);
    if (effect === 'terminate' || effect === 'core') return { kind: 'kill', signal, core: effect === 'core' };
    if (effect === 'stop') return { kind: 'stop', signal };
    // 'continue': SIGCONT already resumed the process when it was sent (prepare_signal); 'ignore': nothing.
  }
}
