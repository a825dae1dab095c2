/**
 * Issue 6's scheduler tests on real workloads: userland/sched-tests programs run on ir0 under
 * each class with virtual time, and natively on one host CPU for comparison (printed). Expected
 * CFS shares come from Linux's sched_prio_to_weight table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AGING_STEP_NS, niceToWeight, PRIORITY_TIMESLICE_NS, RR_TIMESLICE_NS, TICK_NS } from '../../kernel/sched/index.js';
import { TICK_NS as HZ_TICK_NS } from '../../kernel/time/index.js';
import { maxShareError, parseLatency, parseShares, runNative, runOnIr0, schedTestsDirectory, shareFractions } from './workloads.js';

const available = ['shares', 'fifo', 'latency', 'swap', 'api'].every((name) => fs.existsSync(path.join(schedTestsDirectory, name)));
const skip = !available && 'run make -C userland first';
/** A slice ends at the first tick (HZ 250) after it ran out, so CPU times of equal hogs differ by up to a slice and a tick. */
const RR_SLICE_NS = RR_TIMESLICE_NS + HZ_TICK_NS;
/** The OpenOS target for scheduling latency. */
const LATENCY_TARGET_NS = 10_000_000;

function describeShares(label: string, stdout: string, expected: readonly number[]): string {
  const lines = parseShares(stdout);
  const fractions = shareFractions(lines);
  return `${label}: ` + lines.map((l, i) => `nice ${l.nice} ${(fractions[i]! * 100).toFixed(1)}% (expected ${(expected[i]! * 100).toFixed(1)}%)`).join(', ')
    + ` max error ${maxShareError(fractions, expected).toFixed(2)} points`;
}

test('CFS: busy loops at nice 0/5/10/-5 get shares within 5 points of the weight ratios', { skip }, (t) => {
  const nices = [0, 5, 10, -5];
  const weights = nices.map(niceToWeight);
  const total = weights.reduce((s, w) => s + w, 0);
  const expected = weights.map((w) => w / total);
  const argv = ['shares', '1000', ...nices.map(String)];
  const ir0 = runOnIr0('cfs', argv);
  assert.equal(ir0.error, null, ir0.error ?? '');
  const native = runNative(argv);
  t.diagnostic(describeShares('ir0 cfs', ir0.stdout, expected));
  if (native.error === null) t.diagnostic(describeShares('native (taskset -c 0)', native.stdout, expected));
  const lines = parseShares(ir0.stdout);
  assert.equal(lines.length, 4);
  assert.ok(maxShareError(shareFractions(lines), expected) < 5, describeShares('ir0', ir0.stdout, expected));
  // The CPU was busy the whole second: no time lost to the scheduler.
  assert.ok(lines.reduce((s, l) => s + l.cpuNs, 0) > 0.95e9);
});

test('round-robin: equal shares whatever the nice values', { skip }, (t) => {
  const argv = ['shares', '600', '0', '5', '-5'];
  const ir0 = runOnIr0('rr', argv);
  assert.equal(ir0.error, null, ir0.error ?? '');
  const expected = [1 / 3, 1 / 3, 1 / 3];
  t.diagnostic(describeShares('ir0 rr', ir0.stdout, expected));
  // Nice does not matter; CPU times differ by one slice (ended at a tick) at most.
  const times = parseShares(ir0.stdout).map((l) => l.cpuNs);
  assert.equal(times.length, 3);
  assert.ok(Math.max(...times) - Math.min(...times) <= RR_SLICE_NS, ir0.stdout);
});

test('priority: a nice 19 hog gets the CPU within the aging bound while nice -20 hogs run', { skip }, (t) => {
  const argv = ['shares', '1500', '-20', '-20', '-20', '19'];
  const ir0 = runOnIr0('prio', argv);
  assert.equal(ir0.error, null, ir0.error ?? '');
  const native = runNative(argv);
  const lines = parseShares(ir0.stdout);
  const starving = lines[3]!;
  // 39 aging steps lift nice 19 (139) to the hogs' level (100); then it waits at most one slice per hog.
  const bound = 39 * AGING_STEP_NS + 3 * (PRIORITY_TIMESLICE_NS + HZ_TICK_NS) + 2 * TICK_NS;
  t.diagnostic(`ir0 prio: nice 19 first ran after ${(starving.firstRunNs / 1e6).toFixed(1)} ms (bound ${bound / 1e6} ms), cpu ${(starving.cpuNs / 1e6).toFixed(1)} ms of 1500`);
  const nativeLine = parseShares(native.stdout)[3];
  if (nativeLine) t.diagnostic(`native: nice 19 first ran after ${(nativeLine.firstRunNs / 1e6).toFixed(1)} ms, cpu ${(nativeLine.cpuNs / 1e6).toFixed(1)} ms`);
  assert.ok(starving.firstRunNs > 0 && starving.firstRunNs < bound, ir0.stdout);
  assert.ok(starving.cpuNs > 0, ir0.stdout);
  // Strict priority otherwise: the hogs together get most of the CPU.
  assert.ok(lines.slice(0, 3).reduce((s, l) => s + l.cpuNs, 0) > 4 * starving.cpuNs, ir0.stdout);
});

