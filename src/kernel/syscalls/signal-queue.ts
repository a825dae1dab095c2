/**
 * Queued signals with a payload and waiting for them: rt_sigqueueinfo,
 * rt_tgsigqueueinfo (kernel/signal.c do_rt_sigqueueinfo, do_rt_tgsigqueueinfo)
 * and rt_sigtimedwait / rt_sigtimedwait_time64 (do_sigtimedwait). siginfo is
 * 128 bytes (i386): si_signo, si_errno, si_code, then the union.
 */
import { EAGAIN, EFAULT, EINTR, EINVAL, EPERM, ERESTARTSYS, ESRCH } from '../lib/index.js';
import { copyFromUser, copyToUser } from '../mm/index.js';
import { NSIG, nextSignal, sendSignalInfo, signalBit, takeSignalInfo, TaskState, UNBLOCKABLE } from '../proc/index.js';
import type { Task } from '../proc/index.js';
import type { SyscallContext } from './entry.js';
import { words32 } from './user-strings.js';

const SIGINFO_SIZE = 128;
const SI_TKILL = -6;

/** Copies the caller's siginfo and checks it may be sent: only the kernel forges si_code >= 0 or SI_TKILL, except to oneself. */
function userSiginfo(context: SyscallContext, address: number, signal: number, targetPid: number): Uint8Array | number {
  const info = copyFromUser(context.task.mm, address, SIGINFO_SIZE);
  if (typeof info === 'number') return -EFAULT;
  const view = new DataView(info.buffer, info.byteOffset, SIGINFO_SIZE);
  const code = view.getInt32(8, true);
  if ((code >= 0 || code === SI_TKILL) && targetPid !== context.task.pid) return -EPERM;
  view.setInt32(0, signal, true);
  return info;
}

function queue(context: SyscallContext, target: Task | undefined, signal: number, info: Uint8Array): number {
  if (signal < 0 || signal > NSIG) return -EINVAL;
  if (!target || target.state >= TaskState.Zombie) return -ESRCH;
  if (signal !== 0) sendSignalInfo(context.kernel, target, signal, info);
  return 0;
}

/** Implements rt_sigqueueinfo(2): a signal with the caller's siginfo to process `tgid`. */
export function sysRtSigqueueinfo(context: SyscallContext, tgid: number, signal: number, address: number): number {
  const info = userSiginfo(context, address, signal, tgid);
  if (typeof info === 'number') return info;
  const target = context.kernel.tasks.get(tgid);
  return queue(context, target?.isThreadGroupLeader ? target : undefined, signal, info);
}

/** Implements rt_tgsigqueueinfo(2): a signal with the caller's siginfo to thread `tid` of `tgid`. */
export function sysRtTgsigqueueinfo(context: SyscallContext, tgid: number, tid: number, signal: number, address: number): number {
  if ((tgid | 0) <= 0 || (tid | 0) <= 0) return -EINVAL;
  const info = userSiginfo(context, address, signal, tid);
  if (typeof info === 'number') return info;
  const target = context.kernel.tasks.get(tid);
  return queue(context, target?.tgid === tgid ? target : undefined, signal, info);
}

/** The siginfo of a signal sent without one (SIGCHLD from a timer, SIGPIPE...): si_signo and SI_KERNEL-less zeros. */
const plainInfo = (signal: number): Uint8Array => words32(signal, ...new Array<number>(31).fill(0));

function sigtimedwait(context: SyscallContext, setAddress: number, infoAddress: number, timeoutAddress: number, size: number, wide: boolean): number {
  const { kernel, task } = context;
  if (size !== 8) return -EINVAL;
  const setBytes = copyFromUser(task.mm, setAddress, 8);
  if (typeof setBytes === 'number') return -EFAULT;
  const setView = new DataView(setBytes.buffer, setBytes.byteOffset, 8);
  const set = (BigInt(setView.getUint32(0, true)) | (BigInt(setView.getUint32(4, true)) << 32n)) & ~UNBLOCKABLE;
  let timeout: number | null = null;
  if (timeoutAddress) {
    const bytes = copyFromUser(task.mm, timeoutAddress, wide ? 16 : 8);
    if (typeof bytes === 'number') return -EFAULT;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    // time64 from a 32-bit task: the upper half of tv_nsec is ignored (kernel/time/time.c get_timespec64).
    const seconds = wide ? Number(view.getBigInt64(0, true)) : view.getInt32(0, true);
    const nanoseconds = view.getInt32(wide ? 8 : 4, true);
    if (seconds < 0 || nanoseconds < 0 || nanoseconds >= 1e9) return -EINVAL;
    timeout = seconds * 1e9 + nanoseconds;
  }
  const ready = task.pending & set;
  if (ready !== 0n) {
    let signal = 1;
    while ((ready & signalBit(signal)) === 0n) signal++;
    task.pending &= ~signalBit(signal);
    task.waitedSignals = 0n;
    task.sleepDeadline = null;
    const info = takeSignalInfo(task, signal) ?? plainInfo(signal);
    if (infoAddress && copyToUser(task.mm, infoAddress, info) < 0) return -EFAULT;
    return signal;
  }
  // A deliverable signal outside the set (one that woke the wait, too) ends it with EINTR: this call never restarts.
  if (nextSignal(task) !== 0) { task.waitedSignals = 0n; return -EINTR; }
  if (timeout === 0) return -EAGAIN;
  task.waitedSignals = set;
  if (timeout === null) return -ERESTARTSYS;
  const deadline = task.restarting && task.sleepDeadline !== null ? task.sleepDeadline : kernel.clock.monotonic() + timeout;
  const result = kernel.sleepUntil(task, deadline);
  if (result === 0) { task.waitedSignals = 0n; return -EAGAIN; }
  return result;
}

/** Implements rt_sigtimedwait(2) with a 32-bit timespec. */
export const sysRtSigtimedwait = (c: SyscallContext, set: number, info: number, timeout: number, size: number): number =>
  sigtimedwait(c, set, info, timeout, size, false);
/** Implements rt_sigtimedwait_time64(2). */
export const sysRtSigtimedwaitTime64 = (c: SyscallContext, set: number, info: number, timeout: number, size: number): number =>
  sigtimedwait(c, set, info, timeout, size, true);
