/**
 * The scheduler interface of the IR0 guide (scheduler_ops_t: init, add_task,
 * pick_next_task, task_tick, cleanup, private_data) plus what blocking needs
 * (remove_task when a task sleeps or exits). Classes are chosen at boot by
 * `sched=` on the command line. Generic over the task type so that sched/
 * stays below proc/.
 */
export interface Schedulable {
  readonly pid: number;
  /** Ticks left in the current slice; owned by the scheduler class. */
  timeSlice: number;
}

export interface SchedulerOps<T extends Schedulable> {
  readonly name: string;
  init(): void;
  /** A task became runnable (new, woken, or preempted). */
  addTask(task: T): void;
  /** A task stopped being runnable (sleeps, exits). */
  removeTask(task: T): void;
  /** The next task to run, which stays queued; null when none is runnable. */
  pickNextTask(): T | null;
  /** A timer tick charged to `task`; true when it should be preempted. */
  taskTick(task: T): boolean;
  cleanup(): void;
  readonly privateData: unknown;
}
