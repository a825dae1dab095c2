/**
 * Text of the scheduler's /proc files, for the procfs code to serve: /proc/[pid]/sched
 * (kernel/sched/debug.c proc_sched_show_task), /proc/sched_debug (its run queues), and the
 * scheduling fields of /proc/[pid]/stat (fs/proc/array.c: priority, nice, rt_priority, policy).
 */
import { MAX_RT_PRIO } from './policy.js';
import type { SchedTask } from './sched-entity.js';
import type { SchedulerOps } from './scheduler-ops.js';

/** Nanoseconds as Linux's SPLIT_NS: milliseconds with six decimals. */
const milliseconds = (nanoseconds: number): string => (nanoseconds / 1e6).toFixed(6);
const row = (name: string, value: string | number): string => `${name.padEnd(45)}:${String(value).padStart(21)}`;

/** /proc/[pid]/sched of `task`; `threads` is the size of its thread group. */
export function procPidSched(task: SchedTask, threads: number): string {
  const entity = task.sched;
  return [
    `${task.comm} (${task.pid}, #threads: ${threads})`,
    '-'.repeat(67),
    row('se.exec_start', milliseconds(entity.execStart)),
    row('se.vruntime', milliseconds(entity.vruntime)),
    row('se.sum_exec_runtime', milliseconds(entity.sumExecRuntime)),
    row('se.nr_migrations', 0),
    row('se.statistics.wait_sum', milliseconds(entity.waitSum)),
    row('se.statistics.wait_max', milliseconds(entity.waitMax)),
    row('se.statistics.wait_count', entity.waitCount),
    row('se.statistics.nr_wakeups', entity.wakeups),
    row('nr_switches', entity.voluntarySwitches + entity.involuntarySwitches),
    row('nr_voluntary_switches', entity.voluntarySwitches),
    row('nr_involuntary_switches', entity.involuntarySwitches),
    row('se.load.weight', entity.weight * 1024),
    row('policy', entity.policy),
    row('prio', entity.priority),
    '',
  ].join('\n');
}

/** /proc/sched_debug: the tunables, the run queues and one line per task. */
export function procSchedDebug<T extends SchedTask>(scheduler: SchedulerOps<T>, tasks: Iterable<T>, now: number): string {
  const lines = [
    'Sched Debug Version: v0.11, 6.1.0-ir0',
    `ktime                                   : ${milliseconds(now)}`,
    `sched_class                             : ${scheduler.name}`,
    '',
    'sysctl_sched',
    '  .sysctl_sched_latency                    : 6.000000',
    '  .sysctl_sched_min_granularity            : 0.750000',
    '  .sysctl_sched_wakeup_granularity         : 1.000000',
    '  .sysctl_sched_tunable_scaling            : 1 (logarithmic)',
    '',
    ...(scheduler.debugLines?.() ?? []),
    '',
    'runnable tasks:',
    ' S            task   PID         tree-key  switches  prio     wait-time             sum-exec        sum-sleep',
    '-'.repeat(110),
  ];
  for (const task of tasks) {
    const entity = task.sched;
    lines.push(` ${entity.onRunQueue ? 'R' : 'S'} ${task.comm.slice(0, 15).padStart(15)} ${String(task.pid).padStart(5)} ${milliseconds(entity.vruntime).padStart(16)} `
      + `${String(entity.switches).padStart(9)} ${String(entity.priority).padStart(5)} ${milliseconds(entity.waitSum).padStart(13)} ${milliseconds(entity.sumExecRuntime).padStart(20)} ${milliseconds(0).padStart(16)}`);
  }
  return lines.join('\n') + '\n';
}

export interface StatSchedulingFields {
  /** Field 18: prio - MAX_RT_PRIO (20 + nice for normal tasks; -1 - rt_priority for real-time). */
  readonly priority: number;
  /** Field 19. */
  readonly nice: number;
  /** Field 40. */
  readonly rtPriority: number;
  /** Field 41. */
  readonly policy: number;
}

export function statSchedulingFields(task: SchedTask): StatSchedulingFields {
  const entity = task.sched;
  return { priority: entity.priority - MAX_RT_PRIO, nice: entity.nice, rtPriority: entity.rtPriority, policy: entity.policy };
}
