/**
 * Conversions between machine time (ns) and the ticks of a device clock
 * running at `hz`, exact for any run length: the products are split at whole
 * seconds so they stay below 2^53 (a 1.19 MHz PIT over an hour would not).
 */

/** Whole ticks of a `hz` clock in `nanoseconds` (floor). */
export function ticksIn(nanoseconds: number, hz: number): number {
  if (nanoseconds <= 0) return 0;
  const seconds = Math.floor(nanoseconds / 1e9);
  const rest = nanoseconds - seconds * 1e9;
  return seconds * hz + Math.floor((rest * hz) / 1e9);
}

/** The first machine-time offset (ns, ceil) at which `ticks` ticks of a `hz` clock have elapsed. */
export function nanosecondsFor(ticks: number, hz: number): number {
  if (ticks <= 0) return 0;
  const seconds = Math.floor(ticks / hz);
  const rest = ticks - seconds * hz;
  return seconds * 1e9 + Math.ceil((rest * 1e9) / hz);
}
