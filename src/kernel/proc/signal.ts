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

export function sendSignal(kernel: Kernel, task: Task, signal: number): void {
  if (signal <= 0 || signal > NSIG || task.state === TaskState.Zombie || task.state === TaskState.Dead) return;
  if (signal === SIGCONT || signal === SIGKILL || defaultAction(signal) === 'stop') prepareJobControlSignal(kernel, task, signal, sendSignal);
  const action = task.signalHandlers.actions[signal]!;
  const ignored = signal !== SIGKILL && signal !== SIGSTOP
    && (action.handler === SIG_IGN || (action.handler === SIG_DFL && defaultAction(signal) === 'ignore'));
  if (ignored && (task.blocked & signalBit(signal)) === 0n) return;
  task.pending |= signalBit(signal);
  if (signal === SIGCONT || (task.blocked & signalBit(signal)) === 0n || signal === SIGKILL || (task.waitedSignals & signalBit(signal)) !== 0n) {
    // Interrupts a sleeping syscall: it restarts after the signal is handled (SA_RESTART behaviour).
    if (task.state === TaskState.Sleeping) task.wake();
  }
}

/**
 * Sends `signal` with its siginfo (128 bytes, i386 layout): the handler's SA_SIGINFO argument and rt_sigtimedwait's
 * answer. A standard signal already pending keeps its first siginfo, as Linux's legacy_queue drops the second.
 */
export function sendSignalInfo(kernel: Kernel, task: Task, signal: number, info: Uint8Array): void {
  if (signal <= 0 || signal > NSIG || task.state === TaskState.Zombie || task.state === TaskState.Dead) return;
  if ((task.pending & signalBit(signal)) === 0n) task.signalInfo.set(signal, info);
  sendSignal(kernel, task, signal);
  // Not queued (ignored): no siginfo may outlive it.
  if ((task.pending & signalBit(signal)) === 0n) task.queuedSignalInfo?.delete(signal);
}

/** Takes the siginfo queued with a pending `signal` (null: the kernel sent it without one). */
export function takeSignalInfo(task: Task, signal: number): Uint8Array | null {
  const info = task.queuedSignalInfo?.get(signal);
  if (info === undefined) return null;
  task.queuedSignalInfo!.delete(signal);
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
