/**
 * Kernel timers on the kernel clock (Linux's hrtimers, reduced): a deadline in
 * monotonic nanoseconds and a callback, kept ordered by deadline. With a
 * clock-event device (kernel/time/) the queue tells it whenever a new timer
 * becomes the earliest, and expiry runs from the device's interrupt; without
 * one (bare kernels in unit tests) the run loop polls and skips virtual time.
 * Sleeps, poll timeouts, ITIMER_REAL, timerfds and POSIX timers use them.
 */
export interface Timer {
  readonly id: number;
  readonly deadline: number;
  readonly fire: () => void;
}

export class TimerQueue {
  private readonly timers: Timer[] = [];
  private nextId = 1;
  /** Set by the clock-event code: the earliest deadline moved earlier (program the device). Null: the run loop polls. */
  onEarliestChanged: (() => void) | null = null;
  /** Tickless idle (set by the clock-event code): the CPU goes idle / comes back from idle. */
  enterIdle: () => void = () => {};
  exitIdle: () => void = () => {};

  add(deadline: number, fire: () => void): number {
    const timer = { id: this.nextId++, deadline, fire };
    // Binary search for the first later deadline: equal deadlines fire in the order they were added.
    let low = 0, high = this.timers.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.timers[middle]!.deadline <= deadline) low = middle + 1; else high = middle;
    }
    this.timers.splice(low, 0, timer);
    if (low === 0 && this.onEarliestChanged) this.onEarliestChanged();
    return timer.id;
  }

  cancel(id: number): void {
    const index = this.timers.findIndex((t) => t.id === id);
    if (index >= 0) this.timers.splice(index, 1);
  }

  has(id: number): boolean {
    return this.timers.some((t) => t.id === id);
  }

  /** The earliest deadline, or null. */
  get earliest(): number | null {
    return this.timers[0]?.deadline ?? null;
  }

  get size(): number { return this.timers.length; }

  /** Whether the run loop must expire timers itself (no clock-event device drives them). */
  get needsPolling(): boolean { return this.onEarliestChanged === null && this.timers.length > 0; }

  /** Fires every timer whose deadline has passed; returns how many fired. */
  expire(now: number): number {
    let fired = 0;
    while (this.timers.length > 0 && this.timers[0]!.deadline <= now) {
      this.timers.shift()!.fire();
      fired++;
    }
    return fired;
  }

  clear(): void {
    this.timers.length = 0;
  }
}
