import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeMemory, FakeVcpu } from '../../testing/index.js';
import { Klog } from '../../log/index.js';
import { Random } from '../../lib/index.js';
import { AddressSpace, PhysicalPages } from '../../mm/index.js';
import type { Inode, IoContext } from '../index.js';
import { encodeDirents, FdTable, mountFilesystem, nullFileOps, O_RDONLY, O_WRONLY, OpenFile, S_IFREG, tmpfsFileOps, Vfs, writeTmpfs } from '../index.js';
import { createScheduler } from '../../sched/index.js';
import { calcLoad, execve, FIXED_1, Kernel, LoadAverage, LOAD_FREQ_NS, SignalHandlers, Task, TaskState } from '../../proc/index.js';
import { registerProcFilesystem } from './index.js';

/** A minimal ELF32 executable: one PT_LOAD of the whole file at 0x08048000. */
function tinyElf(): Uint8Array {
  const file = new Uint8Array(0x100);
  const view = new DataView(file.buffer);
  file.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  view.setUint16(16, 2, true); view.setUint16(18, 3, true); view.setUint32(20, 1, true);
  view.setUint32(24, 0x08048054, true); view.setUint32(28, 52, true);
  view.setUint16(40, 52, true); view.setUint16(42, 32, true); view.setUint16(44, 1, true);
  view.setUint32(52, 1, true); view.setUint32(56, 0, true); view.setUint32(60, 0x08048000, true);
  view.setUint32(68, 0x100, true); view.setUint32(72, 0x2000, true); view.setUint32(76, 5, true); view.setUint32(80, 0x1000, true);
  return file;
}

function setup() {
  const vcpu = new FakeVcpu();
  const pages = new PhysicalPages(fakeMemory(16), vcpu);
  const vfs = new Vfs(pages);
  const clock = { monotonic: () => 0, advance: () => undefined, bootEpoch: 0 };
  const scheduler = createScheduler<Task>('rr', { clock: () => 0, freePages: 0 })!;
  const kernel = new Kernel(vcpu, pages, vfs, new Klog(), scheduler, clock, new Random(1), nullFileOps, 'console=ttyS0');
  for (const name of ['bin', 'proc']) vfs.mkdir(vfs.root, name, 0o755);
  const program = vfs.create(vfs.root.children.get('bin')!, 'tiny', S_IFREG | 0o755, tmpfsFileOps) as Inode;
  writeTmpfs(program, tinyElf(), 0);
  registerProcFilesystem(kernel);
  const caller = { root: vfs.root, cwd: vfs.root, privileged: true };
  assert.equal(mountFilesystem(vfs, caller, 'proc', '/proc', 'proc', 0, ''), 0);
  const task = new Task(kernel.pids.allocate(), vcpu.createContext(), AddressSpace.create(pages)!, new FdTable(), { root: vfs.root, cwd: vfs.root, umask: 0o22 },
    new SignalHandlers(), { uid: 0, euid: 0, suid: 0, gid: 0, egid: 0, sgid: 0, groups: [0] });
  kernel.tasks.set(task.pid, task);
  const encoder = new TextEncoder();
  assert.equal(execve(kernel, task, { path: '/bin/tiny', argv: ['tiny', 'one', 'two'].map((a) => encoder.encode(a)), envp: [encoder.encode('A=1')] }), 0);
  kernel.current = task;
  return { kernel, vfs, task };
}

/** Reads a whole file through its file ops, as read(2) would. */
function readAll(vfs: Vfs, path: string): string | number {
  const inode = vfs.lookup(vfs.root, vfs.root, path);
  if (typeof inode === 'number') return inode;
  const bytes = inode.fileOps.read!(new OpenFile(inode, O_RDONLY, path), 65536, 0, null as unknown as IoContext);
  return typeof bytes === 'number' ? bytes : new TextDecoder().decode(bytes);
}

function names(vfs: Vfs, path: string): string[] {
  const inode = vfs.lookup(vfs.root, vfs.root, path) as Inode;
  const listing = encodeDirents(new OpenFile(inode, O_RDONLY, path), 0, 65536);
  assert.ok(typeof listing !== 'number');
  const found: string[] = [];
  const view = new DataView(listing.bytes.buffer, listing.bytes.byteOffset);
  for (let at = 0; at < listing.bytes.length; at += view.getUint16(at + 16, true)) {
    const start = at + 19;
    found.push(new TextDecoder().decode(listing.bytes.subarray(start, listing.bytes.indexOf(0, start))));
  }
  return found;
}

