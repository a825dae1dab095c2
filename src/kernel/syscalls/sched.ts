/**
 * The scheduling syscalls (kernel/sched/core.c, kernel/sys.c): policies and parameters,
 * priority ranges, the round-robin interval, yield, nice and set/getpriority, and the CPU
 * affinity of a one-CPU machine. Privilege (CAP_SYS_NICE) is euid 0; RLIMIT_NICE and
 * RLIMIT_RTPRIO are 0, so only root raises priority or becomes real-time.
 */
import { EACCES, EFAULT, EINVAL, EPERM, ESRCH } from '../lib/index.js';
import { copyFromUser, copyToUser, getUser32, putUser32 } from '../mm/index.js';
import { TaskState } from '../proc/index.js';
import type { Task } from '../proc/index.js';
import {
  isRealtimePolicy, isValidPolicy, MAX_NICE, MIN_NICE, SCHED_BATCH, SCHED_FIFO, SCHED_IDLE, SCHED_OTHER, SCHED_RESET_ON_FORK, SCHED_RR, SchedulerCore,
} from '../sched/index.js';
import type { SyscallContext } from './entry.js';

/** SCHED_DEADLINE is set only through sched_setattr (not supported); its priority range is 0..0. */
const SCHED_DEADLINE = 6;
const PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;

/** The task `pid` names (0: the caller), as find_process_by_pid. */
function findTask(context: SyscallContext, pid: number): Task | null {
  return pid === 0 ? context.task : context.kernel.tasks.get(pid) ?? null;
}

const capableNice = (context: SyscallContext): boolean => context.task.credentials.euid === 0;

/** check_same_owner: the caller's euid is the target's uid or euid. */
function sameOwner(context: SyscallContext, target: Task): boolean {
  const credentials = context.task.credentials;
  return credentials.euid === target.credentials.uid || credentials.euid === target.credentials.euid;
}

/** Applies new parameters through the scheduler core (which requeues), or sets them on a bare class. */
function applyParameters(context: SyscallContext, task: Task, policy: number, rtPriority: number, nice: number): void {
  const scheduler = context.kernel.scheduler;
  if (scheduler instanceof SchedulerCore) {
    (scheduler as SchedulerCore<Task>).setParameters(task, policy, rtPriority, nice);
  } else {
    task.sched.policy = policy;
    task.sched.rtPriority = rtPriority;
    task.sched.nice = nice;
  }
}

/** __sched_setscheduler: validation, permission, then the change. policy -1 keeps the policy. */
function setScheduler(context: SyscallContext, pid: number, requestedPolicy: number, parameterAddress: number): number {
  if (parameterAddress === 0 || pid < 0) return -EINVAL;
  const priority = getUser32(context.task.mm, parameterAddress);
  if (priority === null) return -EFAULT;
  const task = findTask(context, pid);
  if (!task) return -ESRCH;
  const entity = task.sched;
  let policy = requestedPolicy;
  let resetOnFork = entity.resetOnFork;
  if (policy < 0) {
    policy = entity.policy;
  } else {
    resetOnFork = (policy & SCHED_RESET_ON_FORK) !== 0;
    policy &= ~SCHED_RESET_ON_FORK;
    if (!isValidPolicy(policy)) return -EINVAL;
  }
  const rtPriority = priority | 0;
  // Valid priorities: 1..99 for SCHED_FIFO and SCHED_RR, 0 for the others.
  if (rtPriority < 0 || rtPriority > 99 || isRealtimePolicy(policy) !== (rtPriority !== 0)) return -EINVAL;
  if (!capableNice(context)) {
    if (isRealtimePolicy(policy) && (rtPriority > entity.rtPriority || !isRealtimePolicy(entity.policy))) return -EPERM;
    // Leaving SCHED_IDLE needs the right to raise nice (RLIMIT_NICE 0 allows nice 19 only).
    if (entity.policy === SCHED_IDLE && policy !== SCHED_IDLE && entity.nice < MAX_NICE) return -EPERM;
    if (!sameOwner(context, task)) return -EPERM;
    if (entity.resetOnFork && !resetOnFork) return -EPERM;
  }
  entity.resetOnFork = resetOnFork;
  applyParameters(context, task, policy, rtPriority, entity.nice);
  return 0;
}

