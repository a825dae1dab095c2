/**
 * Boot phase marks for `bench boot`: with IR0_BOOT_PHASES=1 in the
 * environment, `ir0 boot` (its terminal thread and the machine's worker) writes
 * `[ir0-phase] NAME MS` lines to stderr, MS being milliseconds since the host
 * process started (the same origin in both threads). Silent otherwise.
 */
import * as fs from 'node:fs';

const enabled = process.env.IR0_BOOT_PHASES === '1';

/** The host process's start in ms of the epoch (performance.timeOrigin of a worker is the worker's own start). */
function processStart(): number {
  return Date.now() - process.uptime() * 1000;
}

export function bootPhase(name: string): void {
  if (!enabled) return;
  try {
    fs.writeSync(2, `[ir0-phase] ${name} ${(Date.now() - processStart()).toFixed(0)}\n`);
  } catch {
    // stderr closed: phases are only for the benchmark.
  }
}
