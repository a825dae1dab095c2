/**
 * The CPU benchmark programs (userland/bench-cpu) and their scales: `bench` is
 * about 0.3-1.1 G guest instructions each (0.1-0.4 s natively) so the whole run
 * stays within ~3 minutes on the interpreter, `quick` is about a tenth of that,
 * and `test` is the tiny size of the CI test (a few million instructions).
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CpuBenchProgram {
  readonly name: string;
  /** What the program exercises, for the report. */
  readonly description: string;
  readonly scales: { readonly bench: number; readonly quick: number; readonly test: number };
}

export const cpuBenchPrograms: readonly CpuBenchProgram[] = [
  { name: 'integer', description: 'crc32, murmur hash, quicksort', scales: { bench: 300, quick: 30, test: 1 } },
  { name: 'memory', description: '12 MiB: transpose, pointer chase, copies', scales: { bench: 12, quick: 4, test: 1 } },
  { name: 'branchy', description: 'bytecode interpreter, n-queens, fib', scales: { bench: 75, quick: 8, test: 1 } },
  { name: 'float', description: 'x87: n-body, mandelbrot, spectral-norm', scales: { bench: 48, quick: 6, test: 1 } },
];

/** The repository root, found from this file's place in dist/system/bench/ (or src/ under a TS runner). */
export function repositoryRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

/** Where `make -C userland/bench-cpu` puts a program. */
export function cpuBenchProgramPath(program: CpuBenchProgram): string {
  return path.join(repositoryRoot(), 'userland', 'bench-cpu', 'build', program.name);
}
