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
import { exitRobustList } from './robust-list.js';
import { sendSignal } from './signal.js';
import { killOrphanedProcessGroups } from './job-control.js';
import type { Task } from './task.js';
import { releaseVforkParent, TaskState } from './task.js';

export const WNOHANG = 1;
export const WUNTRACED = 2;
export const WCONTINUED = 8;
/** waitid's names: WSTOPPED is WUNTRACED; WEXITED is implied by wait4. */
export const WSTOPPED = 2;
export const WEXITED = 4;
export const WNOWAIT = 0x01000000;
export const __WNOTHREAD = 0x20000000;
export const __WALL = 0x40000000;
export const __WCLONE = 0x80000000;

export const exitedStatus = (code: number): number => (code & 0xff) << 8;
export const killedStatus = (signal: number, core = false): number => (signal & 0x7f) | (core ? 0x80 : 0);
/** wait(2) statuses of job control: WIFSTOPPED (signal << 8 | 0x7f) and WIFCONTINUED (0xffff). */
export const stoppedStatus = (signal: number): number => ((signal & 0xff) << 8) | 0x7f;
export const CONTINUED_STATUS = 0xffff;

/** Hooks for what lives above proc/ (futex wake on clear_child_tid). */
export interface ExitHooks {
  futexWake(task: Task, address: number): void;
}

/**
 * Who adopts the children of an exiting task (kernel/exit.c find_new_reaper): a live thread of its group, else
 * the nearest live ancestor that set PR_SET_CHILD_SUBREAPER, else init.
 */
function findNewReaper(kernel: Kernel, task: Task): Task | null {
  const alive = (t: Task): boolean => t !== task && t.state !== TaskState.Zombie && t.state !== TaskState.Dead;
  for (const thread of kernel.tasks.values()) if (thread.tgid === task.tgid && alive(thread)) return thread;
  for (let ancestor = task.parent; ancestor !== null; ancestor = ancestor.parent) {
    const leader = kernel.tasks.get(ancestor.tgid) ?? ancestor;
    if (leader.prctl.childSubreaper !== 0 && alive(leader)) return leader;
  }
  const init = kernel.tasks.get(kernel.initPid);
  return init && init !== task ? init : null;
}

export function exitTask(kernel: Kernel, task: Task, status: number, hooks?: ExitHooks): void {
  if (task.state === TaskState.Zombie || task.state === TaskState.Dead) return;
  // kernel/fork.c mm_release: robust futexes first (futex_exit_release), then clear_child_tid.
  if (task.robustList !== 0) exitRobustList(task, (address) => hooks?.futexWake(task, address));
  if (task.clearChildTid) {
    // CLONE_CHILD_CLEARTID (kernel/fork.c mm_release): zero the tid word and wake one futex waiter.
    putUser32(task.mm, task.clearChildTid, 0);
    hooks?.futexWake(task, task.clearChildTid);
  }
  // Hot path of fork+exit: one pass over the task table, no array.
  let filesShared = false;
  let mmShared = false;
  for (const other of kernel.tasks.values()) {
    if (other === task || other.state === TaskState.Zombie || other.state === TaskState.Dead) continue;
    if (other.files === task.files) filesShared = true;
    if (other.mm === task.mm) mmShared = true;
  }
  if (!filesShared) task.files.closeAll();
  if (!mmShared) task.mm.destroy();
  kernel.scheduler.removeTask(task);
  releaseVforkParent(task);
  if (task.realTimer) { kernel.timers.cancel(task.realTimer.id); task.realTimer = null; }
  task.state = TaskState.Zombie;
  task.exitStatus = status;
  const reaper = findNewReaper(kernel, task);
  for (const child of task.children) {
    child.parent = reaper;
    child.parent?.children.add(child);
    // kernel/exit.c reparent_leader: "We don't want people slaying init" — an orphan's exit signal becomes SIGCHLD.
    if (child.isThreadGroupLeader) child.exitSignal = SIGCHLD;
    // PR_SET_PDEATHSIG: the child hears of its parent's death (forget_original_parent).
    if (child.prctl.parentDeathSignal !== 0) sendSignal(kernel, child, child.prctl.parentDeathSignal);
    if (child.state === TaskState.Zombie && child.parent) child.parent.childEvents.wakeAll();
  }
  const orphans = [...task.children];
  task.children.clear();
  if (task.isThreadGroupLeader) {
    // Job control (kernel/exit.c exit_notify): groups this exit orphans get SIGHUP + SIGCONT if stopped;
    // a session leader's exit disassociates its controlling terminal (disassociate_ctty).
    killOrphanedProcessGroups(kernel, task, orphans);
    if (task.session === task.pid) kernel.ttys?.sessionLeaderExit(task);
  }
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
  /** What is reported (waitid's si_code): exited or killed, stopped, continued. */
  readonly kind: 'exited' | 'stopped' | 'continued';
}

