/**
 * The load average (kernel/sched/loadavg.c calc_global_load): every 5 s (LOAD_FREQ) the
 * number of runnable plus uninterruptible tasks is folded into three exponentially decaying
 * averages in 11-bit fixed point, with Linux's constants for 1, 5 and 15 minutes. Periods
 * missed while nobody sampled (a tickless idle) are folded with the count seen now, as
 * calc_global_nohz does. /proc/loadavg and sysinfo(2) call `updateLoadAverage`; the timer
 * tick may call it too, for exact figures under load.
 */
import type { Kernel } from './kernel-state.js';
import { TaskState } from './task.js';

export const FSHIFT = 11;
export const FIXED_1 = 1 << FSHIFT;
/** 1/exp(5sec/1min), 1/exp(5sec/5min), 1/exp(5sec/15min) in fixed point. */
const EXP = [1884, 2014, 2037] as const;
export const LOAD_FREQ_NS = 5e9;

/** calc_load: load * exp + active * (1 - exp), rounded up when the load is rising. */
export function calcLoad(load: number, exp: number, active: number): number {
  let next = load * exp + active * (FIXED_1 - exp);
  if (active >= load) next += FIXED_1 - 1;
  return Math.floor(next / FIXED_1);
}

export class LoadAverage {
  /** avenrun[0..2] in fixed point. */
  readonly averages = [0, 0, 0];
  private nextUpdate = LOAD_FREQ_NS;

  /** Folds every LOAD_FREQ period ended by `now` with `active` tasks (runnable + uninterruptible); counted only when a period ended. */
  sample(now: number, active: number | (() => number)): void {
    if (now < this.nextUpdate) return;
    if (typeof active === 'function') active = active();
    const periods = Math.floor((now - this.nextUpdate) / LOAD_FREQ_NS) + 1;
    const fixedActive = active * FIXED_1;
    // Past a few hundred periods every average has converged: stop folding.
    for (let i = 0; i < Math.min(periods, 2000); i++) {
      for (let which = 0; which < 3; which++) this.averages[which] = calcLoad(this.averages[which]!, EXP[which]!, fixedActive);
    }
    this.nextUpdate += periods * LOAD_FREQ_NS;
  }

  /** "%lu.%02lu" of each average (LOAD_INT / LOAD_FRAC with the +FIXED_1/200 rounding of loadavg_proc_show). */
  text(): string[] {
    return this.averages.map((average) => {
      const rounded = average + FIXED_1 / 200;
      const whole = Math.floor(rounded / FIXED_1);
      const fraction = Math.floor(((rounded % FIXED_1) * 100) / FIXED_1);
      return `${whole}.${String(fraction).padStart(2, '0')}`;
    });
  }
}

/** Tasks that count for the load: runnable ones (ir0's sleeps are all interruptible, so no D state). */
export function activeTaskCount(kernel: Kernel): number {
  let active = 0;
  for (const task of kernel.tasks.values()) if (task.state === TaskState.Runnable || (task.state === TaskState.Sleeping && task.uninterruptible)) active++;
  return active;
}

/** Folds the periods ended by now into the kernel's averages (cheap between periods: a tick may call it every time). */
export function updateLoadAverage(kernel: Kernel): LoadAverage {
  kernel.loadAverage.sample(kernel.clock.monotonic(), () => activeTaskCount(kernel));
  return kernel.loadAverage;
}
