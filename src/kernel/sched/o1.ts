/**
 * The O(1) scheduler of Linux 2.6 (kernel/sched.c, 2.6.22): an active and an expired
 * priority array of 140 levels with bitmaps. A task whose slice ends goes to the expired
 * array, unless it is interactive and the expired tasks are not starving, then it requeues
 * in the active array; when the active array empties the two swap. Slices grow with
 * priority (task_timeslice: 800 ms at nice -20, 100 ms at 0, 5 ms at 19). The interactivity
 * bonus: sleep_avg rises while a task sleeps and falls while it runs (capped at 1 s); the
 * dynamic priority is the static one minus (bonus - 5), bonus 0..10 (effective_prio). As in
 * 2.6.22's recalc_task_prio, one long sleep lifts sleep_avg only to the INTERACTIVE_SLEEP ceiling;
 * running drains it divided by the current bonus (schedule()); a child starts with 95% of its
 * parent's bonus (CHILD_PENALTY). A woken task queues at the tail of its level and preempts a
 * runner of lower dynamic priority (TASK_PREEMPTS_CURR): interactive tasks preempt hogs.
 */
import { MAX_PRIO, MAX_RT_PRIO, SCHED_BATCH, SCHED_IDLE } from './policy.js';
import { PriorityArray } from './priority-array.js';
import type { SchedTask } from './sched-entity.js';
import type { SchedulerOps } from './scheduler-ops.js';

const MS = 1_000_000;
const MAX_BONUS = 10;
const DEF_TIMESLICE_NS = 100 * MS;
const MAX_SLEEP_AVG_NS = DEF_TIMESLICE_NS * MAX_BONUS;
const STARVATION_LIMIT_NS = MAX_SLEEP_AVG_NS;
const INTERACTIVE_DELTA = 2;
const CHILD_PENALTY = 95;

/** task_timeslice: (MAX_PRIO - static_prio) scaled by 20 ms above nice 0, 5 ms at and below. */
export function o1TimeSlice(staticPriority: number): number {
  return (MAX_PRIO - staticPriority) * (staticPriority < 120 ? 20 : 5) * MS;
}

export class O1Scheduler<T extends SchedTask> implements SchedulerOps<T> {
  readonly type = 'o1';
  readonly name = 'o1';
  private active = new PriorityArray<T>(MAX_PRIO);
  private expired = new PriorityArray<T>(MAX_PRIO);
  private readonly inExpired = new Set<T>();
  /** Clock of the queue (sum of charged runtime): when the first task expired, for EXPIRED_STARVING. */
  private now = 0;
  private expiredSince: number | null = null;

  get privateData(): { active: PriorityArray<T>; expired: PriorityArray<T> } { return { active: this.active, expired: this.expired }; }

  init(): void { this.cleanup(); }

  addTask(task: T): void {
    if (this.holds(task)) return;
    const entity = task.sched;
    // recalc_task_prio: the time asleep raises sleep_avg (the sleep length is known to the core).
    if (entity.sleepStart > 0 && entity.waitStart > entity.sleepStart && entity.policy !== SCHED_BATCH) {
      const sleep = entity.waitStart - entity.sleepStart;
      const ceiling = this.interactiveSleep(task);
      // One long sleep reaches the ceiling only: a task cannot take the best priority from one nap.
      if (sleep > ceiling && entity.sleepAverage < ceiling) entity.sleepAverage = ceiling;
      else entity.sleepAverage = Math.min(MAX_SLEEP_AVG_NS, entity.sleepAverage + sleep);
    }
    entity.dynamicPriority = this.effectivePriority(task);
    if (entity.sliceLeft <= 0) entity.sliceLeft = o1TimeSlice(this.staticLevel(task));
    this.active.pushBack(entity.dynamicPriority, task);
  }

  removeTask(task: T): void {
    if (this.inExpired.delete(task)) this.expired.remove(task.sched.dynamicPriority, task);
    else this.active.remove(task.sched.dynamicPriority, task);
  }

  pickNextTask(): T | null {
    if (this.active.count === 0 && this.expired.count > 0) {
      // The array switch: every expired task has a fresh slice.
      [this.active, this.expired] = [this.expired, this.active];
      this.inExpired.clear();
      this.expiredSince = null;
    }
    return this.active.first();
  }

  chargeRuntime(task: T, nanoseconds: number): void {
    const entity = task.sched;
    entity.sliceLeft -= nanoseconds;
    // schedule(): run_time / CURRENT_BONUS: the more interactive, the slower the bonus drains.
    entity.sleepAverage = Math.max(0, entity.sleepAverage - nanoseconds / Math.max(1, this.currentBonus(task)));
    this.now += nanoseconds;
  }

