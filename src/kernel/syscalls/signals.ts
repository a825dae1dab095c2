/**
 * Signal syscalls: rt_sigaction / sigaction, rt_sigprocmask / sigprocmask,
 * rt_sigpending, sigaltstack, kill / tkill / tgkill, pause, rt_sigsuspend.
 * Layouts are i386's: struct sigaction for rt_sigaction is handler, flags,
 * restorer, then the 8-byte mask (arch/x86/include/asm/signal.h).
 */
import { EFAULT, EINTR, EINVAL, ERESTARTSYS, ESRCH } from '../lib/index.js';
import { copyFromUser, copyToUser } from '../mm/index.js';
import { changeAltStack, reportAltStack } from '../arch/index.js';
import { NSIG, nextSignal, processGroupHolder, sendSignalInfo, SIGKILL, SIGSTOP, UNBLOCKABLE } from '../proc/index.js';
import type { Task } from '../proc/index.js';
import type { SyscallContext } from './entry.js';
import { words32 } from './user-strings.js';

const maskWords = (mask: bigint): [number, number] => [Number(mask & 0xffffffffn), Number((mask >> 32n) & 0xffffffffn)];
const maskOf = (low: number, high: number): bigint => BigInt(low >>> 0) | (BigInt(high >>> 0) << 32n);

/** Implements rt_sigaction(2). */
export function sysRtSigaction(context: SyscallContext, signal: number, actionAddress: number, oldAddress: number, size: number): number {
  if (size !== 8) return -EINVAL;
  if (signal < 1 || signal > NSIG) return -EINVAL;
  const mm = context.task.mm;
  const action = context.task.signalHandlers.actions[signal]!;
  let fresh = null;
  if (actionAddress) {
    if (signal === SIGKILL || signal === SIGSTOP) return -EINVAL;
    const bytes = copyFromUser(mm, actionAddress, 20);
    if (typeof bytes === 'number') return -EFAULT;
    const view = new DataView(bytes.buffer);
    fresh = { handler: view.getUint32(0, true), flags: view.getUint32(4, true), restorer: view.getUint32(8, true),
      mask: maskOf(view.getUint32(12, true), view.getUint32(16, true)) & ~UNBLOCKABLE };
  }
  if (oldAddress && copyToUser(mm, oldAddress, words32(action.handler, action.flags, action.restorer, ...maskWords(action.mask))) < 0) return -EFAULT;
  if (fresh) context.task.signalHandlers.set(signal, fresh);
  return 0;
}

/** Implements sigaction(2), the old form: handler, 32-bit mask, flags, restorer. */
export function sysSigaction(context: SyscallContext, signal: number, actionAddress: number, oldAddress: number): number {
  if (signal < 1 || signal > NSIG) return -EINVAL;
  const mm = context.task.mm;
  const action = context.task.signalHandlers.actions[signal]!;
  let fresh = null;
  if (actionAddress) {
    if (signal === SIGKILL || signal === SIGSTOP) return -EINVAL;
    const bytes = copyFromUser(mm, actionAddress, 16);
    if (typeof bytes === 'number') return -EFAULT;
    const view = new DataView(bytes.buffer);
    fresh = { handler: view.getUint32(0, true), mask: BigInt(view.getUint32(4, true)) & ~UNBLOCKABLE, flags: view.getUint32(8, true), restorer: view.getUint32(12, true) };
  }
  if (oldAddress && copyToUser(mm, oldAddress, words32(action.handler, maskWords(action.mask)[0], action.flags, action.restorer)) < 0) return -EFAULT;
  if (fresh) context.task.signalHandlers.set(signal, fresh);
  return 0;
}

const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;

function changeMask(task: Task, how: number, set: bigint): number {
  switch (how) {
    case SIG_BLOCK: task.blocked |= set; break;
    case SIG_UNBLOCK: task.blocked &= ~set; break;
    case SIG_SETMASK: task.blocked = set; break;
    default: return -EINVAL;
  }
  task.blocked &= ~UNBLOCKABLE;
  return 0;
}

/** Implements rt_sigprocmask(2). */
export function sysRtSigprocmask(context: SyscallContext, how: number, setAddress: number, oldAddress: number, size: number): number {
  if (size !== 8) return -EINVAL;
  const task = context.task;
  const old = task.blocked;
  if (setAddress) {
    const bytes = copyFromUser(task.mm, setAddress, 8);
    if (typeof bytes === 'number') return -EFAULT;
    const view = new DataView(bytes.buffer);
    const result = changeMask(task, how, maskOf(view.getUint32(0, true), view.getUint32(4, true)));
    if (result < 0) return result;
  }
  if (oldAddress && copyToUser(task.mm, oldAddress, words32(...maskWords(old))) < 0) return -EFAULT;
  return 0;
}

/** Implements sigprocmask(2), the 32-bit mask form. */
export function sysSigprocmask(context: SyscallContext, how: number, setAddress: number, oldAddress: number): number {
  const task = context.task;
  const old = task.blocked;
  if (setAddress) {
    const bytes = copyFromUser(task.mm, setAddress, 4);
    if (typeof bytes === 'number') return -EFAULT;
    const low = BigInt(new DataView(bytes.buffer).getUint32(0, true));
    const result = changeMask(task, how, how === SIG_SETMASK ? (old & ~0xffffffffn) | low : low);
    if (result < 0) return result;
  }
  if (oldAddress && copyToUser(task.mm, oldAddress, words32(maskWords(old)[0])) < 0) return -EFAULT;
  return 0;
}

