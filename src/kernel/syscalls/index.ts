/** The Linux i386 syscall layer: the table as data and the dispatcher. */
export * from './entry.js';
export * from './numbers.js';
export * from './table.js';
export * from './dispatch.js';
export { futexWake } from './futex.js';
