/**
 * fork / vfork / clone (kernel/fork.c): a new task copying or sharing the
 * parent's address space (CLONE_VM), files (CLONE_FILES), fs context
 * (CLONE_FS) and signal handlers (CLONE_SIGHAND), in the parent's thread group
 * with CLONE_THREAD. The child resumes from the same syscall with eax = 0.
 */
import type { CpuContext } from '../../hal/index.js';
import { EAGAIN, EINVAL, ENOMEM } from '../lib/index.js';
import { putUser32 } from '../mm/index.js';
import type { Kernel } from './kernel-state.js';
import { Task, TaskState } from './task.js';
import { decodeUserDesc, installTls } from './tls.js';

export const CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800, CLONE_PIDFD = 0x1000,
  CLONE_PTRACE = 0x2000, CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000, CLONE_THREAD = 0x10000, CLONE_NEWNS = 0x20000,
  CLONE_SYSVSEM = 0x40000, CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000,
  CLONE_DETACHED = 0x400000, CLONE_UNTRACED = 0x800000, CLONE_CHILD_SETTID = 0x01000000;
export const CSIGNAL = 0xff;

export interface CloneRequest {
  readonly flags: number;
  /** New stack pointer, or 0 to keep the parent's. */
  readonly stack: number;
  readonly parentTid: number;
  readonly childTid: number;
  /** User address of a struct user_desc (CLONE_SETTLS). */
  readonly tls: number;
}

/** Creates the child; returns it or a negative errno. The child is queued to run. */
export function cloneTask(kernel: Kernel, parent: Task, request: CloneRequest): Task | number {
  const flags = request.flags;
  if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND)) return -EINVAL;
  if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM)) return -EINVAL;
  const pid = kernel.pids.allocate();
  if (pid < 0) return -EAGAIN;
  // The parent's stack page is copied at fork rather than on the first write of each process (AddressSpace.fork).
  const mm = flags & CLONE_VM ? parent.mm : parent.mm.fork(kernel.registers(parent)[4]! >>> 0);
  if (!mm) { kernel.pids.release(pid); return -ENOMEM; }
  const context = kernel.vcpu.createContext();
  if (kernel.current === parent) kernel.vcpu.saveContext(context);
  else copyContext(parent.context, context);
  context.gpr[0] = 0;
  if (request.stack) context.gpr[4] = request.stack | 0;
  const files = flags & CLONE_FILES ? parent.files : parent.files.fork();
  const fs = flags & CLONE_FS ? parent.fs : { ...parent.fs };
  const handlers = flags & CLONE_SIGHAND ? parent.signalHandlers : parent.signalHandlers.clone();
  const child = new Task(pid, context, mm, files, fs, handlers, { ...parent.credentials, groups: [...parent.credentials.groups] });
  child.comm = parent.comm;
  child.blocked = parent.blocked;
  // man 2 sigaltstack: fork inherits the alternate stack; a clone sharing the VM (a thread) starts without one.
  if (!(flags & CLONE_VM) || (flags & CLONE_VFORK)) child.altStack = { ...parent.altStack };
  // kernel/fork.c copy_process: the parent-death signal is not inherited; the rest of the prctl state is.
  child.prctl = { ...parent.prctl, parentDeathSignal: 0, childSubreaper: 0 };
  child.processGroup = parent.processGroup;
  child.session = parent.session;
  child.startTime = kernel.clock.monotonic();
  parent.tls.forEach((entry, i) => { child.tls[i] = [entry[0], entry[1]]; });
  if (flags & CLONE_THREAD) child.tgid = parent.tgid;
  child.parent = flags & (CLONE_PARENT | CLONE_THREAD) ? parent.parent : parent;
  child.exitSignal = flags & CLONE_THREAD ? 0 : flags & CSIGNAL;
  child.parent?.children.add(child);
  if (flags & CLONE_SETTLS) {
    const desc = decodeUserDesc(parent.mm, request.tls);
    if (typeof desc !== 'number') installTls(child, desc, null);
  }
  if (flags & CLONE_PARENT_SETTID) putUser32(parent.mm, request.parentTid, pid);
  if (flags & CLONE_CHILD_SETTID) putUser32(mm, request.childTid, pid);
  if (flags & CLONE_CHILD_CLEARTID) child.clearChildTid = request.childTid;
  child.onWake = (task) => kernel.makeRunnable(task);
  if (flags & CLONE_VFORK) {
    child.vforkParent = parent;
    parent.vforkWaiting = true;
  }
  kernel.tasks.set(pid, child);
  child.state = TaskState.Sleeping;
  kernel.scheduler.forkTask?.(parent, child);
  kernel.makeRunnable(child);
  return child;
}

function copyContext(from: CpuContext, to: CpuContext): void {
  to.gpr.set(from.gpr);
  to.eip = from.eip;
  to.eflags = from.eflags;
  to.segments.set(from.segments);
  to.fpu.set(from.fpu);
}
