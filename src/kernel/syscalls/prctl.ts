/**
 * prctl(2) basics (kernel/sys.c): the task name, the parent-death signal,
 * dumpable, keepcaps, no_new_privs, child subreaper, timer slack and seccomp
 * mode queries. Other options fail with EINVAL, as for an unknown option.
 */
import { EFAULT, EINVAL } from '../lib/index.js';
import { copyFromUser, copyToUser, putUser32 } from '../mm/index.js';
import { NSIG } from '../proc/index.js';
import type { SyscallContext } from './entry.js';

const PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4, PR_GET_KEEPCAPS = 7, PR_SET_KEEPCAPS = 8,
  PR_SET_NAME = 15, PR_GET_NAME = 16, PR_GET_SECCOMP = 21, PR_SET_TIMERSLACK = 29, PR_GET_TIMERSLACK = 30,
  PR_SET_CHILD_SUBREAPER = 36, PR_GET_CHILD_SUBREAPER = 37, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;
/** include/linux/sched.h: the default timer slack, 50 µs. */
const DEFAULT_TIMER_SLACK = 50_000;

/** Implements prctl(2) (partial: the options above). */
export function sysPrctl(context: SyscallContext, option: number, a2: number, a3: number, a4: number, a5: number): number {
  const task = context.task;
  const state = task.prctl;
  switch (option) {
    case PR_SET_NAME: {
      const bytes = copyFromUser(task.mm, a2, 16);
      if (typeof bytes === 'number') return -EFAULT;
      const end = bytes.indexOf(0);
      task.comm = new TextDecoder().decode(bytes.subarray(0, end < 0 ? 15 : Math.min(end, 15)));
      return 0;
    }
    case PR_GET_NAME: {
      const out = new Uint8Array(16);
      out.set(new TextEncoder().encode(task.comm).subarray(0, 15));
      return copyToUser(task.mm, a2, out) < 0 ? -EFAULT : 0;
    }
    case PR_SET_PDEATHSIG:
      if (a2 > NSIG) return -EINVAL;
      state.parentDeathSignal = a2;
      return 0;
    case PR_GET_PDEATHSIG: return putUser32(task.mm, a2, state.parentDeathSignal) < 0 ? -EFAULT : 0;
    case PR_GET_DUMPABLE: return state.dumpable;
    case PR_SET_DUMPABLE:
      // SUID_DUMP_DISABLE or SUID_DUMP_USER only; 2 (root-only dumps) cannot be set from user space.
      if (a2 > 1) return -EINVAL;
      state.dumpable = a2;
      return 0;
    case PR_GET_KEEPCAPS: return state.keepCapabilities;
    case PR_SET_KEEPCAPS:
      if (a2 > 1) return -EINVAL;
      state.keepCapabilities = a2;
      return 0;
    case PR_GET_SECCOMP: return 0;
    case PR_GET_TIMERSLACK: return DEFAULT_TIMER_SLACK;
    case PR_SET_TIMERSLACK: return 0;
    case PR_SET_CHILD_SUBREAPER:
      state.childSubreaper = a2 !== 0 ? 1 : 0;
      return 0;
    case PR_GET_CHILD_SUBREAPER: return putUser32(task.mm, a2, state.childSubreaper) < 0 ? -EFAULT : 0;
    case PR_SET_NO_NEW_PRIVS:
      // Once set it cannot be cleared (Documentation/userspace-api/no_new_privs.rst).
      if (a2 !== 1 || a3 !== 0 || a4 !== 0 || a5 !== 0) return -EINVAL;
      state.noNewPrivileges = 1;
      return 0;
    case PR_GET_NO_NEW_PRIVS:
      if (a2 !== 0 || a3 !== 0 || a4 !== 0 || a5 !== 0) return -EINVAL;
      return state.noNewPrivileges;
    default: return -EINVAL;
  }
}
