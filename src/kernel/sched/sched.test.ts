/**
 * Unit tests of the scheduler classes on plain task objects and a fake clock: the red-black
 * tree's invariants under random inserts and removes, CFS shares against the weight table,
 * the real-time class ahead of every fair class, aging, wakeup preemption, O(1)'s sleep average, and
 * the hot swap losing no task.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../lib/index.js';
import { RbTree } from './rb-tree.js';
import { SchedEntity } from './sched-entity.js';
import type { SchedTask } from './sched-entity.js';
import { createScheduler, SCHEDULER_CLASSES } from './select.js';
import { niceToWeight, SCHED_FIFO, SCHED_OTHER } from './policy.js';
import { TICK_NS } from './core.js';

interface FakeTask extends SchedTask { runtime: number }

function makeTasks(nices: readonly number[]): FakeTask[] {
  return nices.map((nice, i) => {
    const task: FakeTask = { pid: i + 1, comm: `t${i + 1}`, timeSlice: 0, sched: new SchedEntity(), runtime: 0 };
    task.sched.nice = nice;
    return task;
  });
}

/** Runs `ticks` ticks of `step` ns: the picked task is charged each; returns the pick sequence. */
function simulate(name: string, tasks: FakeTask[], ticks: number, step = TICK_NS): { picks: number[]; clock: { now: number } } {
  const clock = { now: 0 };
  const core = createScheduler<FakeTask>(name, { clock: () => clock.now, freePages: 5000 })!;
  for (const task of tasks) core.addTask(task);
  const picks: number[] = [];
  for (let i = 0; i < ticks; i++) {
    const task = core.pickNextTask()!;
    picks.push(task.pid);
    clock.now += step;
    task.runtime += step;
    core.taskTick(task);
  }
  return { picks, clock };
}

test('red-black tree: invariants and order hold over random inserts and removes', () => {
  const random = new Random(42);
  const tree = new RbTree<number>((a, b) => a - b);
  const nodes = new Map<number, ReturnType<typeof tree.insert>>();
  for (let round = 0; round < 3000; round++) {
    const key = random.below(500);
    const node = nodes.get(key);
    if (node) { tree.remove(node); nodes.delete(key); } else nodes.set(key, tree.insert(key));
    if (round % 100 === 0) tree.verify();
  }
  tree.verify();
  assert.deepEqual(tree.items(), [...nodes.keys()].sort((a, b) => a - b));
  assert.equal(tree.size, nodes.size);
});

test('CFS: CPU time follows sched_prio_to_weight within one tick per task', () => {
  const nices = [0, 5, 10, -5];
  const tasks = makeTasks(nices);
  simulate('cfs', tasks, 2000);
  const total = tasks.reduce((s, t) => s + t.runtime, 0);
  const weights = nices.map(niceToWeight);
  const weightSum = weights.reduce((s, w) => s + w, 0);
  for (const [i, task] of tasks.entries()) {
    assert.ok(Math.abs(task.runtime - total * weights[i]! / weightSum) <= 2 * TICK_NS, `nice ${nices[i]}: ${task.runtime} of ${total}`);
  }
});

test('round-robin and O(1) give equal nice tasks equal time; priority ages a nice 19 task in', () => {
  for (const name of ['rr', 'o1']) {
    const tasks = makeTasks([0, 0, 0]);
    simulate(name, tasks, 300);
    const runtimes = tasks.map((t) => t.runtime);
    assert.ok(Math.max(...runtimes) - Math.min(...runtimes) <= 10 * TICK_NS, `${name}: ${runtimes.join(' ')}`);
  }
  const tasks = makeTasks([-20, -20, 19]);
  const { picks } = simulate('prio', tasks, 200);
  const first = picks.indexOf(3);
  assert.ok(first > 0 && first * TICK_NS < 39 * 20_000_000 + 2 * 100_000_000 + TICK_NS, `nice 19 first ran at tick ${first}`);
});

