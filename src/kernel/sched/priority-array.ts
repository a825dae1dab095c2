/**
 * A priority array (Linux 2.6's struct prio_array): one FIFO list per priority
 * level and a bitmap of the non-empty levels, so the highest priority (lowest
 * number) is found in O(1) with a find-first-set over 5 words (sched_find_first_bit).
 */
export class PriorityArray<T> {
  private readonly queues: T[][];
  private readonly bitmap: Uint32Array;
  count = 0;

  constructor(readonly levels: number) {
    this.queues = Array.from({ length: levels }, () => []);
    this.bitmap = new Uint32Array(Math.ceil(levels / 32));
  }

  /** The lowest non-empty level, or -1. */
  firstLevel(): number {
    for (let word = 0; word < this.bitmap.length; word++) {
      const bits = this.bitmap[word]!;
      // Lowest set bit: 31 - clz(bits & -bits).
      if (bits !== 0) return word * 32 + 31 - Math.clz32(bits & -bits);
    }
    return -1;
  }

  /** The lowest non-empty level at or after `from`, or -1. */
  nextLevel(from: number): number {
    for (let word = from >>> 5; word < this.bitmap.length; word++) {
      // The bits of `from`'s word below it are masked off (a shift of 32 would be a shift of 0).
      const bits = word === from >>> 5 ? this.bitmap[word]! & (-1 << (from & 31)) : this.bitmap[word]!;
      if (bits !== 0) return word * 32 + 31 - Math.clz32(bits & -bits);
    }
    return -1;
  }

  first(): T | null {
    const level = this.firstLevel();
    return level < 0 ? null : this.queues[level]![0]!;
  }

  pushBack(level: number, task: T): void { this.queues[level]!.push(task); this.mark(level); }
  pushFront(level: number, task: T): void { this.queues[level]!.unshift(task); this.mark(level); }

  /** Removes `task` from `level`; false when it was not there. */
  remove(level: number, task: T): boolean {
    const queue = this.queues[level]!;
    const index = queue.indexOf(task);
    if (index < 0) return false;
    // Hot path (every block and preemption): shift down in place; splice allocates its result.
    for (let i = index + 1; i < queue.length; i++) queue[i - 1] = queue[i]!;
    queue.length--;
    this.count--;
    if (queue.length === 0) this.bitmap[level >>> 5]! &= ~(1 << (level & 31));
    return true;
  }

  /** Every queued task, highest priority first. Hot path (aging runs it per charge): only the levels the bitmap marks. */
  all(): T[] {
    const out: T[] = [];
    if (this.count === 0) return out;
    for (let word = 0; word < this.bitmap.length; word++) {
      let bits = this.bitmap[word]!;
      while (bits !== 0) {
        const bit = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        for (const task of this.queues[word * 32 + bit]!) out.push(task);
      }
    }
    return out;
  }

  /** Per-level contents, for aging passes and debug output. */
  level(level: number): readonly T[] { return this.queues[level]!; }

  clear(): void {
    for (const queue of this.queues) queue.length = 0;
    this.bitmap.fill(0);
    this.count = 0;
  }

  private mark(level: number): void {
    this.count++;
    this.bitmap[level >>> 5]! |= 1 << (level & 31);
  }
}
