/**
 * What procfs reads of a process (fs/proc/array.c helpers): its state letter, parent,
 * threads, times in clock ticks, controlling terminal and signal masks. A process is a
 * thread group named by its leader; /proc/PID/task/TID views one thread.
 */
import type { Kernel, Task } from '../../proc/index.js';
import { SIG_DFL, SIG_IGN, TaskState } from '../../proc/index.js';

/** USER_HZ: clock ticks per second of times, /proc/PID/stat and /proc/stat (AT_CLKTCK = 100). */
export const USER_HZ = 100;
export const ticks = (nanoseconds: number): number => Math.floor(nanoseconds / (1e9 / USER_HZ));

/** The state letter and name (fs/proc/array.c task_state_array). */
export function stateOf(task: Task): { letter: string; name: string } {
  switch (task.state) {
    case TaskState.Runnable: return { letter: 'R', name: 'running' };
    case TaskState.Sleeping: return task.uninterruptible ? { letter: 'D', name: 'disk sleep' } : { letter: 'S', name: 'sleeping' };
    case TaskState.Stopped: return { letter: 'T', name: 'stopped' };
    case TaskState.Zombie: return { letter: 'Z', name: 'zombie' };
    case TaskState.Dead: return { letter: 'X', name: 'dead' };
  }
}

/** Threads of the group that have not been released. */
export function threadsOf(kernel: Kernel, task: Task): Task[] {
  const group: Task[] = [];
  for (const other of kernel.tasks.values()) if (other.tgid === task.tgid && other.state !== TaskState.Dead) group.push(other);
  return group.length ? group : [task];
}

/** The process's parent (of its thread-group leader): 0 for init and orphans of nobody. */
export function parentPid(kernel: Kernel, task: Task): number {
  const leader = kernel.tasks.get(task.tgid) ?? task;
  return leader.parent?.tgid ?? 0;
}

/** tty_nr (new_encode_dev of the controlling terminal) and tpgid (its foreground group, -1 without one). */
export function terminalOf(kernel: Kernel, task: Task): { device: number; foregroundGroup: number } {
  const tty = kernel.ttys?.controllingTty(task) ?? null;
  if (!tty) return { device: 0, foregroundGroup: -1 };
  const major = tty.rdev >>> 8, minor = tty.rdev & 0xff;
  return { device: (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12), foregroundGroup: tty.foregroundGroup || -1 };
}

/** Ignored and caught signals as masks (collect_sigign_sigcatch). */
export function signalDispositions(task: Task): { ignored: bigint; caught: bigint } {
  let ignored = 0n, caught = 0n;
  task.signalHandlers.actions.forEach((action, signal) => {
    if (signal === 0) return;
    if (action.handler === SIG_IGN) ignored |= 1n << BigInt(signal - 1);
    else if (action.handler !== SIG_DFL) caught |= 1n << BigInt(signal - 1);
  });
  return { ignored, caught };
}

/** User and system time of one thread, or of the whole group when `whole` (thread_group_cputime). */
export function cpuTimes(kernel: Kernel, task: Task, whole: boolean): { user: number; system: number } {
  const tasks = whole ? threadsOf(kernel, task) : [task];
  let user = 0, system = 0;
  for (const thread of tasks) { user += thread.userTime; system += thread.systemTime; }
  return { user, system };
}
