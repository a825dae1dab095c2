/**
 * The Completely Fair Scheduler (kernel/sched/fair.c): runnable tasks sit in a red-black
 * tree keyed by vruntime (runtime scaled by NICE_0_LOAD / weight, weights from
 * sched_prio_to_weight) with the leftmost cached; the running task is out of the tree
 * (set_next_entity) and goes back at put_prev. Slices share sched_latency (6 ms) by weight,
 * never below min_granularity (0.75 ms); both are scaled by 1 + ilog2(CPUs) = 1 here
 * (SCHED_TUNABLESCALING_LOG, one CPU). A woken task preempts when its vruntime is a
 * weighted wakeup granularity (1 ms) behind; a sleeper is placed at most half a latency
 * behind min_vruntime (GENTLE_FAIR_SLEEPERS); a new task starts one vslice ahead (START_DEBIT).
 */
import { assertNever } from '../../base/assert.js';
import { NICE_0_LOAD, SCHED_BATCH, SCHED_IDLE } from './policy.js';
import { RbTree } from './rb-tree.js';
import type { RbNode } from './rb-tree.js';
import type { SchedTask } from './sched-entity.js';
import { EnqueueReason } from './scheduler-ops.js';
import type { SchedulerOps } from './scheduler-ops.js';

const CPU_SCALING = 1; // 1 + ilog2(1 CPU)
export const SCHED_LATENCY_NS = 6_000_000 * CPU_SCALING;
export const SCHED_MIN_GRANULARITY_NS = 750_000 * CPU_SCALING;
export const SCHED_WAKEUP_GRANULARITY_NS = 1_000_000 * CPU_SCALING;
/** sched_nr_latency: above this many tasks the period stretches to nr * min_granularity. */
const SCHED_NR_LATENCY = SCHED_LATENCY_NS / SCHED_MIN_GRANULARITY_NS;

export class CfsScheduler<T extends SchedTask> implements SchedulerOps<T> {
  readonly type = 'cfs';
  readonly name = 'cfs';
  private readonly tree = new RbTree<T>((a, b) => a.sched.vruntime - b.sched.vruntime || a.sched.sequence - b.sched.sequence);
  private current: T | null = null;
  /** The task that yielded: the next pick passes it over once if another is queued (the skip buddy). */
  private skip: T | null = null;
  private sequence = 0;
  /** Monotonic floor of the vruntimes (cfs_rq->min_vruntime). */
  minVruntime = 0;
  /** Sum of the weights of the queued and running tasks (cfs_rq->load.weight). */
  private loadWeight = 0;

  get privateData(): { tree: RbTree<T>; minVruntime: number } { return { tree: this.tree, minVruntime: this.minVruntime }; }
  get runningCount(): number { return this.tree.size + (this.current ? 1 : 0); }

  init(): void { this.cleanup(); }

  addTask(task: T, reason: EnqueueReason = EnqueueReason.Wakeup): void {
    if (task === this.current || task.sched.runQueueNode !== null) return;
    this.placeEntity(task, reason);
    this.loadWeight += task.sched.weight;
    this.enqueue(task);
    this.updateMinVruntime();
  }

  removeTask(task: T): void {
    if (task === this.current) {
      this.current = null;
    } else {
      const node = this.nodeOf(task);
      if (!node) return;
      this.tree.remove(node);
      task.sched.runQueueNode = null;
    }
    if (this.skip === task) this.skip = null;
    this.loadWeight -= task.sched.weight;
    this.updateMinVruntime();
  }

  pickNextTask(): T | null {
    let node = this.tree.leftmost;
    if (node === null) return null;
    if (node.item === this.skip) node = this.tree.next(node) ?? node;
    this.skip = null;
    const task = node.item;
    this.tree.remove(node);
    task.sched.runQueueNode = null;
    this.current = task;
    task.sched.sliceRuntime = 0;
    task.sched.previousSumExecRuntime = task.sched.sumExecRuntime;
    return task;
  }

  putPrevTask(task: T): void {
    if (task !== this.current) return;
    this.current = null;
    this.enqueue(task);
  }

  chargeRuntime(task: T, nanoseconds: number): void {
    const entity = task.sched;
    entity.sliceRuntime += nanoseconds;
    entity.vruntime += this.toVirtual(nanoseconds, task);
    this.updateMinVruntime();
  }

  /** check_preempt_tick: the slice is used up, or the leftmost is more than a slice behind. */
  taskTick(task: T): boolean {
    if (task !== this.current) return false;
    const ideal = this.sliceOf(task);
    if (task.sched.sliceRuntime > ideal) return this.tree.size > 0;
    if (task.sched.sliceRuntime < SCHED_MIN_GRANULARITY_NS) return false;
    const leftmost = this.tree.leftmost;
    return leftmost !== null && task.sched.vruntime - leftmost.item.sched.vruntime > ideal;
  }