/**
 * wait4/waitid: reports a child matching `pid` (man 2 wait4: >0 that pid, -1 any, 0 same process
 * group, < -1 that group): a zombie (reaped unless WNOWAIT) with WEXITED, a stopped process not yet
 * reported with WUNTRACED, a continued one with WCONTINUED. Returns the result, 0 under WNOHANG when
 * nothing is ready, -ECHILD when no child matches, or -ERESTARTSYS after queueing.
 */
export function waitChild(kernel: Kernel, task: Task, pid: number, options: number, block: () => number): WaitResult | number {
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WEXITED | WNOWAIT | __WNOTHREAD | __WALL | __WCLONE) >>> 0) return -EINVAL;
  const group = pid === 0 ? task.processGroup : -pid;
  const matches = (child: Task): boolean => pid > 0 ? child.pid === pid : pid === -1 ? true : child.processGroup === group;
  // Children of any thread of the group count (POSIX: the process waits).
  const children: Task[] = [];
  for (const thread of kernel.tasks.values()) {
    if (thread.tgid !== task.tgid) continue;
    for (const child of thread.children) if (matches(child)) children.push(child);
  }
  if (children.length === 0) return -ECHILD;
  const consume = (options & WNOWAIT) === 0;
  // Options naming no event at all mean exits (wait4's callers; waitid always names its events).
  const exited = (options & WEXITED) !== 0 || (options & (WUNTRACED | WCONTINUED)) === 0;
  // Results are object literals, not spreads of a shared part: a spread of a non-literal object is a slow path in V8 (hot in fork+exit+wait).
  const report = (child: Task, status: number, kind: WaitResult['kind']): WaitResult =>
    ({ pid: child.pid, status, userTime: child.userTime, systemTime: child.systemTime, kind });
  for (const child of children) {
    if (child.state === TaskState.Zombie) {
      if (!exited || !child.isThreadGroupLeader) continue;
      if (!groupExited(kernel, child.tgid)) continue;
      const result = report(child, child.exitStatus, 'exited');
      if (!consume) return result;
      task.childUserTime += child.userTime + child.childUserTime;
      task.childSystemTime += child.systemTime + child.childSystemTime;
      release(kernel, child);
      return result;
    }
    if (options & WUNTRACED && child.stopReport !== 0 && child.state === TaskState.Stopped) {
      const result = report(child, stoppedStatus(child.stopReport), 'stopped');
      if (consume) child.stopReport = 0;
      return result;
    }
    if (options & WCONTINUED && child.continueReport) {
      if (consume) child.continueReport = false;
      return report(child, CONTINUED_STATUS, 'continued');
    }
  }
  return options & WNOHANG ? 0 : block();
}

/** Every thread of group `tgid` has exited. */
function groupExited(kernel: Kernel, tgid: number): boolean {
  for (const thread of kernel.tasks.values()) if (thread.tgid === tgid && thread.state !== TaskState.Zombie && thread.state !== TaskState.Dead) return false;
  return true;
}

/** A fatal signal's effect: the whole group dies with that status. */
export function killGroup(kernel: Kernel, task: Task, signal: number, core: boolean, hooks?: ExitHooks): void {
  exitGroup(kernel, task, killedStatus(signal, core && signal !== SIGKILL), hooks);
}
