/**
 * The alternate signal stack (kernel/signal.c do_sigaltstack, sas_ss_flags,
 * on_sig_stack): sigaltstack(2) sets it, SA_ONSTACK handlers run on it, the
 * rt_sigframe's uc_stack saves it and rt_sigreturn restores it. stack_t on
 * i386 is { ss_sp, ss_flags, ss_size }. A disabled stack has size 0.
 */
import { EINVAL, ENOMEM, EPERM } from '../lib/index.js';
import type { Task } from '../proc/index.js';

export const SS_ONSTACK = 1, SS_DISABLE = 2, SS_AUTODISARM = 1 << 31;
/** arch/x86/include/uapi/asm/signal.h (i386). */
export const MINSIGSTKSZ = 2048;

/** on_sig_stack: `esp` lies within the alternate stack (which grows down from sp + size); never with SS_AUTODISARM. */
export function onAltStack(task: Task, esp: number): boolean {
  const { sp, size, flags } = task.altStack;
  if (flags & SS_AUTODISARM) return false;
  return ((esp - 1 - sp) >>> 0) < size;
}

/** sas_ss_flags: SS_DISABLE without a stack, SS_ONSTACK while on it, else 0. */
export function altStackState(task: Task, esp: number): number {
  if (task.altStack.size === 0) return SS_DISABLE;
  return onAltStack(task, esp) ? SS_ONSTACK : 0;
}

/** What sigaltstack reports as the old stack: the stored flags are or-ed in, as Linux does. */
export function reportAltStack(task: Task, esp: number): { sp: number; flags: number; size: number } {
  return { sp: task.altStack.sp, flags: (altStackState(task, esp) | task.altStack.flags) >>> 0, size: task.altStack.size };
}

/** do_sigaltstack's change: 0 or a negative errno (EPERM while running on the stack, EINVAL for bad flags, ENOMEM when small). */
export function changeAltStack(task: Task, esp: number, sp: number, flags: number, size: number): number {
  if (onAltStack(task, esp)) return -EPERM;
  const mode = (flags & ~SS_AUTODISARM) >>> 0;
  if (mode !== SS_DISABLE && mode !== SS_ONSTACK && mode !== 0) return -EINVAL;
  const current = task.altStack;
  if (current.sp === sp >>> 0 && current.size === size >>> 0 && current.flags === flags >>> 0) return 0;
  if (mode === SS_DISABLE) {
    task.altStack = { sp: 0, size: 0, flags: flags >>> 0 };
    return 0;
  }
  if (size >>> 0 < MINSIGSTKSZ) return -ENOMEM;
  task.altStack = { sp: sp >>> 0, size: size >>> 0, flags: flags >>> 0 };
  return 0;
}
