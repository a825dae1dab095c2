/**
 * Exit and wait (kernel/exit.c): a task releases its address space and files,
 * becomes a zombie holding its wait status, hands its children to init and
 * signals its parent; wait4 reaps zombies. Wait statuses are encoded as
 * wait(2) decodes them: exited (code << 8), killed (signal | 0x80 for a core).
 */
import { ECHILD, EINVAL } from '../lib/index.js';
import { putUser32 } from '../mm/index.js';
import type { Kernel } from './kernel-state.js';
import { SIG_IGN, SA_NOCLDWAIT, SIGCHLD, SIGKILL } from './signal-state.js';
import { sendSignal } from './signal.js';
import type { Task } from './task.js';
import { releaseVforkParent, TaskState } from './task.js';

export const WNOHANG = 1;
export const WUNTRACED = 2;
export const WCONTINUED = 8;
export const __WALL = 0x40000000;
export const __WCLONE = 0x80000000;

export const exitedStatus = (code: number): number => (code & 0xff) << 8;
export const killedStatus = (signal: number, core = false): number => (signal & 0x7f) | (core ? 0x80 : 0);

/** Hooks for what lives above proc/ (futex wake on clear_child_tid). */
export interface ExitHooks {
  futexWake(task: Task, address: number): void;
}

export function exitTask(kernel: Kernel, task: Task, status: number, hooks?: ExitHooks): void {
  if (task.state === TaskState.Zombie || task.state === TaskState.Dead) return;
  if (task.clearChildTid) {
    // CLONE_CHILD_CLEARTID (kernel/fork.c mm_release): zero the tid word and wake one futex waiter.
    putUser32(task.mm, task.clearChildTid, 0);
    hooks?.futexWake(task, task.clearChildTid);
  }
  const others = [...kernel.tasks.values()].filter((t) => t !== task && t.state !== TaskState.Zombie && t.state !== TaskState.Dead);
  if (!others.some((t) => t.files === task.files)) task.files.closeAll();
  if (!others.some((t) => t.mm === task.mm)) task.mm.destroy();
  kernel.scheduler.removeTask(task);
  releaseVforkParent(task);
  if (task.realTimer) { kernel.timers.cancel(task.realTimer.id); task.realTimer = null; }
  task.state = TaskState.Zombie;
  task.exitStatus = status;
  const init = kernel.tasks.get(kernel.initPid);
  for (const child of task.children) {
    child.parent = init && init !== task ? init : null;
    child.parent?.children.add(child);
    // kernel/exit.c reparent_leader: "We don't want people slaying init" — an orphan's exit signal becomes SIGCHLD.
    if (child.isThreadGroupLeader) child.exitSignal = SIGCHLD;
    if (child.state === TaskState.Zombie && child.parent) child.parent.childEvents.wakeAll();
  }
  task.children.clear();
  if (task.pid === kernel.initPid) {
    kernel.haltStatus = status;
    kernel.log.info(`init exited with status ${status.toString(16)}`);
  }
  const parent = task.parent;
  const action = parent?.signalHandlers.actions[SIGCHLD];
  const autoReap = !parent || task.exitSignal === 0 && !task.isThreadGroupLeader
    || (task.exitSignal === SIGCHLD && action !== undefined && (action.handler === SIG_IGN || (action.flags & SA_NOCLDWAIT) !== 0));
  if (autoReap) {
    release(kernel, task);
    return;
  }
  if (task.exitSignal) sendSignal(kernel, parent, task.exitSignal);
  parent.childEvents.wakeAll();
}

/** exit_group: every thread of the group exits with the same status. */
export function exitGroup(kernel: Kernel, task: Task, status: number, hooks?: ExitHooks): void {
  for (const thread of kernel.threadGroup(task.tgid)) if (thread !== task) exitTask(kernel, thread, status, hooks);
  exitTask(kernel, task, status, hooks);
}

/** Frees a zombie's pid and removes it from its parent (release_task). */
export function release(kernel: Kernel, task: Task): void {
  task.state = TaskState.Dead;
  task.parent?.children.delete(task);
  kernel.tasks.delete(task.pid);
  kernel.pids.release(task.pid);
  if (kernel.current === task) kernel.current = null;
}

export interface WaitResult {
  readonly pid: number;
  readonly status: number;
  readonly userTime: number;
  readonly systemTime: number;
}

/**
 * wait4: reaps a zombie child matching `pid` (man 2 wait4: >0 that pid, -1 any,
 * 0 same process group, < -1 that group). Returns the result, 0 under WNOHANG
 * when none has exited, -ECHILD when none matches, or -ERESTARTSYS after queueing.
 */
export function waitChild(kernel: Kernel, task: Task, pid: number, options: number, block: () => number): WaitResult | number {
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE) >>> 0) return -EINVAL;
  const group = pid === 0 ? task.processGroup : -pid;
  const matches = (child: Task): boolean => pid > 0 ? child.pid === pid : pid === -1 ? true : child.processGroup === group;
  // Children of any thread of the group count (POSIX: the process waits).
  const children = kernel.threadGroup(task.tgid).flatMap((t) => [...t.children]).filter(matches);
  if (children.length === 0) return -ECHILD;
  const zombie = children.find((c) => c.state === TaskState.Zombie && (c.isThreadGroupLeader && kernel.threadGroup(c.tgid).every((t) => t.state === TaskState.Zombie || t.state === TaskState.Dead)));
  if (!zombie) return options & WNOHANG ? 0 : block();
  const result = { pid: zombie.pid, status: zombie.exitStatus, userTime: zombie.userTime, systemTime: zombie.systemTime };
  task.childUserTime += zombie.userTime + zombie.childUserTime;
  task.childSystemTime += zombie.systemTime + zombie.childSystemTime;
  release(kernel, zombie);
  return result;
}

/** A fatal signal's effect: the whole group dies with that status. */
export function killGroup(kernel: Kernel, task: Task, signal: number, core: boolean, hooks?: ExitHooks): void {
  exitGroup(kernel, task, killedStatus(signal, core && signal !== SIGKILL), hooks);
}
