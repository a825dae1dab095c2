/**
 * Process syscalls: fork/vfork/clone, execve, exit/exit_group, wait4/waitpid,
 * identity (getpid, gettid, credentials, process groups and sessions),
 * set_tid_address, set/get_thread_area, set_robust_list, rlimits,
 * getrusage, times, sysinfo, getcpu. (Scheduling calls are in sched.ts.)
 */
import { EFAULT, EINVAL, EPERM, ERESTARTSYS, ESRCH } from '../lib/index.js';
import { copyFromUser, copyToUser, putUser32 } from '../mm/index.js';
import {
  cloneTask, decodeUserDesc, execve, exitedStatus, exitGroup, exitTask, installTls, readTls, SIGCHLD, TaskState, waitChild, CLONE_VFORK, CLONE_VM,
  processGroupHolder, SIGCONT, updateLoadAverage, WCONTINUED, WEXITED, WNOHANG, WNOWAIT, WSTOPPED, WUNTRACED, __WALL, __WCLONE, __WNOTHREAD,
} from '../proc/index.js';
import type { Task } from '../proc/index.js';
import { releasePosixTimers } from '../time/index.js';
import type { SyscallContext } from './entry.js';
import { futexWake } from './futex.js';
import { readPath, readStringVector, words32 } from './user-strings.js';

export const exitHooks = (context: SyscallContext) => ({
  futexWake: (task: Task, address: number) => { futexWake(context.kernel, task, address, 1); },
});

function clone(context: SyscallContext, flags: number, stack: number, parentTid: number, tls: number, childTid: number): number {
  const child = cloneTask(context.kernel, context.task, { flags, stack, parentTid, childTid, tls });
  return typeof child === 'number' ? child : child.pid;
}

/** Implements fork(2). */
export function sysFork(context: SyscallContext): number {
  return clone(context, SIGCHLD, 0, 0, 0, 0);
}

/** Implements vfork(2): the child borrows the address space; the parent sleeps until it execs or exits. */
export function sysVfork(context: SyscallContext): number {
  return clone(context, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}

/** Implements clone(2) with i386's argument order: flags, stack, parent_tid, tls, child_tid. */
export function sysClone(context: SyscallContext, flags: number, stack: number, parentTid: number, tls: number, childTid: number): number {
  return clone(context, flags, stack, parentTid, tls, childTid);
}

/** Implements execve(2). */
export function sysExecve(context: SyscallContext, pathAddress: number, argvAddress: number, envpAddress: number): number {
  const mm = context.task.mm;
  const path = readPath(mm, pathAddress);
  if (typeof path === 'number') return path;
  const argv = readStringVector(mm, argvAddress);
  if (typeof argv === 'number') return argv;
  const envp = readStringVector(mm, envpAddress);
  if (typeof envp === 'number') return envp;
  const leader = context.kernel.tasks.get(context.task.tgid) ?? context.task;
  const result = execve(context.kernel, context.task, { path, argv, envp });
  if (result === 0) releasePosixTimers(leader);
  // On success the new image's registers are set; eax must stay 0 as Linux's start_thread leaves it.
  return result;
}

/** Implements exit(2): this thread only. */
export function sysExit(context: SyscallContext, code: number): number {
  exitTask(context.kernel, context.task, exitedStatus(code), exitHooks(context));
  return 0;
}

/** Implements exit_group(2). */
export function sysExitGroup(context: SyscallContext, code: number): number {
  exitGroup(context.kernel, context.task, exitedStatus(code), exitHooks(context));
  return 0;
}

/** Implements wait4(2). */
export function sysWait4(context: SyscallContext, pid: number, statusAddress: number, options: number, rusageAddress: number): number {
  const task = context.task;
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE) >>> 0) return -EINVAL;
  const result = waitChild(context.kernel, task, pid | 0, options | WEXITED, () => {
    task.childEvents.add(task);
    return -ERESTARTSYS;
  });
  if (typeof result === 'number') return result;
  if (statusAddress && putUser32(task.mm, statusAddress, result.status) < 0) return -EFAULT;
  if (rusageAddress && copyToUser(task.mm, rusageAddress, rusage(result.userTime, result.systemTime)) < 0) return -EFAULT;
  return result.pid;
}