  yieldTask(task: T): void {
    if (this.tree.size > 0) this.skip = task;
  }

  /** check_preempt_wakeup and wakeup_preempt_entity. */
  checkPreemptWakeup(current: T, woken: T): boolean {
    if (current.sched.policy === SCHED_IDLE && woken.sched.policy !== SCHED_IDLE) return true;
    if (woken.sched.policy === SCHED_IDLE || woken.sched.policy === SCHED_BATCH) return false;
    const difference = current.sched.vruntime - woken.sched.vruntime;
    return difference > this.toVirtual(SCHED_WAKEUP_GRANULARITY_NS, woken);
  }

  /** The weight changed with nice or policy: the load follows (the task is dequeued while this runs). */
  priorityChanged(): void {
    // Nothing cached per task: addTask adds the new weight.
  }

  forkTask(parent: T, child: T): void {
    child.sched.vruntime = parent.sched.vruntime;
  }

  runnableTasks(): T[] { return this.current ? [this.current, ...this.tree.items()] : this.tree.items(); }

  timeSliceOf(task: T): number { return this.sliceOf(task); }

  debugLines(): string[] {
    return [
      `  .min_vruntime                  : ${(this.minVruntime / 1e6).toFixed(6)}`,
      `  .nr_running                    : ${this.runningCount}`,
      `  .load                          : ${this.loadWeight}`,
      `  .rb_leftmost                   : ${this.tree.leftmost?.item.pid ?? '-'}`,
    ];
  }

  cleanup(): void {
    for (const task of this.tree.items()) task.sched.runQueueNode = null;
    this.tree.clear();
    this.current = this.skip = null;
    this.loadWeight = 0;
    this.minVruntime = 0;
  }

  /** The red-black tree, for tests of its invariants. */
  get runQueueTree(): RbTree<T> { return this.tree; }

  private enqueue(task: T): void {
    task.sched.sequence = this.sequence++;
    task.sched.runQueueNode = this.tree.insert(task);
  }

  /** The task's node in this tree (the entity holds it, as Linux's sched_entity holds its rb_node). */
  private nodeOf(task: T): RbNode<T> | null {
    return task.sched.runQueueNode as RbNode<T> | null;
  }

  /** calc_delta_fair: wall nanoseconds to virtual ones at the task's weight. */
  private toVirtual(nanoseconds: number, task: T): number {
    const weight = task.sched.weight;
    return weight === NICE_0_LOAD ? nanoseconds : nanoseconds * NICE_0_LOAD / weight;
  }

  /** __sched_period and sched_slice: the latency target shared by weight. */
  private sliceOf(task: T): number {
    const queued = task === this.current || task.sched.runQueueNode !== null;
    const running = this.runningCount + (queued ? 0 : 1);
    const period = running > SCHED_NR_LATENCY ? running * SCHED_MIN_GRANULARITY_NS : SCHED_LATENCY_NS;
    const total = this.loadWeight + (queued ? 0 : task.sched.weight);
    return total > 0 ? period * task.sched.weight / total : period;
  }

  /** place_entity. */
  private placeEntity(task: T, reason: EnqueueReason): void {
    const entity = task.sched;
    switch (reason) {
      case EnqueueReason.New:
        // START_DEBIT: a new task owes one virtual slice, so forking cannot grab the CPU.
        entity.vruntime = Math.max(entity.vruntime, this.minVruntime + this.toVirtual(this.sliceOf(task), task));
        break;
      case EnqueueReason.Wakeup:
        // Sleeper credit, at most half a latency (GENTLE_FAIR_SLEEPERS); never back in time.
        entity.vruntime = Math.max(entity.vruntime, this.minVruntime - SCHED_LATENCY_NS / 2);
        break;
      case EnqueueReason.Migrate:
        entity.vruntime = this.minVruntime;
        break;
      default: assertNever(reason);
    }
  }

  /** update_min_vruntime: the smaller of the running and the leftmost, never decreasing. */
  private updateMinVruntime(): void {
    let vruntime = this.current?.sched.vruntime ?? Number.POSITIVE_INFINITY;
    const leftmost = this.tree.leftmost;
    if (leftmost !== null) vruntime = Math.min(vruntime, leftmost.item.sched.vruntime);
    if (vruntime !== Number.POSITIVE_INFINITY) this.minVruntime = Math.max(this.minVruntime, vruntime);
  }
}
