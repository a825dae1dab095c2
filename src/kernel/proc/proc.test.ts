import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeMemory, FakeVcpu } from '../testing/index.js';
import { Klog } from '../log/index.js';
import { Random } from '../lib/index.js';
import { copyFromUser, PhysicalPages, STACK_TOP } from '../mm/index.js';
import { FdTable, nullFileOps, S_IFREG, tmpfsFileOps, Vfs, writeTmpfs } from '../fs/index.js';
import { RoundRobinScheduler } from '../sched/index.js';
import {
  AT_ENTRY, AT_EXECFN, AT_PAGESZ, AT_PHDR, AT_PHNUM, AT_PLATFORM, AT_RANDOM, cloneTask, execve, exitTask, exitedStatus, Kernel,
  parseElf, SignalHandlers, Task, waitChild, SIGCHLD, TaskState,
} from './index.js';

/** A minimal ELF32 executable: one PT_LOAD of the whole file at 0x08048000, entry after the headers. */
function tinyElf(): Uint8Array {
  const file = new Uint8Array(0x100);
  const view = new DataView(file.buffer);
  file.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  view.setUint16(16, 2, true); view.setUint16(18, 3, true); view.setUint32(20, 1, true);
  view.setUint32(24, 0x08048054, true); view.setUint32(28, 52, true);
  view.setUint16(40, 52, true); view.setUint16(42, 32, true); view.setUint16(44, 1, true);
  view.setUint32(52, 1, true); view.setUint32(56, 0, true); view.setUint32(60, 0x08048000, true);
  view.setUint32(68, 0x100, true); view.setUint32(72, 0x2000, true); view.setUint32(76, 5, true); view.setUint32(80, 0x1000, true);
  file[0x54] = 0xcd; file[0x55] = 0x80;
  return file;
}

function setup() {
  const vcpu = new FakeVcpu();
  const pages = new PhysicalPages(fakeMemory(16), vcpu);
  const vfs = new Vfs(pages);
  const clock = { monotonic: () => 0, advance: () => undefined, bootEpoch: 0 };
  const kernel = new Kernel(vcpu, pages, vfs, new Klog(), new RoundRobinScheduler<Task>(), clock, new Random(1), nullFileOps, '');
  vfs.mkdir(vfs.root, 'bin', 0o755);
  const bin = vfs.root.children.get('bin')!;
  const inode = vfs.create(bin, 'tiny', S_IFREG | 0o755, tmpfsFileOps);
  assert.ok(typeof inode !== 'number');
  writeTmpfs(inode, tinyElf(), 0);
  const garbage = vfs.create(bin, 'garbage', S_IFREG | 0o755, tmpfsFileOps);
  assert.ok(typeof garbage !== 'number');
  writeTmpfs(garbage, new TextEncoder().encode('\x7fELF but not really'), 0);
  const free = pages.buddy.freePageCount;
  const task = new Task(kernel.pids.allocate(), vcpu.createContext(), null!, new FdTable(), { root: vfs.root, cwd: vfs.root, umask: 0o22 },
    new SignalHandlers(), { uid: 0, euid: 0, suid: 0, gid: 0, egid: 0, sgid: 0, groups: [] });
  task.onWake = (t) => kernel.makeRunnable(t);
  return { vcpu, pages, kernel, task, free };
}

test('elf: parse the tiny executable; reject garbage with ENOEXEC', () => {
  const image = parseElf(tinyElf());
  assert.ok(typeof image !== 'number');
  assert.equal(image.entry, 0x08048054);
  assert.equal(image.loads.length, 1);
  assert.equal(parseElf(new Uint8Array(10)), -8);
  const bad = tinyElf(); bad[18] = 62; // EM_X86_64
  assert.equal(parseElf(bad), -8);
  // Linux checks neither e_ident's data encoding nor its version (measured natively: such a program runs).
  const oddIdent = tinyElf(); oddIdent[5] = 32; oddIdent[6] = 211;
  assert.ok(typeof parseElf(oddIdent) !== 'number');
  const pastEnd = tinyElf(); new DataView(pastEnd.buffer).setUint32(28, pastEnd.length, true);
  assert.equal(parseElf(pastEnd), -8);
  const noPhdr = tinyElf(); new DataView(noPhdr.buffer).setUint16(44, 0, true);
  assert.equal(parseElf(noPhdr), -8);
});

