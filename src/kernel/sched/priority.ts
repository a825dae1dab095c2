/**
 * The priority scheduler (the IR0 guide's priority class): 140 levels as Linux numbers them
 * (0-99 real-time, 100-139 = nice -20..19; under the core real-time tasks live in the RT class,
 * so this class fills 100-139), a bitmap for O(1) selection, strict priority with round-robin
 * inside a level, and aging against starvation: every AGING_STEP_NS a queued task waits behind
 * a runner of higher priority, its effective priority rises one level, up to the runner's (at
 * the same level it takes turns); it falls back to its static priority when its slice ends.
 * A nice 19 task behind nice -20 hogs so reaches their level within 39 steps.
 * Wakeups: a woken task that has slice left goes to the head of its level and preempts a runner
 * of lower priority at once, one of its own level once that runner had PRIORITY_MIN_GRANULARITY_NS
 * (at once or at the next tick). A slice is refilled when its task is picked with the slice spent,
 * or when it wakes and that slice began a round of slices of its level ago (no more than its
 * share), so napping cannot buy a task more than one slice per turn of its level.
 */
import { MAX_PRIO, MAX_RT_PRIO, SCHED_IDLE } from './policy.js';
import { PriorityArray } from './priority-array.js';
import type { SchedTask } from './sched-entity.js';
import { EnqueueReason } from './scheduler-ops.js';
import type { SchedulerOps } from './scheduler-ops.js';

/** The slice: one aging step (20 ms), so that equal tasks share evenly over short windows as well. */
export const PRIORITY_TIMESLICE_NS = 20_000_000;
export const AGING_STEP_NS = 20_000_000;
export const PRIORITY_MIN_GRANULARITY_NS = 750_000;

export class PriorityScheduler<T extends SchedTask> implements SchedulerOps<T> {
  readonly type = 'prio';
  readonly name = 'prio';
  private readonly array = new PriorityArray<T>(MAX_PRIO);
  private current: T | null = null;
  /** Runtime of `current` since it was picked (for the minimum granularity). */
  private runningFor = 0;
  /** All runtime charged so far, and its value when each task's slice began (weak: exits just drop out). */
  private cpuTime = 0;
  private sliceStart = new WeakMap<T, number>();

  get privateData(): PriorityArray<T> { return this.array; }

  init(): void { this.cleanup(); }

  addTask(task: T, reason: EnqueueReason = EnqueueReason.Wakeup): void {
    const entity = task.sched;
    if (this.array.level(entity.dynamicPriority).includes(task)) return;
    entity.dynamicPriority = this.staticLevel(task);
    entity.waitedSinceRun = 0;
    if (entity.sliceLeft <= 0 && reason === EnqueueReason.Wakeup) {
      // Its slice began a round of its level ago: a fresh one takes no more than its share.
      const start = this.sliceStart.get(task);
      const round = PRIORITY_TIMESLICE_NS * (this.array.level(entity.dynamicPriority).length + 1);
      if (start !== undefined && this.cpuTime - start >= round) this.refill(task);
    }
    if (reason === EnqueueReason.Wakeup && entity.sliceLeft > 0) {
      this.array.pushFront(entity.dynamicPriority, task);
      return;
    }
    if (reason === EnqueueReason.New) { entity.sliceLeft = 0; this.refill(task); }
    this.array.pushBack(entity.dynamicPriority, task);
  }

  removeTask(task: T): void {
    this.array.remove(task.sched.dynamicPriority, task);
    if (task === this.current) this.current = null;
  }

  pickNextTask(): T | null {
    const task = this.array.first();
    if (task !== this.current) { this.current = task; this.runningFor = 0; }
    if (task) {
      task.sched.waitedSinceRun = 0;
      if (task.sched.sliceLeft <= 0) this.refill(task);
    }
    return task;
  }

  putPrevTask(task: T): void {
    if (task === this.current) this.current = null;
  }

  chargeRuntime(task: T, nanoseconds: number): void {
    task.sched.sliceLeft -= nanoseconds;
    this.cpuTime += nanoseconds;
    if (task === this.current) this.runningFor += nanoseconds;
    if (this.array.count > 1) this.age(task, nanoseconds);
  }

  /** Slice end: back to the static level, behind its peers; or a higher level (or a woken peer) is waiting. */
  taskTick(task: T): boolean {
    const entity = task.sched;
    if (entity.sliceLeft <= 0) {
      this.array.remove(entity.dynamicPriority, task);
      entity.dynamicPriority = this.staticLevel(task);
      this.array.pushBack(entity.dynamicPriority, task);
      if (this.array.first() !== task) return true;
      this.refill(task); // first again: its next turn starts now
      return false;
    }
    const first = this.array.firstLevel();
    if (first < entity.dynamicPriority) return true;
    return this.array.first() !== task && this.runningFor >= PRIORITY_MIN_GRANULARITY_NS;
  }

  yieldTask(task: T): void {
    if (this.array.remove(task.sched.dynamicPriority, task)) this.array.pushBack(task.sched.dynamicPriority, task);
  }

  checkPreemptWakeup(current: T, woken: T): boolean {
    const level = woken.sched.dynamicPriority;
    if (level !== current.sched.dynamicPriority) return level < current.sched.dynamicPriority;
    return current === this.current && this.array.first() === woken && this.runningFor >= PRIORITY_MIN_GRANULARITY_NS;
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
    this.runningFor = 0;
    this.sliceStart = new WeakMap<T, number>();
  }

  /** A fresh slice, less the overrun of the spent one (up to a quarter slice, more than a tick): slices end at ticks, which favour no one so. */
  private refill(task: T): void {
    task.sched.sliceLeft = PRIORITY_TIMESLICE_NS + Math.max(task.sched.sliceLeft, -PRIORITY_TIMESLICE_NS / 4);
    this.sliceStart.set(task, this.cpuTime);
  }

  private staticLevel(task: T): number {
    return task.sched.policy === SCHED_IDLE ? MAX_PRIO - 1 : task.sched.staticPriority;
  }

  /**
   * The queued tasks below the runner's level waited `nanoseconds`: each whole step raises one a
   * level, never past the runner's. Hot path (every charge): only the levels the bitmap marks,
   * no allocation; a task that rises moves to a level already visited.
   */
  private age(running: T, nanoseconds: number): void {
    const ceiling = Math.max(MAX_RT_PRIO, running.sched.dynamicPriority);
    for (let level = this.array.nextLevel(ceiling + 1); level >= 0; level = this.array.nextLevel(level + 1)) {
      const queue = this.array.level(level);
      for (let index = 0; index < queue.length;) {
        const task = queue[index]!;
        const entity = task.sched;
        entity.waitedSinceRun += nanoseconds;
        const steps = Math.min(Math.floor(entity.waitedSinceRun / AGING_STEP_NS), level - ceiling);
        if (steps === 0 || task === running) { index++; continue; }
        entity.waitedSinceRun -= steps * AGING_STEP_NS;
        this.array.remove(level, task);
        entity.dynamicPriority = level - steps;
        this.array.pushBack(entity.dynamicPriority, task);
      }
    }
  }
}
