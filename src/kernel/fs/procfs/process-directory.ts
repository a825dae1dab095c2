/**
 * /proc/PID and /proc/PID/task/TID (fs/proc/base.c tgid_base_stuff and tid_base_stuff):
 * the files describing one process or one of its threads, the cwd/exe/root links, and the
 * fd/ and fdinfo/ directories of its open files. Every entry lives while its task does.
 */
import type { Kernel, Task } from '../../proc/index.js';
import { TaskState } from '../../proc/index.js';
import { copyFromUser } from '../../mm/index.js';
import { procPidSched } from '../../sched/index.js';
import { EINVAL, ENOENT } from '../../lib/index.js';
import { O_ACCMODE, O_CLOEXEC, O_RDONLY, O_WRONLY } from '../file.js';
import type { ProcDirectory, ProcEntry } from './proc-node.js';
import { fixedDirectory, link, textFile } from './proc-node.js';
import { mapsText } from './maps.js';
import { mountinfoText, mountsText } from './mounts.js';
import { openFilePath, pathBelow } from './paths.js';
import { programMappingName } from './process-memory.js';
import { statmText, statText } from './process-stat.js';
import { statusText } from './process-status.js';
import { threadsOf } from './process-view.js';

/** State procfs keeps for a task that the task itself does not carry (oom_score_adj). */
export interface ProcessExtras {
  readonly oomScoreAdjust: WeakMap<Task, number>;
}

const RLIM_INFINITY = -1;
/** Linux's lnames table with the defaults getrlimit reports here (INIT_RLIMITS). */
const LIMITS: [string, string, number, number][] = [
  ['Max cpu time', 'seconds', RLIM_INFINITY, RLIM_INFINITY], ['Max file size', 'bytes', RLIM_INFINITY, RLIM_INFINITY],
  ['Max data size', 'bytes', RLIM_INFINITY, RLIM_INFINITY], ['Max stack size', 'bytes', 8 * 1024 * 1024, RLIM_INFINITY],
  ['Max core file size', 'bytes', 0, RLIM_INFINITY], ['Max resident set', 'bytes', RLIM_INFINITY, RLIM_INFINITY],
  ['Max processes', 'processes', RLIM_INFINITY, RLIM_INFINITY], ['Max open files', 'files', 1024, 4096],
  ['Max locked memory', 'bytes', RLIM_INFINITY, RLIM_INFINITY], ['Max address space', 'bytes', RLIM_INFINITY, RLIM_INFINITY],
  ['Max file locks', 'locks', RLIM_INFINITY, RLIM_INFINITY], ['Max pending signals', 'signals', RLIM_INFINITY, RLIM_INFINITY],
  ['Max msgqueue size', 'bytes', RLIM_INFINITY, RLIM_INFINITY], ['Max nice priority', '', 0, 0],
  ['Max realtime priority', '', 0, 0], ['Max realtime timeout', 'us', RLIM_INFINITY, RLIM_INFINITY],
];

/** proc_pid_limits: "%-25s %-20s %-20s %-10s". */
function limitsText(): string {
  const value = (limit: number): string => (limit === RLIM_INFINITY ? 'unlimited' : String(limit)).padEnd(20);
  let text = `${'Limit'.padEnd(25)} ${'Soft Limit'.padEnd(20)} ${'Hard Limit'.padEnd(20)} ${'Units'.padEnd(10)}\n`;
  for (const [name, unit, soft, hard] of LIMITS) text += `${name.padEnd(25)} ${value(soft)} ${value(hard)} ${unit ? unit.padEnd(10) : ''}\n`;
  return text;
}

/** The bytes of [start, end) of the task's memory (cmdline, environ); empty for a zombie. */
function userBytes(task: Task, start: number, end: number): Uint8Array {
  if (task.state === TaskState.Zombie || task.state === TaskState.Dead || end <= start) return new Uint8Array(0);
  const bytes = copyFromUser(task.mm, start, end - start);
  return typeof bytes === 'number' ? new Uint8Array(0) : bytes;
}

/** exec named the program's mappings with its canonical path (proc/exec.ts programPath). */
function exeName(task: Task): string | number {
  const name = programMappingName(task.mm);
  return !name || task.state === TaskState.Zombie ? -ENOENT : name;
}

const IO_FIELDS = ['rchar', 'wchar', 'syscr', 'syscw', 'read_bytes', 'write_bytes', 'cancelled_write_bytes'];