/** Implements waitpid(2). */
export function sysWaitpid(context: SyscallContext, pid: number, statusAddress: number, options: number): number {
  return sysWait4(context, pid, statusAddress, options, 0);
}

/** struct rusage (18 longs after two timevals: 72 bytes on i386). */
function rusage(userNs: number, systemNs: number): Uint8Array {
  const out = new Uint8Array(72);
  out.set(words32(Math.floor(userNs / 1e9), Math.floor((userNs % 1e9) / 1000), Math.floor(systemNs / 1e9), Math.floor((systemNs % 1e9) / 1000)));
  return out;
}

/** Implements getrusage(2). */
export function sysGetrusage(context: SyscallContext, who: number, address: number): number {
  const task = context.task;
  const children = (who | 0) === -1;
  if (!children && who !== 0 && who !== 1) return -EINVAL;
  const user = children ? task.childUserTime : task.userTime;
  const system = children ? task.childSystemTime : task.systemTime;
  return copyToUser(task.mm, address, rusage(user, system));
}

/** Implements times(2): clock ticks at USER_HZ = 100. */
export function sysTimes(context: SyscallContext, address: number): number {
  const task = context.task;
  const ticks = (ns: number): number => Math.floor(ns / 1e7);
  if (address && copyToUser(task.mm, address, words32(ticks(task.userTime), ticks(task.systemTime), ticks(task.childUserTime), ticks(task.childSystemTime))) < 0) return -EFAULT;
  return ticks(context.kernel.clock.monotonic()) >>> 0;
}

export const sysGetpid = (context: SyscallContext): number => context.task.tgid;
export const sysGettid = (context: SyscallContext): number => context.task.pid;
export const sysGetppid = (context: SyscallContext): number => {
  // Hot path (the null-syscall benchmark): a single-threaded process is its own group leader, no table lookup.
  const task = context.task;
  const leader = task.pid === task.tgid ? task : context.kernel.tasks.get(task.tgid) ?? task;
  return leader.parent?.tgid ?? 0;
};
export const sysGetuid = (context: SyscallContext): number => context.task.credentials.uid;
export const sysGeteuid = (context: SyscallContext): number => context.task.credentials.euid;
export const sysGetgid = (context: SyscallContext): number => context.task.credentials.gid;
export const sysGetegid = (context: SyscallContext): number => context.task.credentials.egid;

/** Implements setuid(2) for root: sets all three ids (man 2 setuid). */
export function sysSetuid(context: SyscallContext, uid: number): number {
  const c = context.task.credentials;
  if (c.euid !== 0 && uid !== c.uid && uid !== c.suid) return -EPERM;
  if (c.euid === 0) { c.uid = c.suid = uid; }
  c.euid = uid;
  return 0;
}

/** Implements setgid(2). */
export function sysSetgid(context: SyscallContext, gid: number): number {
  const c = context.task.credentials;
  if (c.euid !== 0 && gid !== c.gid && gid !== c.sgid) return -EPERM;
  if (c.euid === 0) { c.gid = c.sgid = gid; }
  c.egid = gid;
  return 0;
}

/** Implements getresuid(2) / getresgid(2). */
export function sysGetresuid(context: SyscallContext, r: number, e: number, s: number): number {
  const c = context.task.credentials;
  const mm = context.task.mm;
  return putUser32(mm, r, c.uid) || putUser32(mm, e, c.euid) || putUser32(mm, s, c.suid);
}

export function sysGetresgid(context: SyscallContext, r: number, e: number, s: number): number {
  const c = context.task.credentials;
  const mm = context.task.mm;
  return putUser32(mm, r, c.gid) || putUser32(mm, e, c.egid) || putUser32(mm, s, c.sgid);
}

/** Implements getgroups(2). */
export function sysGetgroups(context: SyscallContext, size: number, address: number): number {
  const groups = context.task.credentials.groups;
  if (size === 0) return groups.length;
  if (size < groups.length) return -EINVAL;
  return copyToUser(context.task.mm, address, words32(...groups)) < 0 ? -EFAULT : groups.length;
}

