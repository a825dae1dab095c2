/**
 * Wait queues (ARCHITECTURE.md rule 6, "blocking is a restart"): a syscall that
 * must wait adds the current task's waiter and returns ERESTARTSYS; `wakeAll`
 * makes every waiter runnable again, and each retries its syscall from the start.
 */
export interface Waiter {
  wake(): void;
}

export class WaitQueue {
  private readonly waiters = new Set<Waiter>();

  add(waiter: Waiter): void {
    this.waiters.add(waiter);
  }

  remove(waiter: Waiter): void {
    this.waiters.delete(waiter);
  }

  get size(): number { return this.waiters.size; }

  wakeAll(): void {
    // Hot path (every pipe read and write): most wakes find no waiter.
    if (this.waiters.size === 0) return;
    if (this.waiters.size === 1) {
      const [waiter] = this.waiters;
      this.waiters.clear();
      waiter!.wake();
      return;
    }
    const woken = [...this.waiters];
    this.waiters.clear();
    for (const waiter of woken) waiter.wake();
  }
}
