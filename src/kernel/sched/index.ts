/** Scheduling: the scheduler-class interface, the classes, the core that runs them, and /proc text. */
export * from './scheduler-ops.js';
export * from './policy.js';
export * from './sched-entity.js';
export * from './rb-tree.js';
export * from './priority-array.js';
export * from './round-robin.js';
export * from './priority.js';
export * from './o1.js';
export * from './cfs.js';
export * from './realtime.js';
export * from './core.js';
export * from './select.js';
export * from './proc-text.js';
