/**
 * The real-time class (kernel/sched/rt.c): SCHED_FIFO and SCHED_RR tasks in 100 priority
 * queues with a bitmap; the highest priority runs. A FIFO task runs until it blocks, yields
 * or a higher priority wakes; an RR task also goes to the back of its level after
 * RR_TIMESLICE (100 ms, include/linux/sched/rt.h). The running task stays at the head of
 * its level, so a preempted task resumes first. The core runs this class ahead of the fair one.
 */
import { MAX_RT_PRIO, SCHED_RR } from './policy.js';
import { PriorityArray } from './priority-array.js';
import type { SchedTask } from './sched-entity.js';
import type { SchedulerOps } from './scheduler-ops.js';

export const RT_TIMESLICE_NS = 100_000_000;

export class RealtimeScheduler<T extends SchedTask> implements SchedulerOps<T> {
  readonly type = 'rt';
  readonly name = 'rt';
  private readonly array = new PriorityArray<T>(MAX_RT_PRIO);

  get privateData(): PriorityArray<T> { return this.array; }
  get count(): number { return this.array.count; }

  init(): void { this.array.clear(); }

  addTask(task: T): void {
    if (this.array.level(task.sched.priority).includes(task)) return;
    task.sched.sliceLeft = RT_TIMESLICE_NS;
    this.array.pushBack(task.sched.priority, task);
  }

  removeTask(task: T): void { this.array.remove(task.sched.priority, task); }

  pickNextTask(): T | null { return this.array.first(); }

  chargeRuntime(task: T, nanoseconds: number): void {
    if (task.sched.policy === SCHED_RR) task.sched.sliceLeft -= nanoseconds;
  }

  /** task_tick_rt: only SCHED_RR slices expire; the task requeues behind its peers. */
  taskTick(task: T): boolean {
    const entity = task.sched;
    if (entity.policy !== SCHED_RR || entity.sliceLeft > 0) return false;
    entity.sliceLeft = RT_TIMESLICE_NS;
    if (this.array.level(entity.priority).length <= 1) return false;
    this.array.remove(entity.priority, task);
    this.array.pushBack(entity.priority, task);
    return true;
  }

  yieldTask(task: T): void {
    if (this.array.remove(task.sched.priority, task)) this.array.pushBack(task.sched.priority, task);
  }

  checkPreemptWakeup(current: T, woken: T): boolean {
    return !current.sched.realtime || woken.sched.priority < current.sched.priority;
  }

  runnableTasks(): T[] { return this.array.all(); }

  timeSliceOf(task: T): number { return task.sched.policy === SCHED_RR ? RT_TIMESLICE_NS : 0; }

  debugLines(): string[] {
    return [`  .rt_nr_running                 : ${this.array.count}`];
  }

  cleanup(): void { this.array.clear(); }
}
