/**
 * The scheduler core (kernel/sched/core.c for one CPU): the real-time class always runs
 * ahead of the fair class (round-robin, priority, O(1) or CFS, swappable while the system
 * runs). It keeps the running task until a tick, a wakeup or a yield sets need_resched,
 * charges runtime from the kernel clock to the running task's class (update_curr), and
 * keeps the statistics of /proc/[pid]/sched. It implements SchedulerOps itself, so the
 * kernel holds one object. Tick: the run loop calls taskTick when a slice of instructions
 * ends; a task that makes syscalls more often than that never reaches the end of the
 * slice, so pickNextTask also ticks when TICK_NS of clock passed since the last tick.
 */
import { isRealtimePolicy, MAX_NICE, MIN_NICE } from './policy.js';
import { RealtimeScheduler } from './realtime.js';
import type { SchedTask } from './sched-entity.js';
import { EnqueueReason } from './scheduler-ops.js';
import type { SchedulerOps } from './scheduler-ops.js';

/** The scheduler tick (HZ = 100) when the run loop does not deliver one sooner. */
export const TICK_NS = 10_000_000;

export class SchedulerCore<T extends SchedTask> implements SchedulerOps<T> {
  readonly type = 'core';
  readonly realtime = new RealtimeScheduler<T>();
  /** The task running on the CPU (rq->curr); null when idle or after it blocked. */
  current: T | null = null;
  needResched = false;
  /** Context switches (rq->nr_switches) and hot swaps done. */
  switches = 0;
  swaps = 0;
  private nextTick = 0;
  private fastPicks = 0;
  /**
   * The clock when the running task blocked, if no other operation read it since: the pick that
   * follows uses it instead of reading the clock again (a blocking switch reads it twice, not three
   * times; the kernel's few hundred ns between the two go to the next task, as a switch's cost would).
   */
  private blockedAt = -1;

  constructor(public fair: SchedulerOps<T>, private readonly clock: () => number) {}

  get name(): string { return this.fair.name; }
  get privateData(): { realtime: RealtimeScheduler<T>; fair: SchedulerOps<T> } { return { realtime: this.realtime, fair: this.fair }; }

  classOf(task: T): SchedulerOps<T> { return task.sched.realtime ? this.realtime : this.fair; }

  init(): void {
    this.realtime.init();
    this.fair.init();
  }

  addTask(task: T, reason?: EnqueueReason): void {
    const entity = task.sched;
    if (entity.onRunQueue) return;
    const now = this.clock();
    this.blockedAt = -1;
    entity.onRunQueue = true;
    entity.waitStart = now;
    const why = reason ?? (entity.isNew ? EnqueueReason.New : EnqueueReason.Wakeup);
    if (why === EnqueueReason.Wakeup) entity.wakeups++;
    entity.isNew = false;
    if (this.current) this.updateCurrent(now);
    this.classOf(task).addTask(task, why);
    if (this.current && this.current !== task && this.shouldPreempt(this.current, task)) this.needResched = true;
  }

  removeTask(task: T): void {
    const entity = task.sched;
    if (!entity.onRunQueue) return;
    const now = this.clock();
    if (task === this.current) {
      this.updateCurrent(now);
      this.current = null;
      entity.voluntarySwitches++;
      this.blockedAt = now;
    }
    this.classOf(task).removeTask(task);
    entity.onRunQueue = false;
    entity.sleepStart = now;
  }

  pickNextTask(): T | null {
    // Hot path: the running task keeps the CPU until something asks for a reschedule.
    const current = this.current;
    if (current !== null && !this.needResched) {
      // The clock (the host's, on a host-time run) is read every 32nd call: ticks stay within ~32 syscalls of exact.
      if ((++this.fastPicks & 31) !== 0 || this.clock() < this.nextTick) return current;
      this.taskTick(current);
      if (!this.needResched) return current;
    }
    const now = current === null && this.blockedAt >= 0 ? this.blockedAt : this.clock();
    this.blockedAt = -1;
    if (current !== null) {
      this.updateCurrent(now);
      this.classOf(current).putPrevTask?.(current);
      current.sched.waitStart = now;
    }
    this.needResched = false;
    // Hot path: the real-time queues are usually empty; skip their bitmap scan then.
    const next = (this.realtime.count > 0 ? this.realtime.pickNextTask() : null) ?? this.fair.pickNextTask();
    this.current = next;
    if (next === null) return null;
    const entity = next.sched;
    entity.execStart = now;
    if (next !== current) {
      if (current !== null) current.sched.involuntarySwitches++;
      this.switches++;
      entity.switches++;
      const waited = now - entity.waitStart;
      entity.waitSum += waited;
      entity.waitCount++;
      entity.waitMax = Math.max(entity.waitMax, waited);
    }
    if (this.nextTick <= now) this.nextTick = now + TICK_NS;
    return next;
  }

