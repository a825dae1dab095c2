/**
 * compareWithNative(program, args, { root, stdin, env, cwd }): runs a program
 * of an image natively (native-run.ts) and under `ir0 run` (ir0-run.ts), and
 * returns both results and their differences. This is how the project proves
 * that unmodified binaries behave on ir0 as on Linux.
 */
import { IR0_DEFAULT_ENVIRONMENT, runIr0, type Ir0Output } from './ir0-run.js';
import { runNative } from './native-run.js';
import type { ProcessOutput } from './process-output.js';

export interface CompareOptions {
  /** The image root (see src/system/image). */
  root: string;
  stdin?: string | Buffer;
  /** Default: the environment ir0 run gives (HOME, PATH, TERM). */
  env?: readonly string[];
  /** Default: /. */
  cwd?: string;
  memoryMiB?: number;
  /** Per side; default 120 s for ir0 and 30 s natively. */
  timeoutMilliseconds?: number;
  nativeTimeoutMilliseconds?: number;
}

export interface Comparison {
  native: ProcessOutput;
  ir0: Ir0Output;
  /** One line per difference (status, stdout, stderr); empty when the runs agree. */
  differences: string[];
}

/** The first differing line of two outputs, for a readable failure message. */
export function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}: native ${JSON.stringify(a[i] ?? '<end>')}, ir0 ${JSON.stringify(b[i] ?? '<end>')}`;
  }
  return 'equal';
}

export async function compareWithNative(program: string, args: readonly string[], options: CompareOptions): Promise<Comparison> {
  const env = options.env ?? IR0_DEFAULT_ENVIRONMENT;
  const cwd = options.cwd ?? '/';
  const native = await runNative(program, args, {
    root: options.root, stdin: options.stdin, env, cwd, timeoutMilliseconds: options.nativeTimeoutMilliseconds ?? 30_000,
  });
  const ir0 = await runIr0(program, args, {
    root: options.root, stdin: options.stdin, env, cwd, memoryMiB: options.memoryMiB,
    timeoutMilliseconds: options.timeoutMilliseconds ?? 120_000,
  });
  const differences: string[] = [];
  if (ir0.timedOut) differences.push(`ir0 timed out after ${Math.round(ir0.milliseconds)} ms`);
  if (native.status !== ir0.status) differences.push(`status: native ${native.status}, ir0 ${ir0.status}`);
  if (native.stdout !== ir0.stdout) differences.push(`stdout: ${firstDifference(native.stdout, ir0.stdout)}`);
  if (native.stderr !== ir0.stderr) differences.push(`stderr: ${firstDifference(native.stderr, ir0.stderr)}`);
  return { native, ir0, differences };
}
