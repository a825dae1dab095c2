/**
 * Choosing the scheduler class: `sched=rr|prio|o1|cfs|auto` at boot (auto follows the IR0
 * guide: more than 1000 free pages CFS, more than 100 the priority class, else round-robin)
 * and the hot swap of a running system (setSchedulerClass, behind
 * /proc/sys/kernel/sched_class and `ir0 run --sched`).
 */
import { CfsScheduler } from './cfs.js';
import { SchedulerCore } from './core.js';
import { O1Scheduler } from './o1.js';
import { PriorityScheduler } from './priority.js';
import { RoundRobinScheduler } from './round-robin.js';
import type { SchedTask } from './sched-entity.js';
import type { SchedulerOps } from './scheduler-ops.js';

export const SCHEDULER_CLASSES = ['rr', 'prio', 'o1', 'cfs'] as const;

/** The fair class called `name`, or null. */
export function createSchedulerClass<T extends SchedTask>(name: string): SchedulerOps<T> | null {
  switch (name) {
    case 'rr': return new RoundRobinScheduler<T>(false);
    case 'prio': return new PriorityScheduler<T>();
    case 'o1': return new O1Scheduler<T>();
    case 'cfs': return new CfsScheduler<T>();
    default: return null;
  }
}

/** The IR0 guide's detection by free memory. */
export function autoSchedulerClass(freePages: number): string {
  return freePages > 1000 ? 'cfs' : freePages > 100 ? 'prio' : 'rr';
}

export interface SchedulerSetup {
  /** Nanoseconds of the kernel clock (runtime accounting). */
  readonly clock: () => number;
  /** Free pages at boot, for `auto`. */
  readonly freePages: number;
}

/** The scheduler core over the class `name` (or auto), or null for an unknown name. */
export function createScheduler<T extends SchedTask>(name: string, setup: SchedulerSetup): SchedulerCore<T> | null {
  const fair = createSchedulerClass<T>(name === 'auto' ? autoSchedulerClass(setup.freePages) : name);
  if (!fair) return null;
  const core = new SchedulerCore<T>(fair, setup.clock);
  core.init();
  return core;
}

/**
 * Swaps the fair class of a running kernel to `name`: every runnable task moves to the new
 * class. Returns 0, -22 (EINVAL) for an unknown name, or -95 (EOPNOTSUPP) when the kernel's
 * scheduler is a bare class (unit tests) rather than the core.
 */
export function setSchedulerClass<T extends SchedTask>(kernel: { readonly scheduler: SchedulerOps<T> }, name: string): number {
  const scheduler = kernel.scheduler;
  if (!(scheduler instanceof SchedulerCore)) return -95;
  const next = createSchedulerClass<T>(name === 'auto' ? 'cfs' : name);
  if (!next) return -22;
  (scheduler as SchedulerCore<T>).swapFairClass(next);
  return 0;
}
