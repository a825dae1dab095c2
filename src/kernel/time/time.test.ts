import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimerQueue } from '../proc/index.js';
import type { Kernel } from '../proc/index.js';
import { IntervalTimer, CLOCK_MONOTONIC, CLOCK_REALTIME } from './interval-timer.js';
import { Timekeeping, TICK_NS } from './timekeeping.js';
import type { ClockEventDevice } from './clockevents.js';

/** The parts of a kernel the time code touches, with a clock the test moves by hand. */
function fakeKernel() {
  const state = { now: 0 };
  const handlers = new Map<number, () => void>();
  const ticks: number[] = [];
  const kernel = {
    clock: { monotonic: () => state.now, advance: () => {}, bootEpoch: 1_000e9 },
    timers: new TimerQueue(),
    current: { pid: 1, tgid: 1 },
    tasks: new Map(),
    scheduler: { taskTick: () => { ticks.push(state.now); return false; } },
    interrupts: { request: (irq: number, _name: string, handler: () => void) => { handlers.set(irq, handler); } },
    log: { ok: () => {} },
  };
  return { kernel: kernel as unknown as Kernel, state, handlers, ticks, timers: kernel.timers };
}

test('timer queue: equal deadlines fire in the order added; only a new earliest asks to reprogram', () => {
  const queue = new TimerQueue();
  let reprogrammed = 0;
  queue.onEarliestChanged = () => { reprogrammed++; };
  const fired: string[] = [];
  queue.add(20, () => fired.push('b'));
  queue.add(10, () => fired.push('a'));
  queue.add(20, () => fired.push('c'));
  queue.add(30, () => fired.push('d'));
  assert.equal(reprogrammed, 2);
  assert.equal(queue.expire(25), 3);
  assert.deepEqual(fired, ['a', 'b', 'c']);
  assert.equal(queue.earliest, 30);
});

test('interval timer: a late expiry counts the missed periods and stays on the grid; absolute realtime values', () => {
  const { kernel, state, timers } = fakeKernel();
  const counts: number[] = [];
  const timer = new IntervalTimer(kernel, CLOCK_MONOTONIC, (count) => counts.push(count));
  timer.set(1_000, 100, false);
  assert.equal(timer.remaining(), 1_000);
  state.now = 1_350; // 1000, 1100, 1200, 1300 have passed
  timers.expire(state.now);
  assert.deepEqual(counts, [4]);
  assert.equal(timer.remaining(), 50, 'next deadline 1400, not 1450');
  timer.set(0, 0, false);
  assert.equal(timer.armed, false);
  const wall = new IntervalTimer(kernel, CLOCK_REALTIME, (count) => counts.push(count));
  wall.set(1_000e9 + 2_000, 0, true); // 2 µs after the boot epoch on the realtime clock
  assert.equal(wall.remaining(), 2_000 - state.now);
});

test('timekeeping: the device is programmed for the earliest timer, the tick runs at HZ, and stops while idle', () => {
  const { kernel, state, handlers, ticks, timers } = fakeKernel();
  const programmed: (number | null)[] = [];
  const device: ClockEventDevice = { name: 'fake', rating: 1, irq: 7, program: (delta) => programmed.push(state.now + delta), shutdown: () => programmed.push(null) };
  const timekeeping = new Timekeeping(kernel, { name: 'fake', rating: 1, resolution: 1, read: () => state.now }, device);
  timekeeping.start();
  assert.deepEqual(programmed, [TICK_NS], 'the first tick');
  timers.add(1_000_000, () => {});
  assert.equal(programmed.at(-1), 1_000_000);
  const interrupt = handlers.get(7)!;
  for (const at of [1_000_000, TICK_NS, 2 * TICK_NS]) { state.now = at; interrupt(); }
  assert.deepEqual(ticks, [TICK_NS, 2 * TICK_NS]);
  assert.equal(programmed.at(-1), 3 * TICK_NS);
  timers.enterIdle();
  assert.equal(programmed.at(-1), null, 'idle with no timer: the device stops (no periodic tick)');
  timers.add(10 * TICK_NS + 5, () => {});
  assert.equal(programmed.at(-1), 10 * TICK_NS + 5);
  state.now = 10 * TICK_NS + 5;
  interrupt();
  timers.exitIdle();
  assert.equal(programmed.at(-1), 11 * TICK_NS + 5, 'the tick restarts one period after leaving idle');
  assert.deepEqual(ticks, [TICK_NS, 2 * TICK_NS], 'no tick ran while idle');
});