test('calc_load: a constant count n pulls each average to n as 1 - e^(-t/period), in 11-bit fixed point', () => {
  const load = new LoadAverage();
  load.sample(60 * 1e9, 1);
  const [one, five, fifteen] = load.averages.map((average) => average / FIXED_1);
  // 12 periods of 5 s: the fixed-point recurrence stays within 1% of the exponential it discretises.
  assert.ok(Math.abs(one! - (1 - Math.exp(-1))) < 0.01, `1 min ${one}`);
  assert.ok(Math.abs(five! - (1 - Math.exp(-60 / 300))) < 0.01, `5 min ${five}`);
  assert.ok(Math.abs(fifteen! - (1 - Math.exp(-60 / 900))) < 0.01, `15 min ${fifteen}`);
  // Falling load decays without the rising round-up; a converged average stays put.
  assert.equal(calcLoad(FIXED_1, 1884, FIXED_1), FIXED_1);
  assert.ok(calcLoad(FIXED_1, 1884, 0) < FIXED_1);
  const idle = new LoadAverage();
  idle.sample(LOAD_FREQ_NS - 1, 5);
  assert.deepEqual(idle.text(), ['0.00', '0.00', '0.00']);
});

test('procfs: /proc lists processes; /proc/PID files describe the task; self points at the caller', () => {
  const { kernel, vfs, task } = setup();
  const pid = String(task.pid);
  assert.ok(names(vfs, '/proc').includes(pid));
  assert.ok(names(vfs, '/proc').includes('meminfo'));
  assert.equal(vfs.readlink(vfs.lookup(vfs.root, vfs.root, '/proc/self', false) as Inode), pid);
  assert.equal(readAll(vfs, '/proc/self/cmdline'), 'tiny\0one\0two\0');
  assert.equal(readAll(vfs, `/proc/${pid}/environ`), 'A=1\0');
  assert.equal(readAll(vfs, `/proc/${pid}/comm`), 'tiny\n');
  const stat = (readAll(vfs, `/proc/${pid}/stat`) as string).trim().split(' ');
  assert.equal(stat.length, 52);
  assert.deepEqual(stat.slice(0, 3), [pid, '(tiny)', 'R']);
  // The program's one mapping: 0x2000 bytes at 0x08048000 (statm: size in pages), exe its canonical path.
  assert.match(readAll(vfs, `/proc/${pid}/maps`) as string, /^08048000-08049000 r-xp 00000000 00:01 \d+ +\/bin\/tiny$/m);
  assert.equal(vfs.readlink(vfs.lookup(vfs.root, vfs.root, `/proc/${pid}/exe`, false) as Inode), '/bin/tiny');
  assert.match(readAll(vfs, '/proc/self/status') as string, new RegExp(`^Name:\\ttiny\\nUmask:\\t0022\\nState:\\tR \\(running\\)\\nTgid:\\t${pid}\\n`));
  assert.equal(readAll(vfs, '/proc/cmdline'), 'console=ttyS0\n');
  assert.match(readAll(vfs, '/proc/mounts') as string, /^proc \/proc proc rw,relatime 0 0$/m);
  assert.equal(kernel.scheduler.name, 'rr');
});

test('procfs: a gone process leaves /proc, even from the dentry cache; fd links follow the table', () => {
  const { kernel, vfs, task } = setup();
  const path = `/proc/${task.pid}/status`;
  assert.equal(typeof readAll(vfs, path), 'string');
  const status = vfs.lookup(vfs.root, vfs.root, path) as Inode;
  const file = new OpenFile(vfs.lookup(vfs.root, vfs.root, '/bin/tiny') as Inode, O_RDONLY, '/bin/tiny');
  const fd = task.files.install(file, false);
  assert.equal(vfs.readlink(vfs.lookup(vfs.root, vfs.root, `/proc/self/fd/${fd}`, false) as Inode), '/bin/tiny');
  task.files.close(fd);
  assert.equal(vfs.lookup(vfs.root, vfs.root, `/proc/self/fd/${fd}`, false), -2);
  task.state = TaskState.Dead;
  kernel.tasks.delete(task.pid);
  assert.equal(vfs.lookup(vfs.root, vfs.root, path), -2);
  assert.equal(status.fileOps.read!(new OpenFile(status, O_RDONLY, path), 100, 0, null as unknown as IoContext), -3);
  assert.ok(!names(vfs, '/proc').includes(String(task.pid)));
});

test('procfs: /proc/sys/kernel/sched_class hot-swaps the fair class; bad names are refused', () => {
  const { kernel, vfs } = setup();
  const inode = vfs.lookup(vfs.root, vfs.root, '/proc/sys/kernel/sched_class') as Inode;
  const write = (text: string): number => inode.fileOps.write!(new OpenFile(inode, O_WRONLY, ''), new TextEncoder().encode(text), 0, null as unknown as IoContext);
  // `echo cfs > sched_class` truncates first (O_TRUNC): accepted and without effect, as proc_setattr does; chmod is refused.
  assert.equal(vfs.setattr(inode, { size: 0 }), 0);
  assert.equal(vfs.setattr(inode, { mode: 0o777 }), -1);
  assert.equal(write('cfs\n'), 4);
  assert.equal(kernel.scheduler.name, 'cfs');
  assert.equal(readAll(vfs, '/proc/sys/kernel/sched_class'), 'cfs\n');
  assert.ok(write('nonsense') < 0);
  assert.match(readAll(vfs, '/proc/sys/kernel/random/boot_id') as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n$/);
});
