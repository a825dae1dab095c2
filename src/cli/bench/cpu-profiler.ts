/**
 * `bench --profile`: records a V8 CPU profile around one measured call through
 * the in-process inspector (its Profiler messages complete synchronously in the
 * same thread), writes it as .cpuprofile (open in Chrome DevTools or summarise
 * with profile-summary.js) and returns the hottest functions.
 */
import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { hotSpots, type HotSpot } from './profile-summary.js';

export interface Profiled<T> {
  readonly result: T;
  readonly file: string;
  readonly hotSpots: readonly HotSpot[];
}

export function profileCall<T>(directory: string, name: string, call: () => T): Profiled<T> {
  const session = new Session();
  session.connect();
  let profile: unknown;
  let failure: Error | null = null;
  session.post('Profiler.enable');
  // 100 µs sampling: fine enough for handlers that run for a few nanoseconds each.
  session.post('Profiler.setSamplingInterval', { interval: 100 });
  session.post('Profiler.start');
  let result: T;
  try {
    result = call();
  } finally {
    session.post('Profiler.stop', (error, answer) => {
      failure = error;
      profile = answer?.profile;
    });
    session.disconnect();
  }
  if (failure !== null || profile === undefined) throw new Error(`the V8 profiler returned no profile: ${String(failure)}`);
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${name}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  return { result, file, hotSpots: hotSpots(profile as Parameters<typeof hotSpots>[0]) };
}
