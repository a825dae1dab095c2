/**
 * Round-robin scheduling (the IR0 guide's RR class): one FIFO run queue, a
 * fixed time slice of RR_TIMESLICE ticks; a task whose slice ends, or that
 * yields, goes to the back. The running task stays at the head of the queue.
 * Private data: the run queue. Works alone (pickNextTask leaves the task queued)
 * and under the scheduler core.
 */
import type { Schedulable, SchedulerOps } from './scheduler-ops.js';

export const RR_TIMESLICE = 10;

export class RoundRobinScheduler<T extends Schedulable> implements SchedulerOps<T> {
  readonly type = 'rr';
  readonly name = 'rr';
  private readonly queue: T[] = [];

  get privateData(): readonly T[] { return this.queue; }

  init(): void {
    this.queue.length = 0;
  }

  addTask(task: T): void {
    if (this.queue.includes(task)) return;
    task.timeSlice = RR_TIMESLICE;
    this.queue.push(task);
  }

  removeTask(task: T): void {
    const index = this.queue.indexOf(task);
    if (index >= 0) this.queue.splice(index, 1);
  }

  pickNextTask(): T | null {
    return this.queue[0] ?? null;
  }

  taskTick(task: T): boolean {
    if (--task.timeSlice > 0) return false;
    task.timeSlice = RR_TIMESLICE;
    this.moveToBack(task);
    return this.queue.length > 1;
  }

  yieldTask(task: T): void {
    task.timeSlice = RR_TIMESLICE;
    this.moveToBack(task);
  }

  runnableTasks(): T[] { return [...this.queue]; }

  /** RR_TIMESLICE ticks of the 100 Hz tick (10 ms each). */
  timeSliceOf(): number { return RR_TIMESLICE * 10_000_000; }

  debugLines(): string[] {
    return [`  queue: ${this.queue.map((t) => t.pid).join(' ')}`];
  }

  cleanup(): void {
    this.queue.length = 0;
  }

  private moveToBack(task: T): void {
    const index = this.queue.indexOf(task);
    if (index >= 0) { this.queue.splice(index, 1); this.queue.push(task); }
  }
}