  /** scheduler_tick for SCHED_NORMAL: the slice ends; interactive tasks may stay active. */
  taskTick(task: T): boolean {
    const entity = task.sched;
    if (this.inExpired.has(task)) return true;
    if (entity.sliceLeft > 0) return this.active.firstLevel() < entity.dynamicPriority;
    this.active.remove(entity.dynamicPriority, task);
    entity.dynamicPriority = this.effectivePriority(task);
    entity.sliceLeft = o1TimeSlice(this.staticLevel(task));
    if (this.isInteractive(task) && !this.expiredStarving()) {
      this.active.pushBack(entity.dynamicPriority, task);
    } else {
      this.expiredSince ??= this.now;
      this.expired.pushBack(entity.dynamicPriority, task);
      this.inExpired.add(task);
    }
    return this.active.first() !== task;
  }

  /** sys_sched_yield of 2.6: the task goes to the expired array. */
  yieldTask(task: T): void {
    if (this.inExpired.has(task) || !this.active.remove(task.sched.dynamicPriority, task)) return;
    this.expiredSince ??= this.now;
    this.expired.pushBack(task.sched.dynamicPriority, task);
    this.inExpired.add(task);
  }

  /** wake_up_new_task: the child starts with CHILD_PENALTY percent of its parent's bonus. */
  forkTask(parent: T, child: T): void {
    const bonus = Math.floor(this.currentBonus(parent) * CHILD_PENALTY / 100);
    child.sched.sleepAverage = bonus * MAX_SLEEP_AVG_NS / MAX_BONUS;
  }

  checkPreemptWakeup(current: T, woken: T): boolean {
    return woken.sched.dynamicPriority < current.sched.dynamicPriority;
  }

  runnableTasks(): T[] { return [...this.active.all(), ...this.expired.all()]; }

  timeSliceOf(task: T): number { return o1TimeSlice(this.staticLevel(task)); }

  debugLines(): string[] {
    return [`  active: ${this.active.all().map((t) => `${t.pid}@${t.sched.dynamicPriority}`).join(' ')}`,
      `  expired: ${this.expired.all().map((t) => `${t.pid}@${t.sched.dynamicPriority}`).join(' ')}`];
  }

  cleanup(): void {
    this.active.clear();
    this.expired.clear();
    this.inExpired.clear();
    this.expiredSince = null;
  }

  private holds(task: T): boolean {
    return this.inExpired.has(task) || this.active.level(task.sched.dynamicPriority).includes(task);
  }

  private staticLevel(task: T): number {
    return task.sched.policy === SCHED_IDLE ? MAX_PRIO - 1 : task.sched.staticPriority;
  }

  /** CURRENT_BONUS: sleep_avg in tenths of its maximum, 0..10. */
  private currentBonus(task: T): number {
    return Math.floor(task.sched.sleepAverage * MAX_BONUS / MAX_SLEEP_AVG_NS);
  }

  /** INTERACTIVE_SLEEP: the sleep_avg one bonus level short of TASK_INTERACTIVE (800 ms at nice 0). */
  private interactiveSleep(task: T): number {
    return MAX_SLEEP_AVG_NS * (MAX_BONUS / 2 + this.delta(task) + 1) / MAX_BONUS - MS;
  }

  /** DELTA(p): SCALE(nice + 20, 40, MAX_BONUS) - MAX_BONUS / 2 + INTERACTIVE_DELTA, in C's integer arithmetic. */
  private delta(task: T): number {
    return Math.floor((task.sched.nice + 20) * MAX_BONUS / 40) - MAX_BONUS / 2 + INTERACTIVE_DELTA;
  }

  /** effective_prio: static priority minus (CURRENT_BONUS - MAX_BONUS / 2), within 100..139. */
  private effectivePriority(task: T): number {
    const bonus = this.currentBonus(task) - MAX_BONUS / 2;
    return Math.max(MAX_RT_PRIO, Math.min(MAX_PRIO - 1, this.staticLevel(task) - bonus));
  }

  /** TASK_INTERACTIVE: the bonus reaches nice / 4 + INTERACTIVE_DELTA levels. */
  private isInteractive(task: T): boolean {
    return task.sched.dynamicPriority <= this.staticLevel(task) - this.delta(task);
  }

  /** EXPIRED_STARVING: the expired tasks have waited STARVATION_LIMIT per runnable task. */
  private expiredStarving(): boolean {
    return this.expiredSince !== null && this.now - this.expiredSince >= STARVATION_LIMIT_NS * (this.active.count + this.expired.count);
  }
}