function fdDirectory(kernel: Kernel, task: Task, info: boolean): ProcDirectory {
  return {
    kind: 'directory',
    mode: 0o500,
    list: () => task.files.openFds().map(String),
    lookup: (name) => {
      if (!/^(0|[1-9][0-9]*)$/.test(name)) return null;
      const fd = Number(name);
      const file = task.files.get(fd);
      if (!file) return null;
      const alive = (): boolean => task.files.get(fd) === file;
      if (info) {
        return {
          ...textFile(() => {
            const flags = file.flags | (task.files.getCloseOnExec(fd) ? O_CLOEXEC : 0);
            const mount = kernel.vfs.mounts.mountOfSuperblock(file.inode.superblock);
            return `pos:\t${file.position}\nflags:\t0${flags.toString(8)}\nmnt_id:\t${mount?.id ?? 0}\nino:\t${file.inode.ino}\n`;
          }, 0o400),
          alive,
        };
      }
      const access = file.flags & O_ACCMODE;
      // proc_fd_link: r-x for a readable file, -wx for a writable one, rwx for both.
      const mode = (access !== O_WRONLY ? 0o500 : 0) | (access !== O_RDONLY ? 0o300 : 0);
      return { kind: 'link', mode, target: () => openFilePath(kernel, task, file), follow: () => file.inode, alive };
    },
  };
}

/** The entries of /proc/PID (`whole`: the thread group's view, with task/) or of /proc/PID/task/TID. */
export function processDirectory(kernel: Kernel, task: Task, whole: boolean, extras: ProcessExtras): ProcEntry {
  const entries: Record<string, ProcEntry> = {
    fd: fdDirectory(kernel, task, false),
    fdinfo: fdDirectory(kernel, task, true),
    environ: textFile(() => userBytes(task, task.mm.envStart, task.mm.envEnd), 0o400),
    limits: textFile(limitsText),
    sched: textFile(() => procPidSched(task, threadsOf(kernel, task).length), 0o644),
    comm: {
      ...textFile(() => `${task.comm}\n`, 0o644),
      write: (data) => {
        task.comm = new TextDecoder().decode(data).replace(/\n$/, '').slice(0, 15);
        return data.length;
      },
    },
    cmdline: textFile(() => userBytes(task, task.mm.argStart, task.mm.argEnd)),
    stat: textFile(() => statText(kernel, task, whole)),
    statm: textFile(() => statmText(task)),
    status: textFile(() => statusText(kernel, task)),
    maps: textFile(() => mapsText(kernel, task)),
    mounts: textFile(() => mountsText(kernel, task)),
    mountinfo: textFile(() => mountinfoText(kernel, task)),
    cwd: link(() => pathBelow(task.fs.root, task.fs.cwd) ?? kernel.vfs.pathOf(task.fs.root, task.fs.cwd), () => task.fs.cwd),
    root: link(() => '/', () => task.fs.root),
    exe: link(() => exeName(task), () => {
      const name = exeName(task);
      return typeof name === 'number' ? name : kernel.vfs.lookup(task.fs.root, task.fs.root, name);
    }),
    io: textFile(() => IO_FIELDS.map((field) => `${field}: 0\n`).join(''), 0o400),
    wchan: textFile(() => '0'),
    oom_score: textFile(() => `${Math.max(0, extras.oomScoreAdjust.get(task) ?? 0)}\n`),
    oom_score_adj: {
      ...textFile(() => `${extras.oomScoreAdjust.get(task) ?? 0}\n`, 0o644),
      write: (data) => {
        const value = Number(new TextDecoder().decode(data).trim());
        if (!Number.isInteger(value) || value < -1000 || value > 1000) return -EINVAL;
        extras.oomScoreAdjust.set(task, value);
        return data.length;
      },
    },
  };
  if (whole) entries.task = taskDirectory(kernel, task, extras);
  const owner = (): { uid: number; gid: number } => ({ uid: task.credentials.euid, gid: task.credentials.egid });
  const ownedEntries: Record<string, ProcEntry> = {};
  for (const [name, entry] of Object.entries(entries)) ownedEntries[name] = { ...entry, owner };
  return { ...fixedDirectory(ownedEntries), owner, alive: () => kernel.tasks.get(task.pid) === task && task.state !== TaskState.Dead };
}

/** /proc/PID/task: one directory per thread of the group. */
function taskDirectory(kernel: Kernel, leader: Task, extras: ProcessExtras): ProcDirectory {
  return {
    kind: 'directory',
    list: () => threadsOf(kernel, leader).map((thread) => String(thread.pid)),
    lookup: (name) => {
      const thread = kernel.tasks.get(Number(name));
      if (!thread || thread.tgid !== leader.tgid || String(thread.pid) !== name || thread.state === TaskState.Dead) return null;
      return processDirectory(kernel, thread, false, extras);
    },
  };
}
