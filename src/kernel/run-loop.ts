/**
 * The uniprocessor run loop (ARCHITECTURE.md "The run loop"): pick a task,
 * load it into the vcpu, run it for a time slice, and dispatch the exit —
 * syscall, exception (page faults through the mm, others become signals),
 * interrupt or spent budget (a scheduler tick) — then deliver pending signals
 * before the task returns to user mode. Returns pid 1's wait status.
 */
import { Exit, Flag, PageFaultError, Vector } from '../hal/index.js';
import { assertNever } from '../base/assert.js';
import { Fault } from './mm/index.js';
import type { Kernel, Task } from './proc/index.js';
import {
  dequeueSignal, exitTask, killGroup, stopProcess, release, killedStatus, sendSignal, SIGBUS, SIGFPE, SIGILL, SIGKILL, SIGSEGV, SIGTRAP, TaskState,
} from './proc/index.js';
import { dispatchSyscall, futexWake, restartSyscall } from './syscalls/index.js';

/** Instructions per vcpu.run: one scheduler tick (10 ms at the nominal 1 ns per instruction). */
export const TICK_INSTRUCTIONS = 10_000_000;

export interface RunOptions {
  /** Stop (and kill everything) after this many instructions. */
  readonly maxInstructions?: number;
}

const hooksFor = (kernel: Kernel) => ({ futexWake: (task: Task, address: number) => { futexWake(kernel, task, address, 1); } });

/** Maps a CPU exception to the signal Linux sends (arch/x86/kernel/traps.c). */
function exceptionSignal(vector: number): number {
  switch (vector) {
    case Vector.DE: case Vector.MF: case Vector.XM: return SIGFPE;
    case Vector.DB: case Vector.BP: return SIGTRAP;
    case Vector.UD: return SIGILL;
    case Vector.AC: return SIGBUS;
    case Vector.NM: return SIGFPE;
    default: return SIGSEGV;
  }
}

/** si_code of a fault signal (include/uapi/asm-generic/siginfo.h). */
function siCode(vector: number, errorCode: number): number {
  switch (vector) {
    case Vector.PF: return errorCode & PageFaultError.P ? 2 : 1; // SEGV_ACCERR : SEGV_MAPERR
    case Vector.DE: return 1; // FPE_INTDIV
    case Vector.UD: return 2; // ILL_ILLOPN
    case Vector.BP: case Vector.DB: return 1; // TRAP_BRKPT
    case Vector.AC: return 1; // BUS_ADRALN
    default: return 0x80; // SI_KERNEL
  }
}

/** si_code of SIGBUS for an access to a file page past the end of the file. */
const BUS_ADRERR = 2;

function handleException(kernel: Kernel, task: Task): void {
  const vcpu = kernel.vcpu;
  const vector = vcpu.exitVector;
  let busFault = false;
  if (vector === Vector.PF) {
    const fault = task.mm.handleFault(vcpu.cr2 >>> 0, (vcpu.exitErrorCode & PageFaultError.W) !== 0);
    if (fault === Fault.Handled) return;
    busFault = fault === Fault.BusError;
    if (fault === Fault.OutOfMemory) {
      // Memory pressure: drop clean cache pages (writing dirty ones back) and retry the fault before killing.
      if (kernel.vfs.reclaim(64) > 0) return;
      // The OOM killer's simplest policy: the faulting task dies, the kernel lives.
      kernel.log.error(`out of memory: killed ${task.comm}[${task.pid}] at ${(vcpu.cr2 >>> 0).toString(16)}`);
      killGroup(kernel, task, SIGKILL, false, hooksFor(kernel));
      return;
    }
    kernel.log.info(`${task.comm}[${task.pid}]: segfault at ${(vcpu.cr2 >>> 0).toString(16)} ip ${(vcpu.eip >>> 0).toString(16)} error ${vcpu.exitErrorCode}`);
  } else {
    kernel.log.info(`${task.comm}[${task.pid}]: trap ${vector} ip ${(vcpu.eip >>> 0).toString(16)} error ${vcpu.exitErrorCode}`);
  }
  const busError = vector === Vector.PF && busFault;
  const signal = busError ? SIGBUS : exceptionSignal(vector);
  const address = vector === Vector.PF ? vcpu.cr2 >>> 0 : vcpu.eip >>> 0;
  task.lastFault = { signal, code: busError ? BUS_ADRERR : siCode(vector, vcpu.exitErrorCode), address };
  // A fault signal that is blocked or ignored cannot be survived: the kernel forces the default (force_sig_fault).
  const action = task.signalHandlers.actions[signal]!;
  if (action.handler <= 1 || (task.blocked & (1n << BigInt(signal - 1))) !== 0n) {
    killGroup(kernel, task, signal, true, hooksFor(kernel));
    return;
  }
  sendSignal(kernel, task, signal);
}