/** Implements rt_sigpending(2). */
export function sysRtSigpending(context: SyscallContext, address: number, size: number): number {
  if (size > 8) return -EINVAL;
  const task = context.task;
  return copyToUser(task.mm, address, words32(...maskWords(task.pending & task.blocked)).subarray(0, size));
}

/** Implements sigaltstack(2): stack_t is { ss_sp, ss_flags, ss_size }; the old stack is written after the change. */
export function sysSigaltstack(context: SyscallContext, stackAddress: number, oldAddress: number): number {
  const task = context.task;
  const esp = context.kernel.vcpu.gpr[4]! >>> 0;
  const old = reportAltStack(task, esp);
  if (stackAddress) {
    const bytes = copyFromUser(task.mm, stackAddress, 12);
    if (typeof bytes === 'number') return -EFAULT;
    const view = new DataView(bytes.buffer);
    const result = changeAltStack(task, esp, view.getUint32(0, true), view.getUint32(4, true), view.getUint32(8, true));
    if (result < 0) return result;
  }
  if (oldAddress && copyToUser(task.mm, oldAddress, words32(old.sp, old.flags, old.size)) < 0) return -EFAULT;
  return 0;
}

const SI_USER = 0, SI_TKILL = -6;

/** The siginfo of a signal sent by `sender` with kill (SI_USER) or tkill/tgkill (SI_TKILL): si_pid and si_uid. */
function senderInfo(sender: Task, signal: number, code: number): Uint8Array {
  return words32(signal, 0, code, sender.tgid, sender.credentials.uid, 0, 0, 0, ...new Array<number>(24).fill(0));
}

function signalTasks(context: SyscallContext, targets: Task[], signal: number, code = SI_USER): number {
  if (signal < 0 || signal > NSIG) return -EINVAL;
  if (targets.length === 0) return -ESRCH;
  if (signal === 0) return 0;
  for (const target of targets) sendSignalInfo(context.kernel, target, signal, senderInfo(context.task, signal, code));
  return 0;
}

/** Implements kill(2): pid > 0 a process, 0 the caller's group, -1 everyone but init and the caller, < -1 a group. */
export function sysKill(context: SyscallContext, pid: number, signal: number): number {
  const { kernel, task } = context;
  const leaders = [...kernel.tasks.values()].filter((t) => t.isThreadGroupLeader && t.state < 3);
  const target = pid | 0;
  let targets: Task[];
  if (target > 0) targets = leaders.filter((t) => t.tgid === target);
  else if (target === 0) targets = leaders.filter((t) => t.processGroup === task.processGroup);
  else if (target === -1) {
    targets = leaders.filter((t) => t.pid !== 1 && t.tgid !== task.tgid);
    if (targets.length === 0) return -ESRCH;
  } else targets = leaders.filter((t) => t.processGroup === -target);
  if (target > 0 && targets.length === 0 && kernel.tasks.get(target)?.state === 3) return 0;
  // A group whose only members are zombies still exists until they are reaped: the signal goes nowhere, successfully.
  if (target !== -1 && target <= 0 && targets.length === 0 && signal >= 0 && signal <= NSIG && processGroupHolder(kernel, target === 0 ? task.processGroup : -target) !== null) return 0;
  return signalTasks(context, targets, signal);
}

/** Implements tgkill(2). */
export function sysTgkill(context: SyscallContext, tgid: number, tid: number, signal: number): number {
  const target = context.kernel.tasks.get(tid);
  if ((tgid | 0) <= 0 || (tid | 0) <= 0) return -EINVAL;
  return signalTasks(context, target && target.tgid === tgid ? [target] : [], signal, SI_TKILL);
}

/** Implements tkill(2). */
export function sysTkill(context: SyscallContext, tid: number, signal: number): number {
  const target = context.kernel.tasks.get(tid);
  if ((tid | 0) <= 0) return -EINVAL;
  return signalTasks(context, target ? [target] : [], signal, SI_TKILL);
}

/** Implements pause(2): sleeps until a signal wakes the task (no wait queue wakes it otherwise). */
export function sysPause(context: SyscallContext): number {
  void context;
  return -ERESTARTSYS;
}

function suspend(context: SyscallContext, mask: bigint): number {
  const task = context.task;
  if (task.savedMask === null) task.savedMask = task.blocked;
  task.blocked = mask & ~UNBLOCKABLE;
  // Returns EINTR once a signal is deliverable; the frame saves savedMask so sigreturn restores it.
  return nextSignal(task) ? -EINTR : -ERESTARTSYS;
}

/** Implements rt_sigsuspend(2). */
export function sysRtSigsuspend(context: SyscallContext, address: number, size: number): number {
  if (size !== 8) return -EINVAL;
  const bytes = copyFromUser(context.task.mm, address, 8);
  if (typeof bytes === 'number') return -EFAULT;
  const view = new DataView(bytes.buffer);
  return suspend(context, maskOf(view.getUint32(0, true), view.getUint32(4, true)));
}

/** Implements sigsuspend(2), the old form: the mask is the third argument. */
export function sysSigsuspend(context: SyscallContext, _unused0: number, _unused1: number, mask: number): number {
  return suspend(context, (context.task.blocked & ~0xffffffffn) | BigInt(mask >>> 0));
}
