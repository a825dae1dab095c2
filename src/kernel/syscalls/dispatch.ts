/**
 * Syscall dispatch (arch/x86/entry/common.c do_int80_syscall_32): the number
 * in eax, arguments in ebx, ecx, edx, esi, edi, ebp; the result (or -errno)
 * back in eax. A handler returning -ERESTARTSYS has queued the task: it
 * sleeps, and eip steps back over `int 0x80` (2 bytes) so the call runs again
 * when the task is woken — "blocking is a restart".
 */
import { ENOSYS, ERESTARTSYS } from '../lib/index.js';
import type { IoContext, UserAccess } from '../fs/index.js';
import { copyFromUser, copyToUser } from '../mm/index.js';
import type { Kernel, Task } from '../proc/index.js';
import { nextSignal, sendSignal, SIGPIPE, TaskState } from '../proc/index.js';
import type { SyscallContext } from './entry.js';
import { syscallNames } from './numbers.js';
import type { SyscallHandler } from './entry.js';
import { syscallTable } from './table.js';

const INT80_LENGTH = 2;

/** Hot path: handlers by number in a dense array (a Map lookup per syscall cost more); null is ENOSYS. */
const handlersByNumber: (SyscallHandler | null)[] = (() => {
  const handlers: (SyscallHandler | null)[] = [];
  for (const [number, entry] of syscallTable) {
    while (handlers.length <= number) handlers.push(null);
    handlers[number] = entry.handler;
  }
  return handlers;
})();

/** One context per task, made on its first syscall (hot path: no allocation per call). */
function contextFor(kernel: Kernel, task: Task): SyscallContext {
  const cached = task.syscallContext as SyscallContext | null;
  if (cached !== null) return cached;
  const io: IoContext = {
    waiter: task,
    block: (queue) => { queue.add(task); return -ERESTARTSYS; },
    blockUninterruptible: (queue) => { queue.add(task); task.uninterruptible = true; return -ERESTARTSYS; },
    sendSigpipe: () => sendSignal(kernel, task, SIGPIPE),
  };
  const user: UserAccess = {
    copyToUser: (address, data) => copyToUser(task.mm, address, data),
    copyFromUser: (address, length) => copyFromUser(task.mm, address, length),
  };
  const context = { kernel, task, io, user };
  task.syscallContext = context;
  return context;
}

/**
 * Runs a woken task's interrupted syscall again straight from the kernel (Linux's task goes on in its wait
 * loop after schedule() returns): the same as letting it re-execute `int 0x80`, whose address eip holds,
 * without the trip through user mode. Not under single-step, where the int itself must retire and trap.
 */
export function restartSyscall(kernel: Kernel, task: Task): void {
  kernel.vcpu.eip = (kernel.vcpu.eip + INT80_LENGTH) >>> 0;
  dispatchSyscall(kernel, task);
}

export function dispatchSyscall(kernel: Kernel, task: Task): void {
  const gpr = kernel.vcpu.gpr;
  const number = gpr[0]! >>> 0;
  const handler = number < handlersByNumber.length ? handlersByNumber[number]! : null;
  if (handler === null) {
    const args = [gpr[3]! >>> 0, gpr[1]! >>> 0, gpr[2]! >>> 0, gpr[6]! >>> 0, gpr[7]! >>> 0, gpr[5]! >>> 0];
    if (!kernel.unsupportedSeen.has(number)) {
      kernel.unsupportedSeen.add(number);
      const name = syscallNames[number] ?? `#${number}`;
      kernel.log.warn(`unsupported syscall ${name} (${args.map((a) => '0x' + a.toString(16)).join(', ')}) from ${task.comm}[${task.pid}]: ENOSYS`);
    }
    gpr[0] = -ENOSYS;
    return;
  }
  task.restarting = task.restartPending;
  task.restartPending = false;
  task.uninterruptible = false;
  if (!task.restarting) task.sleepDeadline = null;
  const result = handler(contextFor(kernel, task), gpr[3]! >>> 0, gpr[1]! >>> 0, gpr[2]! >>> 0, gpr[6]! >>> 0, gpr[7]! >>> 0, gpr[5]! >>> 0);
  if (task.state === TaskState.Zombie || task.state === TaskState.Dead) return;
  if (result === -ERESTARTSYS) {
    kernel.vcpu.eip = (kernel.vcpu.eip - INT80_LENGTH) >>> 0;
    task.restartPending = true;
    // A signal already pending interrupts the wait at once (deliver it, then the call restarts) unless the wait is uninterruptible.
    if (task.uninterruptible || nextSignal(task) === 0) kernel.sleep(task);
    return;
  }
  if (kernel.current === task) gpr[0] = result | 0;
  // vfork: the call is complete (eax holds the child's pid); the parent sleeps until the child lets go.
  if (task.vforkWaiting) kernel.sleep(task);
}
