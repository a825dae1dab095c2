/**
 * The host's clock for the machine (hal HostTime) in Node: performance.now() for
 * monotonic time, Date for the wall clock, and a sleep on a shared cell that
 * another thread (the terminal's input side) can cut short with `wake`.
 */
import { performance } from 'node:perf_hooks';
import type { HostTime } from '../hal/index.js';

export interface NodeHostTime extends HostTime {
  /** The cell sleepers wait on; Atomics.notify(cell, 0) from any thread wakes them. */
  readonly wakeCell: Int32Array;
  wake(): void;
}

export function nodeHostTime(wakeCell = new Int32Array(new SharedArrayBuffer(4))): NodeHostTime {
  return {
    wakeCell,
    // performance.now() is the host's monotonic clock in ms with ns resolution; it costs about half of
    // Number(process.hrtime.bigint()) (no BigInt), and the scheduler reads it on every wakeup and block.
    monotonic: () => Math.floor(performance.now() * 1e6),
    realtime: () => Date.now() * 1e6,
    sleep: (nanoseconds) => {
      if (nanoseconds <= 0) return;
      const seen = Atomics.load(wakeCell, 0);
      Atomics.wait(wakeCell, 0, seen, nanoseconds / 1e6);
    },
    wake: () => { Atomics.add(wakeCell, 0, 1); Atomics.notify(wakeCell, 0); },
  };
}