test('execve: Linux stack layout with argv, envp and auxv; garbage gets ENOEXEC', async () => {
  const { kernel, task, pages } = setup();
  const { AddressSpace } = await import('../mm/index.js');
  task.mm = AddressSpace.create(pages)!;
  const encoder = new TextEncoder();
  assert.equal(execve(kernel, task, { path: '/bin/garbage', argv: [], envp: [] }), -8);
  assert.equal(execve(kernel, task, { path: '/bin/nothing', argv: [], envp: [] }), -2);
  assert.equal(execve(kernel, task, { path: '/bin/tiny', argv: [encoder.encode('tiny'), encoder.encode('x')], envp: [encoder.encode('A=1')] }), 0);
  assert.equal(task.context.eip, 0x08048054);
  const sp = task.context.gpr[4]! >>> 0;
  assert.equal(sp % 16, 0);
  assert.ok(sp < STACK_TOP && sp > STACK_TOP - 8192);
  const words = new DataView((copyFromUser(task.mm, sp, STACK_TOP - sp) as Uint8Array).buffer);
  const word = (i: number): number => words.getUint32(i * 4, true);
  const string = (address: number): string => {
    const bytes = copyFromUser(task.mm, address, Math.min(64, STACK_TOP - address)) as Uint8Array;
    return new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0)));
  };
  assert.equal(word(0), 2);
  assert.equal(string(word(1)), 'tiny');
  assert.equal(string(word(2)), 'x');
  assert.equal(word(3), 0);
  assert.equal(string(word(4)), 'A=1');
  assert.equal(word(5), 0);
  const auxv = new Map<number, number>();
  for (let i = 6; word(i) !== 0; i += 2) auxv.set(word(i), word(i + 1));
  assert.equal(auxv.get(AT_PAGESZ), 4096);
  assert.equal(auxv.get(AT_ENTRY), 0x08048054);
  assert.equal(auxv.get(AT_PHDR), 0x08048034);
  assert.equal(auxv.get(AT_PHNUM), 1);
  assert.equal(string(auxv.get(AT_PLATFORM)!), 'i686');
  assert.equal(string(auxv.get(AT_EXECFN)!), '/bin/tiny');
  assert.ok(auxv.get(AT_RANDOM)! > sp);
  // The code page faults in from the file.
  assert.deepEqual([...(copyFromUser(task.mm, 0x08048054, 2) as Uint8Array)], [0xcd, 0x80]);
  // bss beyond the file is zero.
  assert.deepEqual([...(copyFromUser(task.mm, 0x08048100, 4) as Uint8Array)], [0, 0, 0, 0]);
});

test('fork, exit and wait4: zombie statuses, reaping, no leaked pages', async () => {
  const { kernel, task, pages, free } = setup();
  const { AddressSpace } = await import('../mm/index.js');
  task.mm = AddressSpace.create(pages)!;
  kernel.tasks.set(task.pid, task);
  assert.equal(execve(kernel, task, { path: '/bin/tiny', argv: [], envp: [] }), 0);
  copyFromUser(task.mm, 0x08048054, 2);
  const child = cloneTask(kernel, task, { flags: SIGCHLD, stack: 0, parentTid: 0, childTid: 0, tls: 0 });
  assert.ok(typeof child !== 'number');
  assert.equal(child.context.gpr[0], 0);
  assert.equal(kernel.scheduler.pickNextTask(), child);
  let blocked = 0;
  assert.equal(waitChild(kernel, task, -1, 0, () => { blocked++; return -512; }), -512);
  exitTask(kernel, child, exitedStatus(7));
  assert.equal(child.state, TaskState.Zombie);
  assert.equal(task.pending, 0n, 'SIGCHLD with SIG_DFL is discarded (its default action is ignore)');
  const reaped = waitChild(kernel, task, -1, 0, () => -512);
  assert.ok(typeof reaped !== 'number' && reaped.pid === child.pid && reaped.status === 7 << 8);
  assert.equal(waitChild(kernel, task, -1, 0, () => -512), -10);
  exitTask(kernel, task, exitedStatus(0));
  assert.equal(pages.buddy.freePageCount, free);
  assert.equal(blocked, 1);
});

test('round-robin: FIFO order, rotation after the time slice', () => {
  const scheduler = new RoundRobinScheduler<{ pid: number; timeSlice: number }>();
  const a = { pid: 1, timeSlice: 0 };
  const b = { pid: 2, timeSlice: 0 };
  scheduler.addTask(a); scheduler.addTask(b);
  assert.equal(scheduler.pickNextTask(), a);
  let preempted = false;
  for (let i = 0; i < 10 && !preempted; i++) preempted = scheduler.taskTick(a);
  assert.ok(preempted);
  assert.equal(scheduler.pickNextTask(), b);
  scheduler.removeTask(b);
  assert.equal(scheduler.pickNextTask(), a);
});

test('signals: an interruptible sleep wakes for a signal, an uninterruptible one (disk I/O, "D") does not', async () => {
  const { kernel, task } = setup();
  const { sendSignal, SIGUSR1, SIGKILL } = await import('./index.js');
  const { WaitQueue } = await import('../lib/index.js');
  kernel.tasks.set(task.pid, task);
  const queue = new WaitQueue();
  queue.add(task);
  kernel.sleep(task);
  sendSignal(kernel, task, SIGUSR1);
  assert.equal(task.state, TaskState.Runnable, 'an ordinary sleep ends for a signal');

  task.pending = 0n;
  queue.add(task);
  kernel.sleep(task);
  task.uninterruptible = true;
  sendSignal(kernel, task, SIGUSR1);
  sendSignal(kernel, task, SIGKILL);
  assert.equal(task.state, TaskState.Sleeping, 'signals stay pending while the disk wait lasts');
  assert.notEqual(task.pending, 0n);
  queue.wakeAll();
  assert.equal(task.state, TaskState.Runnable, 'the wait queue still wakes it');
});
