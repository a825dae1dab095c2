/**
 * The "proc" filesystem type (fs/proc/root.c): its root lists the system-wide files and
 * one directory per process (thread-group leader), and looks up any task's pid. /proc/self
 * and /proc/thread-self point at the caller (the task in the vcpu). `registerProcFilesystem`
 * adds the type; boot mounts it on /proc.
 */
import type { Kernel } from '../../proc/index.js';
import { TaskState } from '../../proc/index.js';
import { ENOENT } from '../../lib/index.js';
import type { FileSystemType } from '../filesystem-type.js';
import { filesystemsText } from '../filesystem-type.js';
import { meminfoText } from './meminfo.js';
import type { ProcessExtras } from './process-directory.js';
import { processDirectory } from './process-directory.js';
import type { ProcDirectory, ProcEntry, ProcSuperblock } from './proc-node.js';
import { link, makeProcInode, textFile } from './proc-node.js';
import { sysDirectory } from './sysctl.js';
import {
  cpuinfoText, devicesText, interruptsText, loadavgText, partitionsText, schedDebugText, slabinfoText, statText, swapsText, uptimeText, versionText,
} from './system-files.js';

/** PROC_SUPER_MAGIC (statfs f_type). */
export const PROC_SUPER_MAGIC = 0x9fa0;

/** What procfs keeps across mounts: per-task extras. */
export type ProcfsState = ProcessExtras;

function rootDirectory(kernel: Kernel, state: ProcfsState): ProcDirectory {
  const caller = () => kernel.current;
  const fixed: Record<string, ProcEntry> = {
    self: link(() => { const task = caller(); return task ? String(task.tgid) : -ENOENT; }),
    'thread-self': link(() => { const task = caller(); return task ? `${task.tgid}/task/${task.pid}` : -ENOENT; }),
    mounts: link(() => 'self/mounts'),
    buddyinfo: textFile(() => kernel.pages.buddy.buddyinfo()),
    cmdline: textFile(() => `${kernel.cmdline}\n`),
    cpuinfo: textFile(cpuinfoText),
    devices: textFile(() => devicesText(kernel)),
    filesystems: textFile(() => filesystemsText(kernel.vfs.filesystems.values())),
    interrupts: textFile(() => interruptsText(kernel)),
    loadavg: textFile(() => loadavgText(kernel)),
    meminfo: textFile(() => meminfoText(kernel)),
    partitions: textFile(() => partitionsText(kernel)),
    sched_debug: textFile(() => schedDebugText(kernel)),
    slabinfo: textFile(() => slabinfoText(kernel), 0o400),
    stat: textFile(() => statText(kernel)),
    swaps: textFile(swapsText),
    sys: sysDirectory(kernel),
    uptime: textFile(() => uptimeText(kernel)),
    version: textFile(versionText),
  };
  return {
    kind: 'directory',
    list: () => {
      const pids: number[] = [];
      for (const task of kernel.tasks.values()) if (task.isThreadGroupLeader && task.state !== TaskState.Dead) pids.push(task.pid);
      return [...Object.keys(fixed), ...pids.sort((a, b) => a - b).map(String)];
    },
    lookup: (name) => {
      if (Object.prototype.hasOwnProperty.call(fixed, name)) return fixed[name]!;
      if (!/^[1-9][0-9]*$/.test(name)) return null;
      // Any task's pid resolves (threads too, though readdir lists leaders only), as proc_pid_lookup does.
      const task = kernel.tasks.get(Number(name));
      if (!task || task.state === TaskState.Dead) return null;
      return processDirectory(kernel, task, true, state);
    },
  };
}

/** Registers "proc" (nodev); every mount gets its own superblock over the same kernel state. */
export function registerProcFilesystem(kernel: Kernel): ProcfsState {
  const state: ProcfsState = { oomScoreAdjust: new WeakMap() };
  let nextDevice = 0x30;
  const type: FileSystemType = {
    name: 'proc',
    requiresDevice: false,
    mount: () => {
      const superblock: ProcSuperblock = {
        type: 'proc', device: nextDevice++, nextIno: 1, now: () => kernel.realtime(),
        ops: { statfs: () => ({ type: PROC_SUPER_MAGIC, blockSize: 4096, blocks: 0, freeBlocks: 0, availableBlocks: 0, files: 0, freeFiles: 0, nameLength: 255 }) },
      };
      const root = makeProcInode(superblock, rootDirectory(kernel, state));
      root.parent = root;
      superblock.root = root;
      return superblock;
    },
  };
  kernel.vfs.filesystems.set(type.name, type);
  return state;
}
