/**
 * Round-robin scheduling (the IR0 guide's RR class): one FIFO run queue, a
 * fixed time slice of RR_TIMESLICE ticks; a task whose slice ends goes to the
 * back. Private data: the run queue.
 */
import type { Schedulable, SchedulerOps } from './scheduler-ops.js';

export const RR_TIMESLICE = 10;

export class RoundRobinScheduler<T extends Schedulable> implements SchedulerOps<T> {
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
    // Rotate: the task goes to the back of the queue.
    const index = this.queue.indexOf(task);
    if (index >= 0) { this.queue.splice(index, 1); this.queue.push(task); }
    return this.queue.length > 1;
  }

  cleanup(): void {
    this.queue.length = 0;
  }
}

export function createScheduler<T extends Schedulable>(name: string): SchedulerOps<T> | null {
  switch (name) {
    case 'rr': return new RoundRobinScheduler<T>();
    default: return null;
  }
}
