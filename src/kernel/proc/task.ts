/**
 * A task (Linux's task_struct, the OpenOS roadmap's PCB): identity, state,
 * saved user context, address space, files, filesystem context, signal state,
 * credentials and times. Threads are tasks sharing mm/files/handlers and a tgid.
 */
import type { CpuContext } from '../../hal/index.js';
import type { Waiter } from '../lib/index.js';
import { WaitQueue } from '../lib/index.js';
import type { AddressSpace } from '../mm/index.js';
import type { FdTable, Inode } from '../fs/index.js';
import { SchedEntity } from '../sched/index.js';
import type { SignalHandlers } from './signal-state.js';

export const TaskState = { Runnable: 0, Sleeping: 1, Stopped: 2, Zombie: 3, Dead: 4 } as const;
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

/** Root and working directory (Linux's fs_struct), shared with CLONE_FS. */
export interface FsContext {
  root: Inode;
  cwd: Inode;
  umask: number;
}

export interface Credentials {
  uid: number; euid: number; suid: number;
  gid: number; egid: number; sgid: number;
  groups: number[];
}

export class Task implements Waiter {
  state: TaskState = TaskState.Runnable;
  parent: Task | null = null;
  readonly children = new Set<Task>();
  /** Threads of the same process share this (the thread-group leader's pid). */
  tgid: number;
  comm = '';
  /** Signal sent to the parent at exit (SIGCHLD, or clone's CSIGNAL bits; 0 for threads). */
  exitSignal = 17;
  /** Exit status as wait(2) reports it (already encoded). */
  exitStatus = 0;
  /** Raised when a child changes state; wait4 sleeps here. */
  readonly childEvents = new WaitQueue();
  blocked = 0n;
  /** The mask to restore after a signal interrupts rt_sigsuspend (Linux's saved_sigmask). */
  savedMask: bigint | null = null;
  pending = 0n;
  /** set_tid_address / CLONE_CHILD_CLEARTID: zeroed and futex-woken at exit. */
  clearChildTid = 0;
  /** set_robust_list: the user address of the robust_list_head (walked at exit) and the length it was set with. */
  robustList = 0;
  robustListLength = 12;
  /** sigaltstack: the alternate signal stack (ss_sp, ss_size; disabled when size is 0 or SS_DISABLE is set). */
  altStack = { sp: 0, size: 0, flags: 2 };
  /**
   * The queue of each pending signal: its siginfo (128 bytes; null when the kernel sent it without one). A standard
   * signal has at most one entry; a real-time signal one per send (signal.ts). Made on first use: most tasks never
   * receive a signal with siginfo (fork allocates less).
   */
  queuedSignalInfo: Map<number, (Uint8Array | null)[]> | null = null;
  /** The siginfo of the signal being delivered now (taken off signalInfo by dequeueSignal; null: build one). */
  deliveringInfo: Uint8Array | null = null;
  /** prctl state: the signal sent when the parent exits (PR_SET_PDEATHSIG), dumpable, keepcaps, no_new_privs, subreaper. */
  prctl = { parentDeathSignal: 0, dumpable: 1, keepCapabilities: 0, noNewPrivileges: 0, childSubreaper: 0 };
  /** The futex key (physical address) this task waits on, -1 when none; its FUTEX_WAIT_BITSET mask. */
  futexKey = -1;
  futexBitset = 0xffffffff;
  /** rt_sigtimedwait in progress: signals of this set wake the task even though they are blocked. */
  waitedSignals = 0n;
  /** The last CPU fault turned into a signal: si_code and si_addr for its siginfo. */
  lastFault: { signal: number; code: number; address: number } | null = null;
  /** The current syscall was rewound to restart: a handler without SA_RESTART makes it return EINTR. */
  restartPending = false;
  /** This syscall is a restart of one that slept (set by dispatch for the handler). */
  restarting = false;
  /**
   * The task sleeps where signals must not cut the wait short (disk I/O: Linux's TASK_UNINTERRUPTIBLE, "D"):
   * a signal stays pending until the wait ends and the call completes. Cleared when the call runs again.
   */
  uninterruptible = false;
  /** Deadline of a timed sleep in progress (monotonic ns), kept across restarts. */
  sleepDeadline: number | null = null;
  /** ITIMER_REAL: the pending timer id and its reload interval (ns). */
  realTimer: { id: number; deadline: number; interval: number } | null = null;
  /** vfork: the parent sleeps until this child execs or exits (kernel/fork.c wait_for_vfork_done). */
  vforkParent: Task | null = null;
  vforkWaiting = false;
  /** The syscall layer's context object for this task (its own type), made on the first syscall: no allocation per call. */
  syscallContext: unknown = null;
  /** GDT TLS entries 6..8 as [low, high] descriptor words (set_thread_area). */
  readonly tls: [number, number][] = [[0, 0], [0, 0], [0, 0]];
  processGroup: number;
  session: number;
  /** Job control, on the thread-group leader: the signal that stopped the process, until wait reports it (WUNTRACED). */
  stopReport = 0;
  /** Job control, on the thread-group leader: SIGCONT resumed the process, until wait reports it (WCONTINUED). */
  continueReport = false;
  /** Times in nanoseconds of virtual clock. */
  userTime = 0;
  systemTime = 0;
  startTime = 0;
  childUserTime = 0;
  childSystemTime = 0;
  /** Remaining ticks of the current time slice (the round-robin scheduler's private data). */
  timeSlice = 0;
  /** Policy, priorities, vruntime and statistics (the scheduler's sched_entity). */
  readonly sched = new SchedEntity();
  /** Called when the task becomes runnable again (installed by the scheduler glue). */
  onWake: (task: Task) => void = () => undefined;

  constructor(
    readonly pid: number,
    readonly context: CpuContext,
    public mm: AddressSpace,
    public files: FdTable,
    public fs: FsContext,
    public signalHandlers: SignalHandlers,
    public credentials: Credentials,
  ) {
    this.tgid = pid;
    this.processGroup = pid;
    this.session = pid;
  }

  get isThreadGroupLeader(): boolean { return this.pid === this.tgid; }

  /** Waiter: a sleeping task becomes runnable and goes back on the run queue. */
  wake(): void {
    // A vfork parent wakes only when its child lets go of the address space.
    if (this.state !== TaskState.Sleeping || this.vforkWaiting) return;
    this.state = TaskState.Runnable;
    this.onWake(this);
  }
}

/** The vfork child is done with the borrowed address space (exec or exit): its parent runs again. */
export function releaseVforkParent(child: Task): void {
  const parent = child.vforkParent;
  if (!parent) return;
  child.vforkParent = null;
  parent.vforkWaiting = false;
  parent.wake();
}
