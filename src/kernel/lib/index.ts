/** Kernel library: errno values and the deterministic random source. */
export * from './errno.js';
export * from './random.js';
export * from './wait-queue.js';
export * from './virtual-clock.js';