  taskTick(task: T): boolean {
    const now = this.clock();
    this.nextTick = now + TICK_NS;
    if (task !== this.current) return this.needResched;
    this.updateCurrent(now);
    if (this.classOf(task).taskTick(task)) this.needResched = true;
    return this.needResched;
  }

  yieldTask(task: T): void {
    if (task !== this.current) return;
    this.updateCurrent(this.clock());
    this.classOf(task).yieldTask?.(task);
    this.needResched = true;
  }

  checkPreemptWakeup(current: T, woken: T): boolean { return this.shouldPreempt(current, woken); }

  forkTask(parent: T, child: T): void {
    child.sched.inheritFrom(parent.sched);
    if (!child.sched.realtime) this.fair.forkTask?.(parent, child);
  }

  exitTask(task: T): void {
    this.removeTask(task);
    this.classOf(task).exitTask?.(task);
  }

  /**
   * Changes policy, real-time priority and nice (__sched_setscheduler): the task leaves its
   * class's queue, changes, and is queued again, in the real-time class if it became real-time.
   */
  setParameters(task: T, policy: number, rtPriority: number, nice: number): void {
    const entity = task.sched;
    const queued = entity.onRunQueue;
    const running = task === this.current;
    const oldClass = this.classOf(task);
    if (queued) {
      if (running) this.updateCurrent(this.clock());
      oldClass.removeTask(task);
    }
    entity.policy = policy;
    entity.rtPriority = isRealtimePolicy(policy) ? rtPriority : 0;
    entity.nice = Math.max(MIN_NICE, Math.min(MAX_NICE, nice));
    const newClass = this.classOf(task);
    newClass.priorityChanged?.(task);
    if (queued) {
      newClass.addTask(task, newClass === oldClass ? EnqueueReason.Wakeup : EnqueueReason.Migrate);
      if (running) {
        // The running task must be the class's running task again: pick order decides anew.
        this.needResched = true;
      } else if (this.current && this.shouldPreempt(this.current, task)) {
        this.needResched = true;
      }
    }
  }

  /**
   * The hot swap: every task of the fair class moves to `next`, which becomes the fair class;
   * the running task is put back first, so none is lost. Real-time tasks are not affected.
   */
  swapFairClass(next: SchedulerOps<T>): void {
    if (this.current && !this.current.sched.realtime) {
      this.updateCurrent(this.clock());
      this.fair.putPrevTask?.(this.current);
      this.current = null;
    }
    const tasks = this.fair.runnableTasks?.() ?? [];
    this.fair.cleanup();
    next.init();
    for (const task of tasks) next.addTask(task, EnqueueReason.Migrate);
    this.fair = next;
    this.needResched = true;
    this.swaps++;
  }

  runnableTasks(): T[] { return [...this.realtime.runnableTasks(), ...(this.fair.runnableTasks?.() ?? [])]; }

  timeSliceOf(task: T): number { return this.classOf(task).timeSliceOf?.(task) ?? TICK_NS; }

  debugLines(): string[] {
    return [
      `cpu#0`,
      `  .nr_running                    : ${this.runnableTasks().length}`,
      `  .nr_switches                   : ${this.switches}`,
      `  .curr->pid                     : ${this.current?.pid ?? 0}`,
      `  .sched_class                   : ${this.fair.name}`,
      `  .hot_swaps                     : ${this.swaps}`,
      ``,
      `rt_rq[0]:`,
      ...this.realtime.debugLines(),
      ``,
      `${this.fair.name}_rq[0]:`,
      ...(this.fair.debugLines?.() ?? []),
    ];
  }

  cleanup(): void {
    this.realtime.cleanup();
    this.fair.cleanup();
    this.current = null;
  }

  /** Real-time wakers preempt fair runners; inside a class the class decides (check_preempt_curr). */
  private shouldPreempt(current: T, woken: T): boolean {
    if (woken.sched.realtime) return this.realtime.checkPreemptWakeup(current, woken);
    if (current.sched.realtime) return false;
    return this.fair.checkPreemptWakeup?.(current, woken) ?? false;
  }

  /** update_curr: the running task's runtime since execStart goes to its statistics and class. */
  private updateCurrent(now: number): void {
    const current = this.current;
    if (current === null) return;
    const delta = now - current.sched.execStart;
    if (delta <= 0) return;
    current.sched.execStart = now;
    current.sched.sumExecRuntime += delta;
    this.classOf(current).chargeRuntime?.(current, delta);
  }
}
