/**
 * The e2e comparisons of the kernel-core issue, as data shared by the tests
 * (*.test.ts here) and `ir0 image compare`: each names a program of the
 * default image, its arguments and how long ir0 may take. The scripts live in
 * userland/e2e-scripts/ and are installed at /opt/ir0/e2e-scripts/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../debian/index.js';

export interface E2eCase {
  name: string;
  summary: string;
  program: string;
  args: () => string[];
  stdin?: string;
  env?: readonly string[];
  cwd?: string;
  /** The status the native run must end with (else the case itself is broken). */
  nativeStatus: number;
  memoryMiB?: number;
  /** ir0's time limit; the test's own limit adds a margin. */
  timeoutMilliseconds: number;
  /** Minutes of emulation: the default test suite runs it only when IR0_E2E_FULL=1. */
  long?: boolean;
}

function script(name: string): string {
  return readFileSync(join(projectRoot(), 'userland', 'e2e-scripts', name), 'utf8');
}

export const E2E_CASES: readonly E2eCase[] = [
  {
    name: 'static', summary: 'a static glibc program (userland/ktest/args): arguments, auxv, exit status',
    program: '/opt/ir0/ktest/args', args: () => ['one', 'two words', ''], nativeStatus: 7, timeoutMilliseconds: 60_000,
  },
  {
    name: 'stdin-env-cwd', summary: 'busybox sh with piped stdin, its own environment and working directory',
    program: '/bin/busybox', args: () => ['sh', '-c', 'pwd; echo "FOO=$FOO HOME=${HOME-unset}"; sort; exit 5'],
    stdin: 'pear\napple\nfig\n', env: ['FOO=bar baz', 'PATH=/usr/bin:/bin'], cwd: '/tmp', nativeStatus: 5,
    timeoutMilliseconds: 60_000,
  },
  {
    name: 'busybox', summary: 'dash + busybox-static: shell features and more than 50 applet invocations',
    program: '/bin/dash', args: () => ['/opt/ir0/e2e-scripts/busybox-dash.sh'], nativeStatus: 0, timeoutMilliseconds: 120_000,
  },
  {
    name: 'coreutils', summary: 'coreutils (dynamically linked) ls -l, cp, mv, rm, mkdir, wc, sort',
    program: '/bin/sh', args: () => ['/opt/ir0/e2e-scripts/coreutils.sh'], nativeStatus: 0, timeoutMilliseconds: 90_000,
  },
  {
    name: 'python-sample', summary: 'python3 -c: a short script (os, json, math, one subprocess)',
    program: '/usr/bin/python3', args: () => ['-c', script('python-sample.py')], nativeStatus: 0, memoryMiB: 512,
    timeoutMilliseconds: 120_000,
  },
  {
    name: 'python', summary: 'python3 -c: os, subprocess, signal (handlers, setitimer), threading, tempfile, mmap, json, math',
    program: '/usr/bin/python3', args: () => ['-c', script('python-features.py')], nativeStatus: 0, memoryMiB: 512,
    timeoutMilliseconds: 180_000,
  },
];

export function e2eCase(name: string): E2eCase {
  const found = E2E_CASES.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no e2e case ${name}`);
  return found;
}

/** True when the long cases should run (IR0_E2E_FULL=1). */
export function fullE2eRequested(): boolean {
  return process.env.IR0_E2E_FULL === '1';
}
