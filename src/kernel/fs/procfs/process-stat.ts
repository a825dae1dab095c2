/**
 * /proc/PID/stat (52 fields, fs/proc/array.c do_task_stat; man 5 proc_pid_stat) and
 * /proc/PID/statm (seven page counts, task_statm). Signal masks print as decimal words,
 * addresses of the layout as exec set them; kernel stack and fault counts are 0 here.
 */
import type { Kernel, Task } from '../../proc/index.js';
import { TaskState } from '../../proc/index.js';
import { statSchedulingFields } from '../../sched/index.js';
import { processMemory } from './process-memory.js';
import { cpuTimes, parentPid, stateOf, terminalOf, threadsOf, ticks, signalDispositions } from './process-view.js';

const RLIM_INFINITY_TEXT = '4294967295';
/** Signals 1-31 of a mask (sig[0] & 0x7fffffff: the obsolete decimal fields; status has the full masks). */
const lowWord = (mask: bigint): string => String(Number(mask & 0x7fffffffn));

/** The stat line of `task`; `whole` for /proc/PID/stat (group totals), false for a thread's. */
export function statText(kernel: Kernel, task: Task, whole: boolean): string {
  const mm = task.mm;
  const memory = processMemory(mm);
  const times = cpuTimes(kernel, task, whole);
  const leader = kernel.tasks.get(task.tgid) ?? task;
  const terminal = terminalOf(kernel, task);
  const signals = signalDispositions(task);
  const scheduling = statSchedulingFields(task);
  const codeStart = mm.vmas.find((vma) => vma.source !== null && (vma.prot & 4) !== 0);
  const dataStart = mm.vmas.find((vma) => vma.source !== null && vma.name === codeStart?.name && (vma.prot & 2) !== 0);
  const zombie = task.state === TaskState.Zombie;
  const threads = threadsOf(kernel, task).length;
  // Field 35 is a flag since Linux 5.16: 1 when /proc/PID/wchan would name a wait (the task is not running).
  const wchan = task.state !== TaskState.Runnable && (!whole || threads < 2) ? 1 : 0;
  const fields: (string | number)[] = [
    task.pid, `(${task.comm})`, stateOf(task).letter, parentPid(kernel, task), task.processGroup, task.session,
    terminal.device, terminal.foregroundGroup,
    0x400000 /* flags: PF_RANDOMIZE, as a user process after exec */,
    0, 0, 0, 0 /* minflt cminflt majflt cmajflt: not counted */,
    ticks(times.user), ticks(times.system), ticks(whole ? leader.childUserTime : 0), ticks(whole ? leader.childSystemTime : 0),
    scheduling.priority, scheduling.nice, threads, 0, ticks(leader.startTime),
    zombie ? 0 : memory.size * 4096, zombie ? 0 : memory.resident, RLIM_INFINITY_TEXT,
    zombie ? 0 : codeStart?.start ?? 0, zombie ? 0 : codeStart?.end ?? 0, zombie ? 0 : mm.startStack,
    0, 0, lowWord(task.pending), lowWord(task.blocked), lowWord(signals.ignored), lowWord(signals.caught),
    wchan, 0, 0, task.exitSignal, 0, scheduling.rtPriority, scheduling.policy, 0, 0, 0,
    zombie ? 0 : dataStart?.start ?? 0, zombie ? 0 : dataStart?.end ?? 0, zombie ? 0 : mm.brkStart,
    zombie ? 0 : mm.argStart, zombie ? 0 : mm.argEnd, zombie ? 0 : mm.envStart, zombie ? 0 : mm.envEnd,
    zombie ? task.exitStatus : 0,
  ];
  return fields.join(' ') + '\n';
}

/** size resident shared text lib data dt, in pages (lib and dt are always 0 since Linux 2.6). */
export function statmText(task: Task): string {
  const memory = processMemory(task.mm);
  return [memory.size, memory.resident, memory.residentFile + memory.residentShared, memory.text, 0, memory.data + memory.stack, 0].join(' ') + '\n';
}
