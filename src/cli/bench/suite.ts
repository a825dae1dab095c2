/**
 * What a benchmark suite is: a name, the columns of its table, and `run`, which
 * measures and reports each row through `emit` as soon as it is done, then
 * returns a summary. `bench cpu` is one suite; kernel, sched and boot suites
 * are one file each, registered in suites.ts.
 */

export interface BenchOptions {
  /** Smaller workloads for a fast look (`--quick`). */
  readonly quick: boolean;
  /** How many times to run the host-side measurements (native, qemu); the best time counts. */
  readonly repeat: number;
  /** Measure CPU time (user+system) instead of wall time: steadier on a busy machine (`--cpu-time`). */
  readonly cpuTime: boolean;
  /** Profile the ir0 runs (`--profile`): .cpuprofile files go here and the hot spots are noted. */
  readonly profileDirectory: string | null;
  /** Only the rows whose name is listed (`--only a,b`); empty means all. */
  readonly only: readonly string[];
  /** Progress and skip notes for a human (stderr), kept out of the JSON on stdout. */
  note(message: string): void;
}

/** One value of a row: numbers print with the column's format, null prints as '-'. */
export type BenchValue = number | string | boolean | null;

/** One measured item. `name` is required; `error` is set when the item failed (wrong checksum, crash). */
export interface BenchRow {
  readonly name: string;
  readonly error?: string;
  readonly [key: string]: BenchValue | undefined;
}

export interface BenchColumn {
  readonly key: string;
  readonly heading: string;
  readonly width: number;
  /** Digits after the point for numbers; strings print as they are. */
  readonly digits?: number;
}

export interface BenchSummary {
  /** The one-line human summary. */
  readonly text: string;
  /** The summary as JSON fields. */
  readonly values: Readonly<Record<string, BenchValue>>;
  /** False when any row failed: `bench` then exits with status 1. */
  readonly ok: boolean;
}

export interface BenchSuite {
  readonly name: string;
  readonly summary: string;
  readonly columns: readonly BenchColumn[];
  run(options: BenchOptions, emit: (row: BenchRow) => void): Promise<BenchSummary> | BenchSummary;
}
