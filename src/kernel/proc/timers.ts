/**
 * Kernel timers on the kernel clock (Linux's hrtimers, reduced): a deadline in
 * monotonic nanoseconds and a callback. The run loop fires expired timers
 * before each scheduling decision and, when nothing is runnable, advances the
 * clock to the earliest deadline (idle). Sleeps, poll timeouts and ITIMER_REAL use them.
 */
export interface Timer {
  readonly id: number;
  readonly deadline: number;
  readonly fire: () => void;
}

export class TimerQueue {
  private readonly timers: Timer[] = [];
  private nextId = 1;

  add(deadline: number, fire: () => void): number {
    const timer = { id: this.nextId++, deadline, fire };
    const index = this.timers.findIndex((t) => t.deadline > deadline);
    this.timers.splice(index < 0 ? this.timers.length : index, 0, timer);
    return timer.id;
  }

  cancel(id: number): void {
    const index = this.timers.findIndex((t) => t.id === id);
    if (index >= 0) this.timers.splice(index, 1);
  }

  /** The earliest deadline, or null. */
  get earliest(): number | null {
    return this.timers[0]?.deadline ?? null;
  }

  get size(): number { return this.timers.length; }

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