test('a SCHED_FIFO task runs ahead of every fair class until it leaves the run queue', () => {
  for (const name of SCHEDULER_CLASSES) {
    const clock = { now: 0 };
    const core = createScheduler<FakeTask>(name, { clock: () => clock.now, freePages: 5000 })!;
    const [normal, realtime] = makeTasks([-20, 0]);
    core.addTask(normal!);
    assert.equal(core.pickNextTask(), normal);
    core.setParameters(realtime!, SCHED_FIFO, 10, 0);
    core.addTask(realtime!);
    for (let i = 0; i < 50; i++) {
      assert.equal(core.pickNextTask(), realtime, name);
      clock.now += TICK_NS;
      core.taskTick(realtime!);
    }
    core.removeTask(realtime!);
    assert.equal(core.pickNextTask(), normal, name);
    core.setParameters(realtime!, SCHED_OTHER, 0, 0);
  }
});

test('hot swap through every class keeps every runnable task, running one included', () => {
  const clock = { now: 0 };
  const core = createScheduler<FakeTask>('cfs', { clock: () => clock.now, freePages: 5000 })!;
  const tasks = makeTasks(Array.from({ length: 50 }, (_, i) => (i % 40) - 20));
  for (const task of tasks) core.addTask(task);
  const order = ['rr', 'prio', 'o1', 'cfs', 'o1', 'rr', 'cfs', 'prio'];
  for (const name of order) {
    for (let i = 0; i < 7; i++) { const task = core.pickNextTask()!; clock.now += TICK_NS; core.taskTick(task); }
    core.swapFairClass(createScheduler<FakeTask>(name, { clock: () => clock.now, freePages: 0 })!.fair);
    assert.equal(core.name, name);
    assert.deepEqual(core.runnableTasks().map((t) => t.pid).sort((a, b) => a - b), tasks.map((t) => t.pid), name);
  }
  // Every task still gets the CPU after the last swap (prio: aging brings the nice 19 ones in).
  const ran = new Set<number>();
  for (let i = 0; i < 3000 && ran.size < 50; i++) { const task = core.pickNextTask()!; ran.add(task.pid); clock.now += TICK_NS; core.taskTick(task); }
  assert.equal(ran.size, 50);
});

test('sched=auto follows free memory as the IR0 guide: >1000 pages CFS, >100 priority, else round-robin', () => {
  const pick = (freePages: number): string => createScheduler<FakeTask>('auto', { clock: () => 0, freePages })!.name;
  assert.deepEqual([pick(5000), pick(1001), pick(1000), pick(101), pick(100), pick(0)], ['cfs', 'cfs', 'prio', 'prio', 'rr', 'rr']);
  assert.equal(createScheduler<FakeTask>('bogus', { clock: () => 0, freePages: 0 }), null);
});

test('O(1): a task that mostly sleeps earns the interactivity bonus and preempts a hog on wakeup', () => {
  const clock = { now: 0 };
  const core = createScheduler<FakeTask>('o1', { clock: () => clock.now, freePages: 5000 })!;
  const [sleeper, hog] = makeTasks([0, 0]);
  core.addTask(hog!);
  core.addTask(sleeper!);
  let preempted = 0;
  for (let cycle = 0; cycle < 40; cycle++) {
    // The hog runs 50 ms while the sleeper sleeps; the sleeper wakes, runs 1 ms and sleeps again.
    if (core.current === sleeper) { clock.now += 1_000_000; core.removeTask(sleeper!); }
    for (let i = 0; i < 5; i++) { const task = core.pickNextTask()!; clock.now += TICK_NS; core.taskTick(task); }
    core.addTask(sleeper!);
    if (core.pickNextTask() === sleeper) preempted++;
  }
  assert.ok(sleeper!.sched.dynamicPriority < 120, `sleeper at ${sleeper!.sched.dynamicPriority}`);
  assert.ok(hog!.sched.dynamicPriority >= 120, `hog at ${hog!.sched.dynamicPriority}`);
  assert.ok(preempted > 30, `preempted the hog on ${preempted} of 40 wakeups`);
});

