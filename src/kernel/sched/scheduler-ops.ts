/**
 * The scheduler interface of the IR0 guide (scheduler_ops_t: type, name, init, add_task,
 * pick_next_task, task_tick, cleanup, private_data) completed with what a real kernel needs,
 * as Linux's sched_class: dequeue on block (removeTask), put_prev_task, yield, the wakeup
 * preemption check, priority change, fork and exit hooks. Optional members may be left out
 * by a class that has nothing to do there. Generic over the task type so that sched/ stays
 * below proc/.
 */
export interface Schedulable {
  readonly pid: number;
  /** Nanoseconds left of the round-robin slice; owned by that class. */
  timeSlice: number;
}

/** Why a task is queued: a wakeup (sleeper credit, wakeup preemption), a new task, or a class change. */
export const EnqueueReason = { Wakeup: 0, New: 1, Migrate: 2 } as const;
export type EnqueueReason = (typeof EnqueueReason)[keyof typeof EnqueueReason];

export type SchedulerType = 'rr' | 'prio' | 'o1' | 'cfs' | 'rt' | 'core';

export interface SchedulerOps<T extends Schedulable> {
  readonly type?: SchedulerType;
  readonly name: string;
  init(): void;
  /** A task became runnable (new, woken, or moved from another class). */
  addTask(task: T, reason?: EnqueueReason): void;
  /** A task stopped being runnable (sleeps, exits), whether queued or running. */
  removeTask(task: T): void;
  /**
   * The next task to run; null when none is runnable. Under the scheduler core the picked task
   * becomes the class's running task until putPrevTask or removeTask; alone, it stays queued.
   */
  pickNextTask(): T | null;
  /** The running task stops running but stays runnable (preempted); it goes back in its queue. */
  putPrevTask?(task: T): void;
  /** Runtime charged to the running task, in nanoseconds of the kernel clock (update_curr). */
  chargeRuntime?(task: T, nanoseconds: number): void;
  /** A timer tick charged to `task`; true when it should be preempted. */
  taskTick(task: T): boolean;
  /** sched_yield: the task gives up the rest of its slice. */
  yieldTask?(task: T): void;
  /** True when `woken` should preempt the running `current` (check_preempt_curr). */
  checkPreemptWakeup?(current: T, woken: T): boolean;
  /** Nice or policy changed (the task is not queued while this runs). */
  priorityChanged?(task: T): void;
  /** A child was forked from `parent` and is about to be queued for the first time. */
  forkTask?(parent: T, child: T): void;
  /** The task exits (after removeTask). */
  exitTask?(task: T): void;
  /** Every task this class holds, queued or running (for the hot swap and /proc/sched_debug). */
  runnableTasks?(): T[];
  /** Nanoseconds of the slice a task gets (sched_rr_get_interval). */
  timeSliceOf?(task: T): number;
  /** Lines of /proc/sched_debug describing the class's run queue. */
  debugLines?(): string[];
  cleanup(): void;
  readonly privateData: unknown;
}
