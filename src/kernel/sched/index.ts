/** Scheduling: the scheduler-class interface and its implementations. */
export * from './scheduler-ops.js';
export * from './round-robin.js';