/**
 * Two hogs and a third task on a fake clock in 250 us steps with a tick every 4 ms (HZ 250). The third
 * task runs `burst` ns, then sleeps `sleep` ns; returns each task's runtime and the third task's
 * wakeup latencies (wakeup to running).
 */
function hogsAndSleeper(name: string, burst: number, sleep: number, duration: number): { runtimes: number[]; latencies: number[] } {
  const step = 250_000;
  const clock = { now: 0 };
  const core = createScheduler<FakeTask>(name, { clock: () => clock.now, freePages: 5000 })!;
  const tasks = makeTasks([0, 0, 0]);
  const sleeper = tasks[2]!;
  for (const task of tasks) core.addTask(task);
  const latencies: number[] = [];
  let burstLeft = burst;
  let wakeAt: number | null = null;
  let wokenAt = 0;
  let waiting = false;
  for (let time = 0; time < duration; time += step) {
    if (wakeAt !== null && clock.now >= wakeAt) { core.addTask(sleeper); wakeAt = null; wokenAt = clock.now; waiting = true; }
    const task = core.pickNextTask()!;
    if (task === sleeper && waiting) { latencies.push(clock.now - wokenAt); waiting = false; }
    clock.now += step;
    task.runtime += step;
    if (task === sleeper && (burstLeft -= step) <= 0) {
      core.removeTask(sleeper);
      burstLeft = burst;
      wakeAt = clock.now + sleep;
    }
    if (clock.now % 4_000_000 === 0 && core.current !== null) core.taskTick(core.current);
  }
  return { runtimes: tasks.map((t) => t.runtime), latencies };
}

test('rr and prio: a woken sleeper preempts a hog within a tick; napping after each burst buys no extra CPU', () => {
  for (const name of ['rr', 'prio']) {
    // A cyclictest-like sleeper: 250 us of work every 20 ms.
    const { latencies } = hogsAndSleeper(name, 250_000, 20_000_000, 2e9);
    assert.ok(latencies.length > 80, `${name}: ${latencies.length} wakeups`);
    assert.ok(Math.max(...latencies) <= 4_000_000, `${name}: latencies ${latencies.join(' ')}`);
    // A task that naps 250 us after every 9 ms of work wakes at the head, but only with the rest of its slice.
    const { runtimes } = hogsAndSleeper(name, 9_000_000, 250_000, 6e9);
    assert.ok(Math.max(...runtimes) - Math.min(...runtimes) <= 100_000_000 + 10_000_000, `${name}: runtimes ${runtimes.join(' ')}`);
  }
});

test('O(1): one long sleep lifts sleep_avg only to the INTERACTIVE_SLEEP ceiling; a child starts with 95% of the bonus', () => {
  const clock = { now: 0 };
  const core = createScheduler<FakeTask>('o1', { clock: () => clock.now, freePages: 5000 })!;
  const [task, child] = makeTasks([0, 0]);
  core.addTask(task!);
  assert.equal(core.pickNextTask(), task);
  clock.now += 1_000_000;
  core.removeTask(task!);
  clock.now += 5e9;
  core.addTask(task!);
  // 2.6.22: INTERACTIVE_SLEEP at nice 0 is 799 jiffies (HZ 1000) of the 1000 of MAX_SLEEP_AVG: bonus 7, priority 118.
  assert.equal(task!.sched.sleepAverage, 799_000_000);
  assert.equal(task!.sched.dynamicPriority, 118);
  core.forkTask(task!, child!);
  assert.equal(child!.sched.sleepAverage, 600_000_000); // CURRENT_BONUS 7 * 95 / 100 = 6 tenths
});
