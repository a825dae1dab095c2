/**
 * The priority scheduler (the IR0 guide's priority class): 140 levels as Linux numbers
 * them (0-99 real-time, 100-139 = nice -20..19; under the core real-time tasks live in the
 * RT class, so this class fills 100-139), a bitmap for O(1) selection, strict priority with
 * round-robin inside a level, and aging against starvation: every AGING_STEP_NS a queued
 * task waits, its effective priority rises one level; it falls back to its static priority
 * when its slice ends. A nice 19 task behind nice -20 hogs so reaches their level within
 * 39 steps and then takes turns with them.
 */
import { MAX_PRIO, SCHED_IDLE } from './policy.js';
import { PriorityArray } from './priority-array.js';
import type { SchedTask } from './sched-entity.js';
import type { SchedulerOps } from './scheduler-ops.js';

export const PRIORITY_TIMESLICE_NS = 100_000_000;
export const AGING_STEP_NS = 20_000_000;

export class PriorityScheduler<T extends SchedTask> implements SchedulerOps<T> {
  readonly type = 'prio';
  readonly name = 'prio';
  private readonly array = new PriorityArray<T>(MAX_PRIO);
  private current: T | null = null;

  get privateData(): PriorityArray<T> { return this.array; }

  init(): void { this.cleanup(); }

  addTask(task: T): void {
    const entity = task.sched;
    if (this.array.level(entity.dynamicPriority).includes(task)) return;
    entity.dynamicPriority = this.staticLevel(task);
    entity.sliceLeft = PRIORITY_TIMESLICE_NS;
    entity.waitedSinceRun = 0;
    this.array.pushBack(entity.dynamicPriority, task);
  }

  removeTask(task: T): void {
    this.array.remove(task.sched.dynamicPriority, task);
    if (task === this.current) this.current = null;
  }

  pickNextTask(): T | null {
    const task = this.array.first();
    this.current = task;
    if (task) task.sched.waitedSinceRun = 0;
    return task;
  }

  putPrevTask(task: T): void {
    if (task === this.current) this.current = null;
  }

  chargeRuntime(task: T, nanoseconds: number): void {
    task.sched.sliceLeft -= nanoseconds;
    this.age(task, nanoseconds);
  }

  /** Slice end: back to the static level, behind its peers; or a higher level is waiting. */
  taskTick(task: T): boolean {
    const entity = task.sched;
    if (entity.sliceLeft <= 0) {
      this.array.remove(entity.dynamicPriority, task);
      entity.dynamicPriority = this.staticLevel(task);
      entity.sliceLeft = PRIORITY_TIMESLICE_NS;
      this.array.pushBack(entity.dynamicPriority, task);
      return this.array.first() !== task;
    }
    return this.array.firstLevel() < entity.dynamicPriority;
  }

  yieldTask(task: T): void {
    if (this.array.remove(task.sched.dynamicPriority, task)) this.array.pushBack(task.sched.dynamicPriority, task);
  }

  checkPreemptWakeup(current: T, woken: T): boolean {
    return woken.sched.dynamicPriority < current.sched.dynamicPriority;
  }

  runnableTasks(): T[] { return this.array.all(); }

  timeSliceOf(): number { return PRIORITY_TIMESLICE_NS; }

  debugLines(): string[] {
    const levels: string[] = [];
    for (let level = 0; level < MAX_PRIO; level++) {
      const queue = this.array.level(level);
      if (queue.length > 0) levels.push(`  prio ${level}: ${queue.map((t) => t.pid).join(' ')}`);
    }
    return levels;
  }

  cleanup(): void {
    this.array.clear();
    this.current = null;
  }

  private staticLevel(task: T): number {
    return task.sched.policy === SCHED_IDLE ? MAX_PRIO - 1 : task.sched.staticPriority;
  }

  /** Every queued task but the runner waited `nanoseconds`: each whole step raises it one level. */
  private age(running: T, nanoseconds: number): void {
    if (this.array.count <= 1) return;
    for (const task of this.array.all()) {
      if (task === running) continue;
      const entity = task.sched;
      entity.waitedSinceRun += nanoseconds;
      while (entity.waitedSinceRun >= AGING_STEP_NS && entity.dynamicPriority > 100) {
        entity.waitedSinceRun -= AGING_STEP_NS;
        this.array.remove(entity.dynamicPriority, task);
        entity.dynamicPriority--;
        this.array.pushBack(entity.dynamicPriority, task);
      }
    }
  }
}
