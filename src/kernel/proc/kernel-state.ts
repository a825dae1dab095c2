/**
 * The kernel's state for one machine (no module-level globals): the vcpu,
 * memory, VFS, log, scheduler, the task table and the clock. Subsystems above
 * proc/ (syscalls, the run loop) receive it explicitly.
 * Lock order: none — the kernel is single-threaded host code.
 */
import type { Platform, Vcpu } from '../../hal/index.js';
import type { Interrupts } from '../irq/index.js';
import type { Klog } from '../log/index.js';
import { ERESTARTSYS } from '../lib/index.js';
import type { Random } from '../lib/index.js';
import type { PhysicalPages } from '../mm/index.js';
import type { FileOps, Superblock, Vfs } from '../fs/index.js';
import type { SchedulerOps } from '../sched/index.js';
import type { TtyLayer } from '../tty/index.js';
import { PidAllocator } from './pid-allocator.js';
import { TimerQueue } from './timers.js';
import type { SigAction } from './signal-state.js';
import type { Task } from './task.js';
import { TaskState } from './task.js';
import { LoadAverage } from './load-average.js';
import { UtsNames } from './uts.js';

export interface KernelClock {
  /** Nanoseconds since boot (CLOCK_MONOTONIC). */
  monotonic(): number;
  /** Moves virtual time forward (an idle machine skipping to its next event). */
  advance(nanoseconds: number): void;
  /** Nanoseconds since the epoch at boot (CLOCK_REALTIME = this + monotonic). */
  readonly bootEpoch: number;
}

export class Kernel {
  readonly tasks = new Map<number, Task>();
  readonly pids = new PidAllocator();
  /** The task whose registers are in the vcpu. */
  current: Task | null = null;
  /** The init task's pid (1 on a fresh boot): its exit stops the machine; orphans are reparented to it. */
  initPid = 1;
  /** Set when init exits: the machine stops with this wait status. */
  haltStatus: number | null = null;
  /** What reboot(2) asked for: the host powers off, halts or restarts the machine once the run loop returns. */
  powerState: 'running' | 'power-off' | 'halt' | 'restart' = 'running';
  readonly pipeSuperblock: Superblock = { type: 'pipefs', device: 0x0c, nextIno: 1 };
  /** Futex waiters by physical address of the futex word (shared and private alike). */
  readonly futexWaiters = new Map<number, Set<Task>>();
  /** Tasks woken by FUTEX_WAKE: their restarted wait returns 0. */
  readonly futexWoken = new Set<Task>();
  readonly timers = new TimerQueue();
  /** The devices around the vcpu (set at boot; null in unit tests that build a bare kernel). */
  platform: Platform | null = null;
  /** External interrupts: the IRQ table and the controller driver (set at boot with the platform). */
  interrupts: Interrupts | null = null;
  /** The TTY layer: the driver registry, /dev/tty, /dev/console, ptys and controlling terminals (set at boot). */
  ttys: TtyLayer | null = null;
  /** The 1, 5 and 15 minute load averages (/proc/loadavg, sysinfo; load-average.ts). */
  readonly loadAverage = new LoadAverage();
  /** The host and domain names uname(2) reports (uts.ts). */
  readonly uts = new UtsNames();
  /**
   * Work an interrupt handler defers to process context (Linux's workqueues): disk write-back
   * must not start from a timer interrupt, because the disk driver waits in hlt and is not
   * re-entrant. The run loop runs these between tasks.
   */
  readonly deferredWork: (() => void)[] = [];
  /** Syscalls answered ENOSYS, logged once each. */
  readonly unsupportedSeen = new Set<number>();
  /** The TLS descriptors (GDT entries 6-8, low and high words) last written to the vcpu; entry i is valid when bit i of tlsValid is set. */
  private readonly loadedTls = new Int32Array(6);
  private tlsValid = 0;

  constructor(
    readonly vcpu: Vcpu,
    readonly pages: PhysicalPages,
    readonly vfs: Vfs,
    readonly log: Klog,
    readonly scheduler: SchedulerOps<Task>,
    readonly clock: KernelClock,
    readonly random: Random,
    readonly consoleOps: FileOps,
    readonly cmdline: string,
  ) {}

  /**
   * Sets up a caught signal's frame (installed by the arch layer at boot); false when the frame
   * cannot be written, which kills the task with SIGSEGV as Linux's force_sigsegv does.
   */
  deliverToHandler: (task: Task, signal: number, action: SigAction) => boolean = () => false;

  /**
   * Sleeps `task` until `deadline` (monotonic ns) as part of a restartable syscall: returns 0 once the
   * deadline has passed, else queues a wake-up timer and returns -ERESTARTSYS. The deadline survives
   * restarts, so a signal handled with SA_RESTART resumes the same sleep.
   */
  sleepUntil(task: Task, deadline: number): number {
    if (this.clock.monotonic() >= deadline) {
      task.sleepDeadline = null;
      return 0;
    }
    task.sleepDeadline = deadline;
    this.timers.add(deadline, () => task.wake());
    return -ERESTARTSYS;
  }

  advanceClock(nanoseconds: number): void {
    this.clock.advance(nanoseconds);
  }

  realtime(): number {
    return this.clock.bootEpoch + this.clock.monotonic();
  }

  /** Puts `task` to sleep; it runs again after wake(). */
  sleep(task: Task): void {
    task.state = TaskState.Sleeping;
    this.scheduler.removeTask(task);
  }

  /** Makes a task runnable and queues it (Task.onWake points here). */
  makeRunnable(task: Task): void {
    task.state = TaskState.Runnable;
    this.scheduler.addTask(task);
  }

  /** Switches the vcpu to `task`: saves the outgoing registers, loads CR3, context and TLS (switch_to). */
  switchTo(task: Task): void {
    if (this.current === task) return;
    if (this.current && this.current.state !== TaskState.Dead) this.vcpu.saveContext(this.current.context);
    // TLS descriptors first, as Linux's __switch_to (load_TLS before the segment reloads): loading %gs reads
    // the incoming task's GDT entry. Hot path: tasks of one program usually find the same descriptors loaded.
    const tls = task.tls;
    for (let i = 0; i < 3; i++) {
      const descriptor = tls[i]!;
      this.setTlsEntry(i, descriptor[0], descriptor[1]);
    }
    this.vcpu.loadContext(task.context);
    // The vcpu keeps each address space's translations (page-table.ts invalidates every entry it changes, in its own address space).
    if (this.vcpu.getCr3() !== task.mm.directory) this.vcpu.setCr3(task.mm.directory, true);
    this.current = task;
  }

  /** Writes TLS descriptor `index` (0-2, GDT entry 6 + index) to the vcpu unless it already holds it. */
  setTlsEntry(index: number, low: number, high: number): void {
    if ((this.tlsValid & (1 << index)) !== 0 && this.loadedTls[2 * index] === (low | 0) && this.loadedTls[2 * index + 1] === (high | 0)) return;
    this.tlsValid |= 1 << index;
    this.loadedTls[2 * index] = low | 0;
    this.loadedTls[2 * index + 1] = high | 0;
    this.vcpu.setGdtEntry(6 + index, low, high);
  }

  /** The registers of `task`: live in the vcpu for the current task, saved otherwise. */
  registers(task: Task): Int32Array {
    return task === this.current ? this.vcpu.gpr : task.context.gpr;
  }

  /** All tasks of a thread group. */
  threadGroup(tgid: number): Task[] {
    const group: Task[] = [];
    for (const task of this.tasks.values()) if (task.tgid === tgid) group.push(task);
    return group;
  }
}
