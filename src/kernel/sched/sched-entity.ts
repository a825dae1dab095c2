/**
 * The per-task scheduling state (Linux's sched_entity plus task_struct's policy fields):
 * policy, priorities, CFS's vruntime and weight, the slices the other classes keep, the
 * run-queue links of the red-black tree, and the statistics /proc/[pid]/sched reports.
 * Owned by the scheduler; a task carries one from creation (Task.sched).
 */
import type { RbNode } from './rb-tree.js';
import { DEFAULT_PRIO, isRealtimePolicy, MAX_RT_PRIO, niceToPrio, niceToWeight, SCHED_IDLE, SCHED_OTHER, WEIGHT_IDLEPRIO } from './policy.js';

export class SchedEntity {
  policy = SCHED_OTHER;
  /** SCHED_FIFO/RR priority 1..99; 0 for the other policies. */
  rtPriority = 0;
  nice = 0;
  resetOnFork = false;
  /** The task is queued in (or running on) the run queue. */
  onRunQueue = false;
  /** Set by the fork hook until the first enqueue (CFS places new tasks with START_DEBIT). */
  isNew = false;

  // CFS (kernel/sched/fair.c)
  vruntime = 0;
  /** The node in the CFS run queue's tree while queued there (not while running), else null. */
  runQueueNode: RbNode<SchedTask> | null = null;
  /** Tie-break of equal vruntimes in the tree: insertion order. */
  sequence = 0;
  /** Runtime since this task was last picked (check_preempt_tick's delta_exec). */
  sliceRuntime = 0;
  /** sum_exec_runtime when the task was last picked. */
  previousSumExecRuntime = 0;

  // Round-robin, priority and O(1) classes: nanoseconds left of the slice.
  sliceLeft = 0;
  /** Priority and O(1): the effective priority 100..139 after aging or the interactivity bonus. */
  dynamicPriority = DEFAULT_PRIO;
  /** O(1): average sleep time in ns, capped at MAX_SLEEP_AVG (sleep_avg of Linux 2.6). */
  sleepAverage = 0;
  /** Priority class: ns spent waiting in the queue since it last ran (aging). */
  waitedSinceRun = 0;

  // Statistics (kernel/sched/debug.c proc_sched_show_task)
  execStart = 0;
  sumExecRuntime = 0;
  /** When the task went to sleep, and when it was last queued (wait time accounting). */
  sleepStart = 0;
  waitStart = 0;
  waitSum = 0;
  waitCount = 0;
  waitMax = 0;
  switches = 0;
  voluntarySwitches = 0;
  involuntarySwitches = 0;
  wakeups = 0;

  get realtime(): boolean { return isRealtimePolicy(this.policy); }
  /** Linux's task->prio: 99 - rt_priority for real-time tasks, 120 + nice otherwise. */
  get priority(): number { return this.realtime ? MAX_RT_PRIO - 1 - this.rtPriority : this.staticPriority; }
  get staticPriority(): number { return niceToPrio(this.nice); }
  get weight(): number { return this.policy === SCHED_IDLE ? WEIGHT_IDLEPRIO : niceToWeight(this.nice); }

  /** A forked child's state (kernel/sched/core.c sched_fork): policy and nice inherited unless reset-on-fork. */
  inheritFrom(parent: SchedEntity): void {
    this.policy = parent.policy;
    this.rtPriority = parent.rtPriority;
    this.nice = parent.nice;
    this.resetOnFork = parent.resetOnFork;
    if (parent.resetOnFork) {
      if (this.realtime) { this.policy = SCHED_OTHER; this.rtPriority = 0; }
      if (this.nice < 0) this.nice = 0;
      this.resetOnFork = false;
    }
    this.vruntime = parent.vruntime;
    this.sleepAverage = parent.sleepAverage;
    this.isNew = true;
  }
}

/** What the scheduling classes need of a task. */
export interface SchedTask {
  readonly pid: number;
  readonly comm: string;
  timeSlice: number;
  readonly sched: SchedEntity;
}