/** Implements sched_setscheduler(2). */
export function sysSchedSetscheduler(context: SyscallContext, pid: number, policy: number, parameterAddress: number): number {
  if ((policy | 0) < 0) return -EINVAL;
  return setScheduler(context, pid | 0, policy | 0, parameterAddress);
}

/** Implements sched_setparam(2). */
export function sysSchedSetparam(context: SyscallContext, pid: number, parameterAddress: number): number {
  return setScheduler(context, pid | 0, -1, parameterAddress);
}

/** Implements sched_getscheduler(2): the policy, with SCHED_RESET_ON_FORK when set. */
export function sysSchedGetscheduler(context: SyscallContext, pid: number): number {
  if ((pid | 0) < 0) return -EINVAL;
  const task = findTask(context, pid | 0);
  if (!task) return -ESRCH;
  return task.sched.policy | (task.sched.resetOnFork ? SCHED_RESET_ON_FORK : 0);
}

/** Implements sched_getparam(2): struct sched_param is one int, the real-time priority. */
export function sysSchedGetparam(context: SyscallContext, pid: number, parameterAddress: number): number {
  if (parameterAddress === 0 || (pid | 0) < 0) return -EINVAL;
  const task = findTask(context, pid | 0);
  if (!task) return -ESRCH;
  return putUser32(context.task.mm, parameterAddress, task.sched.rtPriority) < 0 ? -EFAULT : 0;
}

/** Implements sched_get_priority_max(2). */
export function sysSchedGetPriorityMax(_context: SyscallContext, policy: number): number {
  if (policy === SCHED_FIFO || policy === SCHED_RR) return 99;
  return policy === SCHED_OTHER || policy === SCHED_BATCH || policy === SCHED_IDLE || policy === SCHED_DEADLINE ? 0 : -EINVAL;
}

/** Implements sched_get_priority_min(2). */
export function sysSchedGetPriorityMin(_context: SyscallContext, policy: number): number {
  if (policy === SCHED_FIFO || policy === SCHED_RR) return 1;
  return policy === SCHED_OTHER || policy === SCHED_BATCH || policy === SCHED_IDLE || policy === SCHED_DEADLINE ? 0 : -EINVAL;
}

function rrInterval(context: SyscallContext, pid: number): number {
  if (pid < 0) return -EINVAL;
  const task = findTask(context, pid);
  if (!task) return -ESRCH;
  if (task.sched.policy === SCHED_FIFO) return 0;
  return context.kernel.scheduler.timeSliceOf?.(task) ?? 0;
}

/** Implements sched_rr_get_interval(2) with the 32-bit struct timespec. */
export function sysSchedRrGetInterval(context: SyscallContext, pid: number, address: number): number {
  const interval = rrInterval(context, pid | 0);
  if (interval < 0) return interval;
  const out = new Int32Array([Math.floor(interval / 1e9), Math.round(interval % 1e9)]);
  return copyToUser(context.task.mm, address, new Uint8Array(out.buffer)) < 0 ? -EFAULT : 0;
}

/** Implements sched_rr_get_interval_time64(2) (struct __kernel_timespec: two 64-bit fields). */
export function sysSchedRrGetIntervalTime64(context: SyscallContext, pid: number, address: number): number {
  const interval = rrInterval(context, pid | 0);
  if (interval < 0) return interval;
  const out = new BigInt64Array([BigInt(Math.floor(interval / 1e9)), BigInt(Math.round(interval % 1e9))]);
  return copyToUser(context.task.mm, address, new Uint8Array(out.buffer)) < 0 ? -EFAULT : 0;
}

