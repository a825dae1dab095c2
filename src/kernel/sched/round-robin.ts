/**
 * Round-robin scheduling (the IR0 guide's RR class): one FIFO run queue and equal slices of
 * RR_TIMESLICE_NS; a task whose slice ends, or that yields, goes to the back. The running task
 * stays at the head. A woken task that still has slice left goes to the head and preempts a
 * runner that has had RR_MIN_GRANULARITY_NS (at once, or at the next tick): sleepers get the CPU
 * within a tick instead of a round later. Equal shares hold because a slice is refilled only
 * when its task reaches the head by rotation, or when it wakes and its last slice began a whole
 * round of slices ago (n + 1 for n queued tasks: it took no more than its share): a task that
 * used up its slice and napped wakes at the back.
 * Private data: the run queue. Works alone (pickNextTask leaves the task queued; each tick then
 * counts as RR_TICK_NS of runtime) and under the scheduler core (which charges real runtime).
 */
import { TICK_NS as RR_TICK_NS } from './core.js';
import { EnqueueReason } from './scheduler-ops.js';
import type { Schedulable, SchedulerOps } from './scheduler-ops.js';

/**
 * The slice: 40 ms, ten ticks of HZ 250 (what the class gave when it counted ticks). Not Linux's
 * 100 ms SCHED_RR slice, so that shares are even over short windows too (four hogs over one second
 * get 7, 6, 6 and 6 slices, not 3, 3, 2 and 2); not shorter, because rr is the default class and
 * a new task then usually gets through exec before its first preemption. Wakeup latency does not
 * depend on it: sleepers go to the head.
 */
export const RR_TIMESLICE_NS = 4 * RR_TICK_NS;
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
  /** All runtime charged so far, and its value when each task's slice began (weak: exits just drop out). */
  private cpuTime = 0;
  private sliceStart = new WeakMap<T, number>();

  /** `chargesTicks`: no scheduler core reports runtime, so each tick counts as one tick of it. */
  constructor(private readonly chargesTicks = true) {}

  get privateData(): readonly T[] { return this.queue; }

  init(): void { this.cleanup(); }

  addTask(task: T, reason: EnqueueReason = EnqueueReason.Wakeup): void {
    if (this.queue.includes(task)) return;
    if (task.timeSlice <= 0 && reason === EnqueueReason.Wakeup) {
      // Its slice began a round ago: a fresh one takes no more than its share.
      const start = this.sliceStart.get(task);
      if (start !== undefined && this.cpuTime - start >= RR_TIMESLICE_NS * (this.queue.length + 1)) this.refill(task);
    }
    if (reason === EnqueueReason.Wakeup && task.timeSlice > 0) {
      // The head, behind nothing: the running task resumes right after this one.
      this.queue.unshift(task);
      return;
    }
    if (reason === EnqueueReason.New) { task.timeSlice = 0; this.refill(task); }
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
    if (task !== null && task.timeSlice <= 0) this.refill(task);
    return task;
  }

  putPrevTask(task: T): void {
    if (task === this.running) this.running = null;
  }

  chargeRuntime(task: T, nanoseconds: number): void {
    task.timeSlice -= nanoseconds;
    this.cpuTime += nanoseconds;
    if (task === this.running) this.runningFor += nanoseconds;
    this.charged = true;
  }

  taskTick(task: T): boolean {
    if (this.chargesTicks && !this.charged) this.chargeRuntime(task, RR_TICK_NS);
    this.charged = false;
    if (task.timeSlice <= 0) {
      this.moveToBack(task);
      if (this.queue[0] !== task) return true;
      this.refill(task); // alone: its turn again at once
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
    this.sliceStart = new WeakMap<T, number>();
  }

  /**
   * A fresh slice for a task whose slice is spent. A whole one, as Linux's SCHED_RR (task_tick_rt):
   * the overrun to the next tick is not paid back (it is a tenth of the slice at most), and on the
   * host clock a loaded host can stretch a slice far past its tick; a shortened next slice then
   * preempted new tasks in exec (the procfs test's 'sleep 2 &' child was seen running).
   */
  private refill(task: T): void {
    task.timeSlice = RR_TIMESLICE_NS;
    this.sliceStart.set(task, this.cpuTime);
  }

  private moveToBack(task: T): void {
    const index = this.queue.indexOf(task);
    if (index >= 0) { this.queue.splice(index, 1); this.queue.push(task); }
  }
}
