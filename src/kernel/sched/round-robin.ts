/**
 * Round-robin scheduling (the IR0 guide's RR class): one FIFO run queue and equal slices of
 * RR_TIMESLICE_NS; a task whose slice ends, or that yields, goes to the back. The running task
 * stays at the head. A woken task that still has slice left goes to the head and preempts a
 * runner that has had RR_MIN_GRANULARITY_NS (at once, or at the next tick): sleepers get the CPU
 * within a tick instead of a round later. Equal shares hold because a slice is refilled only
 * when its task reaches the head by rotation: a task that used up its slice wakes at the back.
 * Private data: the run queue. Works alone (pickNextTask leaves the task queued; each tick then
 * counts as RR_TICK_NS of runtime) and under the scheduler core (which charges real runtime).
 */
import { TICK_NS as RR_TICK_NS } from './core.js';
import { EnqueueReason } from './scheduler-ops.js';
import type { Schedulable, SchedulerOps } from './scheduler-ops.js';

/** The slice in ticks of the scheduler core's 10 ms tick, and in nanoseconds. */
export const RR_TIMESLICE = 10;
export const RR_TIMESLICE_NS = RR_TIMESLICE * RR_TICK_NS;
/** A runner keeps the CPU this long after it was picked before a woken task takes it (as CFS's minimum granularity). */
export const RR_MIN_GRANULARITY_NS = 750_000;

export class RoundRobinScheduler<T extends Schedulable> implements SchedulerOps<T> {
  readonly type = 'rr';
  readonly name = 'rr';
  private readonly queue: T[] = [];
  /** The task last picked and its runtime since then (for the minimum granularity). */
  private running: T | null = null;
  private runningFor = 0;
  /** Runtime was charged since the last tick (under the core); alone, a tick stands for RR_TICK_NS. */
  private charged = false;

  /** `chargesTicks`: no scheduler core reports runtime, so each tick counts as one tick of it. */
  constructor(private readonly chargesTicks = true) {}

  get privateData(): readonly T[] { return this.queue; }

  init(): void { this.cleanup(); }

  addTask(task: T, reason: EnqueueReason = EnqueueReason.Wakeup): void {
    if (this.queue.includes(task)) return;
    if (reason === EnqueueReason.Wakeup && task.timeSlice > 0) {
      // The head, behind nothing: the running task resumes right after this one.
      this.queue.unshift(task);
      return;
    }
    if (reason === EnqueueReason.New) task.timeSlice = RR_TIMESLICE_NS;
    this.queue.push(task);
  }

  removeTask(task: T): void {
    const index = this.queue.indexOf(task);
    if (index >= 0) this.queue.splice(index, 1);
    if (task === this.running) this.running = null;
  }

  pickNextTask(): T | null {
    const task = this.queue[0] ?? null;
    if (task !== this.running) { this.running = task; this.runningFor = 0; }
    // Reached the head by rotation with its slice spent: a fresh slice.
    if (task !== null && task.timeSlice <= 0) task.timeSlice = RR_TIMESLICE_NS;
    return task;
  }

  putPrevTask(task: T): void {
    if (task === this.running) this.running = null;
  }

  chargeRuntime(task: T, nanoseconds: number): void {
    task.timeSlice -= nanoseconds;
    if (task === this.running) this.runningFor += nanoseconds;
    this.charged = true;
  }

  taskTick(task: T): boolean {
    if (this.chargesTicks && !this.charged) this.chargeRuntime(task, RR_TICK_NS);
    this.charged = false;
    if (task.timeSlice <= 0) {
      this.moveToBack(task);
      if (this.queue[0] !== task) return true;
      task.timeSlice = RR_TIMESLICE_NS; // alone: its turn again at once
      return false;
    }
    // A woken task waits at the head for the runner's minimum granularity.
    return this.queue[0] !== task && this.runningFor >= RR_MIN_GRANULARITY_NS;
  }

  yieldTask(task: T): void {
    task.timeSlice = 0;
    this.moveToBack(task);
  }

  /** A woken task at the head takes the CPU once the runner had its minimum granularity. */
  checkPreemptWakeup(current: T, woken: T): boolean {
    return this.queue[0] === woken && current === this.running && this.runningFor >= RR_MIN_GRANULARITY_NS;
  }

  runnableTasks(): T[] { return [...this.queue]; }

  timeSliceOf(): number { return RR_TIMESLICE_NS; }

  debugLines(): string[] {
    return [`  queue: ${this.queue.map((t) => t.pid).join(' ')}`];
  }

  cleanup(): void {
    this.queue.length = 0;
    this.running = null;
    this.runningFor = 0;
  }

  private moveToBack(task: T): void {
    const index = this.queue.indexOf(task);
    if (index >= 0) { this.queue.splice(index, 1); this.queue.push(task); }
  }
}
