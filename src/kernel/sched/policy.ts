/**
 * Scheduling policies and priorities as Linux numbers them (include/uapi/linux/sched.h,
 * include/linux/sched/prio.h): 140 priorities, 0-99 real-time (kernel prio = 99 - rt_priority),
 * 100-139 normal (static prio = 120 + nice); and CFS's nice-to-weight table (kernel/sched/core.c).
 */
export const SCHED_OTHER = 0;
export const SCHED_FIFO = 1;
export const SCHED_RR = 2;
export const SCHED_BATCH = 3;
export const SCHED_IDLE = 5;
/** Or'ed into the policy of sched_setscheduler: children start with default policy and nice. */
export const SCHED_RESET_ON_FORK = 0x40000000;

export const MAX_RT_PRIO = 100;
export const MAX_PRIO = 140;
export const DEFAULT_PRIO = 120;
export const MIN_NICE = -20;
export const MAX_NICE = 19;

export const isRealtimePolicy = (policy: number): boolean => policy === SCHED_FIFO || policy === SCHED_RR;
export const isValidPolicy = (policy: number): boolean =>
  policy === SCHED_OTHER || policy === SCHED_FIFO || policy === SCHED_RR || policy === SCHED_BATCH || policy === SCHED_IDLE;

export const niceToPrio = (nice: number): number => DEFAULT_PRIO + nice;
export const prioToNice = (prio: number): number => prio - DEFAULT_PRIO;

/** Linux's sched_prio_to_weight: nice -20..19; each step is ~10% of CPU (a factor of 1.25). */
export const SCHED_PRIO_TO_WEIGHT: readonly number[] = [
  /* -20 */ 88761, 71755, 56483, 46273, 36291,
  /* -15 */ 29154, 23254, 18705, 14949, 11916,
  /* -10 */ 9548, 7620, 6100, 4904, 3906,
  /*  -5 */ 3121, 2501, 1991, 1586, 1277,
  /*   0 */ 1024, 820, 655, 526, 423,
  /*   5 */ 335, 272, 215, 172, 137,
  /*  10 */ 110, 87, 70, 56, 45,
  /*  15 */ 36, 29, 23, 18, 15,
];
export const NICE_0_LOAD = 1024;
/** SCHED_IDLE tasks weigh less than nice 19 (kernel/sched/sched.h WEIGHT_IDLEPRIO). */
export const WEIGHT_IDLEPRIO = 3;

export const niceToWeight = (nice: number): number => SCHED_PRIO_TO_WEIGHT[Math.max(MIN_NICE, Math.min(MAX_NICE, nice)) - MIN_NICE]!;

export const policyName = (policy: number): string =>
  ['SCHED_OTHER', 'SCHED_FIFO', 'SCHED_RR', 'SCHED_BATCH', 'SCHED_ISO', 'SCHED_IDLE'][policy] ?? `policy ${policy}`;
