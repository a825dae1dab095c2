/**
 * Job control (kernel/signal.c do_signal_stop / prepare_signal, kernel/exit.c
 * kill_orphaned_pgrp): stop signals stop every thread of a process and tell
 * the parent (SIGCHLD with CLD_STOPPED, wait's WUNTRACED); SIGCONT resumes
 * them (CLD_CONTINUED, WCONTINUED); a process group left with no parent in
 * another group of its session is orphaned: its stopped jobs get SIGHUP and
 * SIGCONT, and terminal stop signals to it are discarded.
 */
import type { Kernel } from './kernel-state.js';
import { SIG_IGN, SIGCONT, SIGHUP, signalBit, SIGSTOP } from './signal-state.js';
import { leaderOf, notifyParent } from './job-continue.js';
import { sendSignal } from './signal.js';
import type { Task } from './task.js';
import { TaskState } from './task.js';

const alive = (task: Task): boolean => task.state !== TaskState.Zombie && task.state !== TaskState.Dead;

/**
 * A process of `group`, zombies included, or null: the group exists while any member holds its id,
 * until that member is reaped (Linux's find_vpid + pid_task(PIDTYPE_PGID), as setpgid, setsid and
 * TIOCSPGRP look it up). A pipeline's first command may exit before the next one joins its group.
 */
export function processGroupHolder(kernel: Kernel, group: number): Task | null {
  for (const task of kernel.tasks.values()) if (task.isThreadGroupLeader && task.state !== TaskState.Dead && task.processGroup === group) return task;
  return null;
}

/** Processes (thread-group leaders still alive) of process group `group`. */
export function processGroupMembers(kernel: Kernel, group: number): Task[] {
  const members: Task[] = [];
  for (const task of kernel.tasks.values()) if (task.isThreadGroupLeader && alive(task) && task.processGroup === group) members.push(task);
  return members;
}

/** kill_pgrp: `signal` to every process of `group`; false when the group is empty. */
export function signalProcessGroup(kernel: Kernel, group: number, signal: number): boolean {
  const members = processGroupMembers(kernel, group);
  for (const member of members) sendSignal(kernel, member, signal);
  return members.length > 0;
}

/** is_ignored() of the tty code: `signal` is blocked or SIG_IGN for `task`. */
export function signalIgnoredOrBlocked(task: Task, signal: number): boolean {
  return (task.blocked & signalBit(signal)) !== 0n || task.signalHandlers.actions[signal]!.handler === SIG_IGN;
}

/**
 * will_become_orphaned_pgrp: no member (but `ignored`) has a parent in another group of the same
 * session; init as a parent does not count (POSIX.1 "orphaned process group").
 */
export function isOrphanedProcessGroup(kernel: Kernel, group: number, ignored: Task | null = null): boolean {
  for (const member of processGroupMembers(kernel, group)) {
    if (member === ignored) continue;
    const parent = member.parent;
    if (!parent || parent.tgid === kernel.initPid) continue;
    if (parent.processGroup !== group && parent.session === member.session) return false;
  }
  return true;
}

function hasStoppedJobs(kernel: Kernel, group: number): boolean {
  return processGroupMembers(kernel, group).some((member) => kernel.threadGroup(member.tgid).some((t) => t.state === TaskState.Stopped));
}

/**
 * The default action of a stop signal taken by `task` (do_signal_stop): every thread stops. Terminal
 * stop signals (SIGTSTP/SIGTTIN/SIGTTOU) to an orphaned process group are discarded (get_signal).
 */
export function stopProcess(kernel: Kernel, task: Task, signal: number): boolean {
  if (signal !== SIGSTOP && isOrphanedProcessGroup(kernel, task.processGroup)) return false;
  const leader = leaderOf(kernel, task);
  for (const thread of kernel.threadGroup(task.tgid)) {
    if (!alive(thread) || thread.vforkWaiting || thread.state === TaskState.Stopped) continue;
    kernel.scheduler.removeTask(thread);
    thread.state = TaskState.Stopped;
  }
  leader.stopReport = signal;
  leader.continueReport = false;
  notifyParent(kernel, leader, sendSignal);
  return true;
}

/**
 * kill_orphaned_pgrp at exit: `task`'s own group, and each child's group, if the exit orphans it
 * while it has stopped jobs, gets SIGHUP then SIGCONT. Call after the children were reparented.
 */
export function killOrphanedProcessGroups(kernel: Kernel, task: Task, children: readonly Task[]): void {
  const orphanAndWake = (group: number): void => {
    signalProcessGroup(kernel, group, SIGHUP);
    signalProcessGroup(kernel, group, SIGCONT);
  };
  const parent = task.parent;
  if (parent && parent.processGroup !== task.processGroup && parent.session === task.session
    && isOrphanedProcessGroup(kernel, task.processGroup, task) && hasStoppedJobs(kernel, task.processGroup)) {
    orphanAndWake(task.processGroup);
  }
  const done = new Set<number>();
  for (const child of children) {
    const group = child.processGroup;
    if (done.has(group) || group === task.processGroup || child.session !== task.session) continue;
    done.add(group);
    if (isOrphanedProcessGroup(kernel, group) && hasStoppedJobs(kernel, group)) orphanAndWake(group);
  }
}