/** Implements sched_yield(2): the caller gives up the CPU to the next task its class picks. */
export function sysSchedYield(context: SyscallContext): number {
  context.kernel.scheduler.yieldTask?.(context.task);
  return 0;
}

/** set_one_prio: EPERM for another user's task, EACCES to lower nice without the privilege. */
function setOnePriority(context: SyscallContext, task: Task, nice: number): number {
  if (!capableNice(context) && !sameOwner(context, task)) return -EPERM;
  if (nice < task.sched.nice && !capableNice(context)) return -EACCES;
  applyParameters(context, task, task.sched.policy, task.sched.rtPriority, nice);
  return 0;
}

/** The tasks `which`/`who` select (kernel/sys.c): one thread, a process group's threads, a user's. */
function prioritySubjects(context: SyscallContext, which: number, who: number): Task[] | null {
  const tasks = [...context.kernel.tasks.values()].filter((t) => t.state !== TaskState.Zombie && t.state !== TaskState.Dead);
  switch (which) {
    case PRIO_PROCESS: { const task = findTask(context, who); return task ? [task] : []; }
    case PRIO_PGRP: { const group = who === 0 ? context.task.processGroup : who; return tasks.filter((t) => t.processGroup === group); }
    case PRIO_USER: { const uid = who === 0 ? context.task.credentials.uid : who; return tasks.filter((t) => t.credentials.uid === uid); }
    default: return null;
  }
}

/** Implements setpriority(2). */
export function sysSetpriority(context: SyscallContext, which: number, who: number, priority: number): number {
  const subjects = prioritySubjects(context, which, who | 0);
  if (subjects === null) return -EINVAL;
  const nice = Math.max(MIN_NICE, Math.min(MAX_NICE, priority | 0));
  let error = -ESRCH;
  for (const task of subjects) error = setOnePriority(context, task, nice);
  return error;
}

/** Implements getpriority(2): the raw syscall returns 20 - nice of the highest-priority subject. */
export function sysGetpriority(context: SyscallContext, which: number, who: number): number {
  const subjects = prioritySubjects(context, which, who | 0);
  if (subjects === null) return -EINVAL;
  if (subjects.length === 0) return -ESRCH;
  return Math.max(...subjects.map((t) => 20 - t.sched.nice));
}

/** Implements nice(2): the increment is clamped to ±40 and the result to -20..19. */
export function sysNice(context: SyscallContext, increment: number): number {
  const step = Math.max(-40, Math.min(40, increment | 0));
  const task = context.task;
  const nice = Math.max(MIN_NICE, Math.min(MAX_NICE, task.sched.nice + step));
  if (nice < task.sched.nice && !capableNice(context)) return -EPERM;
  applyParameters(context, task, task.sched.policy, task.sched.rtPriority, nice);
  return 0;
}

/** Implements sched_setaffinity(2): the mask must include CPU 0, the only one. */
export function sysSchedSetaffinity(context: SyscallContext, pid: number, size: number, address: number): number {
  const task = findTask(context, pid | 0);
  if ((pid | 0) < 0 || !task) return -ESRCH;
  const bytes = copyFromUser(context.task.mm, address, Math.min(size, 4));
  if (typeof bytes === 'number') return -EFAULT;
  if (size === 0 || (bytes[0]! & 1) === 0) return -EINVAL;
  if (!capableNice(context) && !sameOwner(context, task)) return -EPERM;
  return 0;
}

/** Implements sched_getaffinity(2): one CPU; returns the bytes written (one long). */
export function sysSchedGetaffinity(context: SyscallContext, pid: number, size: number, address: number): number {
  if ((pid | 0) < 0) return -ESRCH;
  if (size < 4 || (size & 3) !== 0) return -EINVAL;
  if (!findTask(context, pid | 0)) return -ESRCH;
  return copyToUser(context.task.mm, address, new Uint8Array([1, 0, 0, 0])) < 0 ? -EFAULT : 4;
}