/** Delivers pending signals to the current task before it returns to user mode. */
function deliverSignals(kernel: Kernel, task: Task): void {
  // Hot path: nothing pending is the common case after a syscall.
  if (task.pending === 0n) return;
  for (;;) {
    const delivery = dequeueSignal(task);
    switch (delivery.kind) {
      case 'none': return;
      case 'kill': killGroup(kernel, task, delivery.signal, delivery.core, hooksFor(kernel)); return;
      case 'stop':
        // Job control: the process stops until SIGCONT (discarded for an orphaned process group).
        if (stopProcess(kernel, task, delivery.signal)) return;
        break;
      case 'handle':
        // Every deliverable signal gets its frame now, each on top of the last, so the handler of the last one
        // dequeued runs first (exit_to_user_mode_loop repeats while TIF_SIGPENDING stays set).
        if (kernel.deliverToHandler(task, delivery.signal, delivery.action)) break;
        killGroup(kernel, task, SIGSEGV, true, hooksFor(kernel));
        return;
      default: assertNever(delivery);
    }
  }
}

/** Runs the work interrupt handlers deferred to process context (in order; work may queue more). */
function runDeferredWork(kernel: Kernel): void {
  const work = kernel.deferredWork.splice(0);
  for (const item of work) item();
}

export function runKernel(kernel: Kernel, options: RunOptions = {}): number {
  const vcpu = kernel.vcpu;
  const start = vcpu.instructionsRetired;
  while (kernel.haltStatus === null) {
    // Hot loop: timers expire in the clock-event interrupt; only a bare kernel (no platform) reads the clock here.
    if (kernel.timers.needsPolling) kernel.timers.expire(kernel.clock.monotonic());
    if (kernel.deferredWork.length > 0) runDeferredWork(kernel);
    const task = kernel.scheduler.pickNextTask();
    if (!task && kernel.timers.onEarliestChanged === null && kernel.timers.earliest !== null) {
      // Idle: nothing runs until the next timer; skip (or, on the host clock, sleep) to it.
      kernel.advanceClock(kernel.timers.earliest - kernel.clock.monotonic());
      // On the host clock the sleep ends early when host input arrives: take the device's interrupt now.
      if (kernel.platform?.poll()) kernel.interrupts!.dispatch();
      continue;
    }
    if (!task && kernel.platform) {
      // Idle (NO_HZ): the tick stops; hlt until the clock-event device (the next timer) or another device interrupts.
      kernel.timers.enterIdle();
      if (kernel.platform.halt()) {
        kernel.interrupts!.dispatch();
        kernel.timers.exitIdle();
        continue;
      }
    }
    if (!task) {
      const sleeping = [...kernel.tasks.values()].filter((t) => t.state === TaskState.Sleeping);
      kernel.log.error(`no runnable task; ${sleeping.length} asleep (${sleeping.map((t) => `${t.comm}[${t.pid}]`).join(' ')}): deadlock`);
      return killedStatus(SIGKILL);
    }
    if (options.maxInstructions !== undefined && vcpu.instructionsRetired - start >= options.maxInstructions) {
      kernel.log.error(`instruction limit reached`);
      return killedStatus(SIGKILL);
    }
    kernel.switchTo(task);
    if (task.restartPending && (vcpu.getEflags() & Flag.TF) === 0) {
      // Hot path (every blocking read or write that waited): the woken task's call runs again at once.
      restartSyscall(kernel, task);
      afterKernelEntry(kernel, task);
      continue;
    }
    const before = vcpu.instructionsRetired;
    const exit = vcpu.run(TICK_INSTRUCTIONS);
    task.userTime += vcpu.instructionsRetired - before;
    switch (exit) {
      case Exit.Syscall: dispatchSyscall(kernel, task); break;
      case Exit.Sysenter:
        // No vDSO is mapped, so nothing should use sysenter; treat it as an illegal instruction.
        sendSignal(kernel, task, SIGILL);
        break;
      case Exit.Exception: handleException(kernel, task); break;
      case Exit.Interrupt: kernel.interrupts?.dispatch(); break;
      // The tick is the clock-event device's HZ timer (kernel/time/); only a bare kernel ticks on spent budget.
      case Exit.Budget: if (kernel.timers.onEarliestChanged === null) kernel.scheduler.taskTick(task); break;
      case Exit.Halt: sendSignal(kernel, task, SIGSEGV); break;
      default: assertNever(exit);
    }
    afterKernelEntry(kernel, task);
  }
  return kernel.haltStatus;
}

/** The way back to user mode (exit_to_user_mode): pending signals are delivered to a task still running. */
function afterKernelEntry(kernel: Kernel, task: Task): void {
  if (kernel.current !== task || task.state !== TaskState.Runnable) return;
  deliverSignals(kernel, task);
  // No handler ran: the mask rt_sigsuspend replaced comes back on the way to user mode.
  if (task.savedMask !== null && task.state === TaskState.Runnable && !task.restartPending) {
    task.blocked = task.savedMask;
    task.savedMask = null;
  }
}

/** After init exits: every remaining task is killed and reaped, so the next run starts clean. */
export function shutdownTasks(kernel: Kernel): void {
  for (const task of [...kernel.tasks.values()]) exitTask(kernel, task, killedStatus(SIGKILL), hooksFor(kernel));
  for (const task of [...kernel.tasks.values()]) release(kernel, task);
  kernel.futexWaiters.clear();
  kernel.timers.clear();
  kernel.futexWoken.clear();
  kernel.current = null;
}
