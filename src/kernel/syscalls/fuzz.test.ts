/**
 * Syscall fuzzing on the fake hal: random numbers and arguments (bad pointers,
 * huge lengths, invalid flags and fds, and pointers into the task's own
 * memory) must never raise a host exception or a panic, and once every task
 * is gone no page may be leaked. IR0_FUZZ_ITERATIONS runs longer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeMemory, FakeVcpu } from '../testing/index.js';
import { Klog } from '../log/index.js';
import { Random } from '../lib/index.js';
import { AddressSpace, PhysicalPages } from '../mm/index.js';
import { FdTable, nullFileOps, OpenFile, O_RDWR, S_IFREG, tmpfsFileOps, truncateTmpfs, Vfs, writeTmpfs } from '../fs/index.js';
import { RoundRobinScheduler } from '../sched/index.js';
import { execve, Kernel, SignalHandlers, Task, TaskState } from '../proc/index.js';
import { dispatchSyscall, syscallTable } from './index.js';
import { shutdownTasks } from '../run-loop.js';
import { SYS_exit, SYS_exit_group, SYS_fork, SYS_vfork, SYS_clone, SYS_kill, SYS_tkill, SYS_tgkill } from './numbers.js';

function tinyElf(): Uint8Array {
  const file = new Uint8Array(0x100);
  const view = new DataView(file.buffer);
  file.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  view.setUint16(16, 2, true); view.setUint16(18, 3, true); view.setUint32(24, 0x08048054, true); view.setUint32(28, 52, true);
  view.setUint16(42, 32, true); view.setUint16(44, 1, true);
  view.setUint32(52, 1, true); view.setUint32(60, 0x08048000, true);
  view.setUint32(68, 0x100, true); view.setUint32(72, 0x2000, true); view.setUint32(76, 7, true);
  return file;
}

test('syscall fuzz: no host exceptions, no leaked pages', () => {
  const iterations = Number(process.env.IR0_FUZZ_ITERATIONS ?? 20000);
  const vcpu = new FakeVcpu();
  const pages = new PhysicalPages(fakeMemory(32), vcpu);
  const vfs = new Vfs(pages);
  const clock = { monotonic: () => vcpu.instructionsRetired, advance: () => undefined, bootEpoch: 0 };
  const kernel = new Kernel(vcpu, pages, vfs, new Klog(), new RoundRobinScheduler<Task>(), clock, new Random(7), nullFileOps, '');
  const inode = vfs.create(vfs.root, 'tiny', S_IFREG | 0o755, tmpfsFileOps);
  assert.ok(typeof inode !== 'number');
  writeTmpfs(inode, tinyElf(), 0);
  vfs.mkdir(vfs.root, 'tmp', 0o1777);
  const free = pages.buddy.freePageCount;
  const random = new Random(Number(process.env.IR0_FUZZ_SEED ?? 42));
  // Fatal or process-wide calls are left out: they end the experiment rather than test a path.
  const skipped = new Set([SYS_exit, SYS_exit_group, SYS_fork, SYS_vfork, SYS_clone, SYS_kill, SYS_tkill, SYS_tgkill]);
  const numbers = [...syscallTable.keys()].filter((n) => syscallTable.get(n)!.handler && !skipped.has(n));
  const spawn = (): Task => {
    // The fuzz may have rewritten or chmod-ed the program through its fds: restore it.
    inode.mode = S_IFREG | 0o755;
    truncateTmpfs(inode, 0);
    writeTmpfs(inode, tinyElf(), 0);
    const task = new Task(kernel.pids.allocate(), vcpu.createContext(), AddressSpace.create(pages)!, new FdTable(),
      { root: vfs.root, cwd: vfs.root, umask: 0o22 }, new SignalHandlers(), { uid: 0, euid: 0, suid: 0, gid: 0, egid: 0, sgid: 0, groups: [] });
    task.onWake = (t) => kernel.makeRunnable(t);
    kernel.tasks.set(task.pid, task);
    kernel.initPid = task.pid;
    assert.equal(execve(kernel, task, { path: '/tiny', argv: [], envp: [] }), 0);
    task.files.install(new OpenFile(inode, O_RDWR, '/tiny'), false);
    kernel.makeRunnable(task);
    kernel.switchTo(task);
    return task;
  };
  let task = spawn();
  const interesting = [0, 1, 2, 3, 0xffffffff, 0x7fffffff, 0x80000000, 0x08048000, 0x08048100, 0xbffff000, 0xbfffff00, 0xc0000000, 4096, 100];
  const argument = (): number => {
    const choice = random.nextU32() % 4;
    if (choice === 0) return interesting[random.nextU32() % interesting.length]!;
    if (choice === 1) return random.nextU32() % 64;
    if (choice === 2) return (0xbfff0000 + (random.nextU32() % 0x10000)) >>> 0;
    return random.nextU32();
  };
  for (let i = 0; i < iterations; i++) {
    if (task.state !== TaskState.Runnable) {
      // A blocked or dead task is retired (with everything it left) and a fresh one takes its place.
      shutdownTasks(kernel);
      task = spawn();
    }
    kernel.switchTo(task);
    const number = numbers[random.nextU32() % numbers.length]!;
    vcpu.gpr[0] = number;
    for (const reg of [3, 1, 2, 6, 7, 5]) vcpu.gpr[reg] = argument() | 0;
    vcpu.eip = 0x08048056;
    dispatchSyscall(kernel, task);
  }
  // Clean up like the system does after init exits, then count pages.
  {
    shutdownTasks(kernel);
    // Files the fuzz created in tmpfs keep their pages; remove them before counting.
    for (const [name, child] of [...vfs.root.children]) if (child !== inode && name !== 'tmp') vfs.remove(vfs.root, name, (child.mode & 0o170000) === 0o040000);
    const tmp = vfs.root.children.get('tmp')!;
    const clear = (dir: typeof tmp): void => {
      for (const [name, child] of [...dir.children]) { if ((child.mode & 0o170000) === 0o040000) clear(child); vfs.remove(dir, name, (child.mode & 0o170000) === 0o040000); }
    };
    clear(tmp);
    assert.equal(pages.buddy.freePageCount, free, 'pages leaked');
  }
});
