/**
 * Runs test cases on the host processor through userland/cpu-harness: one
 * harness process per batch, cases on stdin, results on stdout.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CASE_BYTES, HELLO_BYTES, RESULT_BYTES, decodeHello, decodeResult, encodeCase,
  type Hello, type Outcome, type TestCase,
} from './layout.js';

/** userland/cpu-harness/build/cpu-harness, found from this module (dist/system/cpu-diff/). */
export function harnessPath(): string {
  return fileURLToPath(new URL('../../../userland/cpu-harness/build/cpu-harness', import.meta.url));
}

export function harnessExists(): boolean {
  return existsSync(harnessPath());
}

/** Asks the harness for its set-up (which GDT entry set_thread_area chose) with no cases. */
export function nativeHello(): Hello {
  return runNative([]).hello;
}

export function runNative(cases: readonly TestCase[]): { hello: Hello; outcomes: Outcome[] } {
  const input = new Uint8Array(cases.length * CASE_BYTES);
  const view = new DataView(input.buffer);
  cases.forEach((testCase, i) => encodeCase(testCase, view, i * CASE_BYTES));
  const child = spawnSync(harnessPath(), [], {
    input,
    maxBuffer: HELLO_BYTES + cases.length * RESULT_BYTES + 1024,
    timeout: 120_000,
  });
  if (child.error) throw new Error(`cpu-harness: ${child.error.message} (build it with: make -C userland)`);
  const output = child.stdout;
  const expected = HELLO_BYTES + cases.length * RESULT_BYTES;
  if (child.status !== 0 || output.length !== expected) {
    throw new Error(`cpu-harness exited ${child.status ?? child.signal} with ${output.length} of ${expected} bytes: ` +
      child.stderr.toString().trim());
  }
  const out = new DataView(output.buffer, output.byteOffset, output.length);
  const hello = decodeHello(out);
  const outcomes = cases.map((_, i) => decodeResult(out, HELLO_BYTES + i * RESULT_BYTES));
  return { hello, outcomes };
}