test('SCHED_FIFO runs until it blocks or yields, under every class (order equals native)', { skip }, (t) => {
  const native = runNative(['fifo']);
  t.diagnostic(`native: ${native.stdout.trim().split('\n').at(-1)}`);
  for (const schedClass of ['rr', 'prio', 'o1', 'cfs']) {
    const ir0 = runOnIr0(schedClass, ['fifo']);
    assert.equal(ir0.error, null, `${schedClass}: ${ir0.error}`);
    if (native.error === null) assert.equal(ir0.stdout, native.stdout, schedClass);
    // a, b: parent before its yield; F: the FIFO sibling runs at the yield; N: the normal child only once the parent blocks.
    assert.match(ir0.stdout, /order abFcdNe/, schedClass);
  }
});

test('scheduling syscalls: results and errnos equal native', { skip }, () => {
  const native = runNative(['api']);
  const ir0 = runOnIr0('cfs', ['api']);
  assert.equal(ir0.error, null, ir0.error ?? '');
  if (native.error !== null) return; // not root on this host: the EPERM paths differ
  assert.equal(ir0.stdout, native.stdout);
});

test('wakeup latency of a sleeper against two CPU hogs, per class', { skip }, (t) => {
  // 15 wakeups 20 ms apart after 200 ms of warm-up (the load runs before the measurement, as with cyclictest).
  const argv = ['latency', '2', '15', '20000', '200'];
  const native = parseLatency(runNative(argv).stdout);
  if (native) t.diagnostic(`native: p50 ${(native.p50 / 1e3).toFixed(0)} us p99 ${(native.p99 / 1e3).toFixed(0)} us max ${(native.max / 1e3).toFixed(0)} us`);
  // Machine time (virtual clock), so the bounds do not depend on the host's load. CFS preempts on wakeup;
  // rr and prio put the sleeper at the head and preempt a hog that ran its minimum granularity (at once or at
  // the next tick); O(1)'s sleeper has earned the interactivity bonus in the warm-up and preempts.
  for (const schedClass of ['rr', 'prio', 'o1', 'cfs']) {
    const ir0 = runOnIr0(schedClass, argv);
    assert.equal(ir0.error, null, `${schedClass}: ${ir0.error}`);
    const latency = parseLatency(ir0.stdout);
    assert.ok(latency, ir0.stdout);
    t.diagnostic(`ir0 ${schedClass}: p50 ${(latency.p50 / 1e3).toFixed(0)} us p99 ${(latency.p99 / 1e3).toFixed(0)} us max ${(latency.max / 1e3).toFixed(0)} us`);
    assert.ok(latency.p50 >= 0 && latency.p50 < TICK_NS / 10, `${schedClass} p50: ${ir0.stdout}`);
    assert.ok(latency.max < LATENCY_TARGET_NS, `${schedClass} max: ${ir0.stdout}`);
  }
});

test('hot swap: 50 tasks running while the class changes 8 times, none lost', { skip }, (t) => {
  const argv = ['swap', '50', '5', 'rr', 'prio', 'o1', 'cfs', 'rr', 'o1', 'prio', 'cfs'];
  const native = runNative(argv);
  const ir0 = runOnIr0('cfs', argv);
  assert.equal(ir0.error, null, ir0.error ?? '');
  t.diagnostic(`ir0: ${ir0.stdout.trim()}, ${ir0.stderr.trim()}; native: ${native.stdout.trim()}`);
  assert.equal(ir0.stdout, 'finished 50 of 50\n');
  assert.equal(ir0.stderr, 'swaps accepted 8\n');
  if (native.error === null) assert.equal(ir0.stdout, native.stdout);
});