/** Implements setpgid(2) (kernel/sys.c): a process moves itself or a child into a group of its own session. */
export function sysSetpgid(context: SyscallContext, pid: number, group: number): number {
  const { kernel, task } = context;
  if ((group | 0) < 0) return -EINVAL;
  const caller = kernel.tasks.get(task.tgid) ?? task;
  const target = pid === 0 ? caller : kernel.tasks.get(pid);
  if (!target || target.state === TaskState.Zombie || target.state === TaskState.Dead) return -ESRCH;
  if (!target.isThreadGroupLeader) return -EINVAL;
  const newGroup = group === 0 ? target.pid : group;
  if (target.parent?.tgid === caller.tgid) {
    if (target.session !== caller.session) return -EPERM;
  } else if (target !== caller) {
    return -ESRCH;
  }
  if (target.session === target.pid) return -EPERM;
  if (newGroup !== target.pid && processGroupHolder(kernel, newGroup)?.session !== caller.session) return -EPERM;
  for (const thread of kernel.threadGroup(target.tgid)) thread.processGroup = newGroup;
  return 0;
}

/** Implements getpgid(2). */
export function sysGetpgid(context: SyscallContext, pid: number): number {
  const target = pid === 0 ? context.task : context.kernel.tasks.get(pid);
  return target && target.state !== TaskState.Dead ? target.processGroup : -ESRCH;
}

export const sysGetpgrp = (context: SyscallContext): number => context.task.processGroup;

/** Implements setsid(2): fails for a process group leader (a group with the new session's id exists). */
export function sysSetsid(context: SyscallContext): number {
  const { kernel, task } = context;
  if (processGroupHolder(kernel, task.tgid) !== null) return -EPERM;
  for (const thread of kernel.threadGroup(task.tgid)) thread.session = thread.processGroup = task.tgid;
  return task.tgid;
}

/** Implements getsid(2). */
export function sysGetsid(context: SyscallContext, pid: number): number {
  const target = pid === 0 ? context.task : context.kernel.tasks.get(pid);
  return target && target.state !== TaskState.Dead ? target.session : -ESRCH;
}

/** Implements set_tid_address(2). */
export function sysSetTidAddress(context: SyscallContext, address: number): number {
  context.task.clearChildTid = address;
  return context.task.pid;
}

/** Implements set_robust_list(2): the list head is stored (partial: not walked at exit). */
export function sysSetRobustList(context: SyscallContext, head: number, length: number): number {
  if (length !== 12) return -EINVAL;
  context.task.robustList = head;
  return 0;
}

/** Implements set_thread_area(2). */
export function sysSetThreadArea(context: SyscallContext, address: number): number {
  const { kernel, task } = context;
  const desc = decodeUserDesc(task.mm, address);
  if (typeof desc === 'number') return desc;
  const entry = installTls(task, desc, (chosen) => putUser32(task.mm, address, chosen));
  if (entry < 0) return entry;
  const [low, high] = task.tls[entry - 6]!;
  if (kernel.current === task) kernel.setTlsEntry(entry - 6, low, high);
  return 0;
}

/** Implements get_thread_area(2). */
export function sysGetThreadArea(context: SyscallContext, address: number): number {
  const bytes = copyFromUser(context.task.mm, address, 4);
  if (typeof bytes === 'number') return bytes;
  return readTls(context.task.mm, context.task, address, new DataView(bytes.buffer).getInt32(0, true));
}

const RLIM_INFINITY = 0xffffffff;
/** Default limits (include/asm-generic/resource.h INIT_RLIMITS): stack 8 MiB, nofile 1024, the rest infinite. */
function limitOf(resource: number): [number, number] {
  switch (resource) {
    case 3: return [8 * 1024 * 1024, RLIM_INFINITY];
    case 7: return [1024, 4096];
    case 4: return [0, RLIM_INFINITY];
    default: return [RLIM_INFINITY, RLIM_INFINITY];
  }
}

/** Implements prlimit64(2) (partial: new limits are accepted and not enforced). */
export function sysPrlimit64(context: SyscallContext, pid: number, resource: number, newLimit: number, oldLimit: number): number {
  if (pid !== 0 && !context.kernel.tasks.has(pid)) return -ESRCH;
  if (resource >= 16) return -EINVAL;
  if (oldLimit) {
    const [soft, hard] = limitOf(resource);
    const word64 = (x: number): number[] => (x === RLIM_INFINITY ? [0xffffffff, 0xffffffff] : [x, 0]);
    if (copyToUser(context.task.mm, oldLimit, words32(...word64(soft), ...word64(hard))) < 0) return -EFAULT;
  }
  void newLimit;
  return 0;
}

