/** Small statistics for benchmark results: geometric mean and best-of timing. */

/** Geometric mean of positive values (the usual summary of speed ratios); NaN when empty. */
export function geometricMean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let logSum = 0;
  for (const value of values) logSum += Math.log(value);
  return Math.exp(logSum / values.length);
}

/** Seconds elapsed since `start` (a process.hrtime.bigint() reading). */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
