/**
 * /proc/PID/status (fs/proc/array.c proc_pid_status; man 5 proc_pid_status): the key:\tvalue
 * lines in Linux's order — identity, credentials, memory (task_mem, absent for zombies),
 * threads, signal masks as 16 hex digits, capabilities, affinity and context switches.
 */
import type { Kernel, Task } from '../../proc/index.js';
import { TaskState } from '../../proc/index.js';
import { processMemory } from './process-memory.js';
import { parentPid, signalDispositions, stateOf, threadsOf } from './process-view.js';

/** CAP_LAST_CAP of Linux 6.1 is 40 (CAP_CHECKPOINT_RESTORE): root holds bits 0-40. */
const FULL_CAPABILITIES = '000001ffffffffff';
const NO_CAPABILITIES = '0000000000000000';

const kib = (pages: number): string => `${String(pages * 4).padStart(8)} kB`;
const hex64 = (mask: bigint): string => mask.toString(16).padStart(16, '0');

/** Pending signals and the RLIMIT_SIGPENDING default (max_threads / 2, with max_threads = RAM / 16 pages on i386). */
function signalQueue(kernel: Kernel, task: Task): string {
  let queued = 0;
  for (let mask = task.pending; mask; mask &= mask - 1n) queued++;
  return `${queued}/${Math.floor(kernel.pages.buddy.totalPageCount / 16 / 2)}`;
}

/** The fd table's capacity as Linux grows it: 64 slots, doubled until the highest open fd fits (expand_fdtable). */
function fdTableSize(task: Task): number {
  const fds = task.files.openFds();
  const highest = fds.length ? fds[fds.length - 1]! : 0;
  let size = 64;
  while (size <= highest) size *= 2;
  return size;
}

export function statusText(kernel: Kernel, task: Task): string {
  const credentials = task.credentials;
  const state = stateOf(task);
  const signals = signalDispositions(task);
  const capabilities = credentials.euid === 0 ? FULL_CAPABILITIES : NO_CAPABILITIES;
  const lines = [
    `Name:\t${task.comm}`,
    `Umask:\t${task.fs.umask.toString(8).padStart(4, '0')}`,
    `State:\t${state.letter} (${state.name})`,
    `Tgid:\t${task.tgid}`,
    'Ngid:\t0',
    `Pid:\t${task.pid}`,
    `PPid:\t${parentPid(kernel, task)}`,
    'TracerPid:\t0',
    `Uid:\t${credentials.uid}\t${credentials.euid}\t${credentials.suid}\t${credentials.euid}`,
    `Gid:\t${credentials.gid}\t${credentials.egid}\t${credentials.sgid}\t${credentials.egid}`,
    `FDSize:\t${fdTableSize(task)}`,
    `Groups:\t${credentials.groups.join(' ')} `,
    `NStgid:\t${task.tgid}`,
    `NSpid:\t${task.pid}`,
    `NSpgid:\t${task.processGroup}`,
    `NSsid:\t${task.session}`,
    'Kthread:\t0',
  ];
  if (task.state !== TaskState.Zombie && task.state !== TaskState.Dead) {
    const memory = processMemory(task.mm);
    // The high-water marks are not tracked: the current figures stand for them.
    lines.push(
      `VmPeak:\t${kib(memory.size)}`, `VmSize:\t${kib(memory.size)}`, `VmLck:\t${kib(0)}`, `VmPin:\t${kib(0)}`,
      `VmHWM:\t${kib(memory.resident)}`, `VmRSS:\t${kib(memory.resident)}`, `RssAnon:\t${kib(memory.residentAnonymous)}`,
      `RssFile:\t${kib(memory.residentFile)}`, `RssShmem:\t${kib(memory.residentShared)}`, `VmData:\t${kib(memory.data)}`,
      `VmStk:\t${kib(memory.stack)}`, `VmExe:\t${kib(memory.text)}`, `VmLib:\t${kib(memory.libraries)}`,
      `VmPTE:\t${kib(memory.pageTables)}`, `VmSwap:\t${kib(0)}`, `HugetlbPages:\t${kib(0)}`,
    );
  }
  lines.push(
    'CoreDumping:\t0',
    'THP_enabled:\t0',
    'untag_mask:\t0xffffffff',
    `Threads:\t${threadsOf(kernel, task).length}`,
    `SigQ:\t${signalQueue(kernel, task)}`,
    `SigPnd:\t${hex64(task.pending)}`,
    `ShdPnd:\t${hex64(0n)}`,
    `SigBlk:\t${hex64(task.blocked)}`,
    `SigIgn:\t${hex64(signals.ignored)}`,
    `SigCgt:\t${hex64(signals.caught)}`,
    `CapInh:\t${NO_CAPABILITIES}`,
    `CapPrm:\t${capabilities}`,
    `CapEff:\t${capabilities}`,
    `CapBnd:\t${FULL_CAPABILITIES}`,
    `CapAmb:\t${NO_CAPABILITIES}`,
    `NoNewPrivs:\t${task.prctl.noNewPrivileges}`,
    'Seccomp:\t0',
    'Seccomp_filters:\t0',
    'Speculation_Store_Bypass:\tnot vulnerable',
    'SpeculationIndirectBranch:\tunsupported',
    'Cpus_allowed:\t1',
    'Cpus_allowed_list:\t0',
    'Mems_allowed:\t1',
    'Mems_allowed_list:\t0',
    `voluntary_ctxt_switches:\t${task.sched.voluntarySwitches}`,
    `nonvoluntary_ctxt_switches:\t${task.sched.involuntarySwitches}`,
  );
  return lines.join('\n') + '\n';
}