/** Implements ugetrlimit(2) / getrlimit(2). */
export function sysGetrlimit(context: SyscallContext, resource: number, address: number): number {
  if (resource >= 16) return -EINVAL;
  const [soft, hard] = limitOf(resource);
  return copyToUser(context.task.mm, address, words32(soft, hard));
}

/** Implements setrlimit(2) (partial: accepted, not enforced). */
export function sysSetrlimit(_context: SyscallContext, resource: number): number {
  return resource >= 16 ? -EINVAL : 0;
}

/** Implements sysinfo(2): struct sysinfo with mem_unit 1 (64 bytes on i386). */
export function sysSysinfo(context: SyscallContext, address: number): number {
  const buddy = context.kernel.pages.buddy;
  const out = new Uint8Array(64);
  // loads are avenrun scaled to SI_LOAD_SHIFT (16) from FSHIFT (11) bits, as do_sysinfo does.
  const loads = updateLoadAverage(context.kernel).averages.map((average) => average * 32);
  out.set(words32(Math.floor(context.kernel.clock.monotonic() / 1e9), loads[0]!, loads[1]!, loads[2]!, buddy.totalPageCount * 4096,
    buddy.freePageCount * 4096, 0, context.kernel.vfs.blockCache.cachedPages * 4096, 0, 0));
  const view = new DataView(out.buffer);
  view.setUint16(40, context.kernel.tasks.size, true);
  view.setUint32(52, 1, true);
  return copyToUser(context.task.mm, address, out);
}

const P_ALL = 0, P_PID = 1, P_PGID = 2;
const CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_STOPPED = 5, CLD_CONTINUED = 6;

/** Implements waitid(2): WEXITED, WSTOPPED, WCONTINUED, WNOHANG, WNOWAIT. */
export function sysWaitid(context: SyscallContext, idType: number, id: number, infoAddress: number, options: number): number {
  const task = context.task;
  if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE) >>> 0) return -EINVAL;
  if ((options & (WEXITED | WSTOPPED | WCONTINUED)) === 0) return -EINVAL;
  const pid = idType === P_ALL ? -1 : idType === P_PID ? id | 0 : idType === P_PGID ? -(id | 0) || 0 : NaN;
  if (Number.isNaN(pid) || (idType === P_PID && pid <= 0)) return -EINVAL;
  const result = waitChild(context.kernel, task, pid, options, () => {
    task.childEvents.add(task);
    return -ERESTARTSYS;
  });
  if (typeof result === 'number' && result < 0) return result;
  if (!infoAddress) return 0;
  const info = new Uint8Array(128);
  if (typeof result !== 'number') {
    // siginfo for SIGCHLD: si_code CLD_*, si_pid, si_uid, si_status (exit code or signal).
    const signaled = (result.status & 0x7f) !== 0;
    const [code, status] = result.kind === 'stopped' ? [CLD_STOPPED, (result.status >> 8) & 0xff]
      : result.kind === 'continued' ? [CLD_CONTINUED, SIGCONT]
        : !signaled ? [CLD_EXITED, (result.status >> 8) & 0xff] : [result.status & 0x80 ? CLD_DUMPED : CLD_KILLED, result.status & 0x7f];
    info.set(words32(SIGCHLD, 0, code, result.pid, 0, status));
  }
  return copyToUser(task.mm, infoAddress, info);
}

/** Implements personality(2): always PER_LINUX. */
export function sysPersonality(_context: SyscallContext, persona: number): number {
  return persona === 0xffffffff || persona === 0 ? 0 : -EINVAL;
}

/** Implements getcpu(2): one CPU, one node. */
export function sysGetcpu(context: SyscallContext, cpu: number, node: number): number {
  if (cpu && putUser32(context.task.mm, cpu, 0) < 0) return -EFAULT;
  if (node && putUser32(context.task.mm, node, 0) < 0) return -EFAULT;
  return 0;
}
