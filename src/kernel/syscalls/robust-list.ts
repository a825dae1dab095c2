/**
 * get_robust_list(2) (kernel/futex/syscalls.c): reports the robust_list_head a
 * thread registered with set_robust_list; the list is walked at exit by
 * proc/robust-list.ts. The length (12 on i386) is written before the head.
 */
import { EFAULT, ESRCH } from '../lib/index.js';
import { putUser32 } from '../mm/index.js';
import { TaskState } from '../proc/index.js';
import type { SyscallContext } from './entry.js';

/** Implements get_robust_list(2): pid 0 is the caller. */
export function sysGetRobustList(context: SyscallContext, pid: number, headAddress: number, lengthAddress: number): number {
  const target = pid === 0 ? context.task : context.kernel.tasks.get(pid);
  if (!target || target.state === TaskState.Dead) return -ESRCH;
  if (putUser32(context.task.mm, lengthAddress, target.robustListLength) < 0) return -EFAULT;
  return putUser32(context.task.mm, headAddress, target.robustList) < 0 ? -EFAULT : 0;
}
