/**
 * Wait queues (ARCHITECTURE.md rule 6, "blocking is a restart"): a syscall that
 * must wait adds the current task's waiter and returns ERESTARTSYS; `wakeAll`
 * makes every waiter runnable again, and each retries its syscall from the start.
 */
export interface Waiter {
  wake(): void;
}

export class WaitQueue {
  /**
   * The waiters in the order they came, each once. An array, not a Set: a queue holds a few
   * waiters at most, and a pipe wakes its queue on every read and write (a Set's iterator
   * allocates on each wake).
   */
  private readonly waiters: Waiter[] = [];

  add(waiter: Waiter): void {
    if (!this.waiters.includes(waiter)) this.waiters.push(waiter);
  }

  remove(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) this.waiters.splice(index, 1);
  }

  get size(): number { return this.waiters.length; }

  wakeAll(): void {
    const waiters = this.waiters;
    // Hot path (every pipe read and write): most wakes find no waiter, or one.
    if (waiters.length === 0) return;
    if (waiters.length === 1) {
      // pop(), not `length = 0`: V8 stores to an array's length through a runtime call.
      waiters.pop()!.wake();
      return;
    }
    const woken = waiters.splice(0);
    for (const waiter of woken) waiter.wake();
  }
}
