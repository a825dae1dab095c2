/**
 * select(2) and its forms (_newselect with a timeval, pselect6 with a
 * timespec, pselect6_time64, and the old select taking one pointer to its
 * five arguments): fd_set bitmaps in, readiness from each file's poll op,
 * the ready bits out. Sleeping follows poll: wait queues plus a timer.
 */
import { EBADF, EFAULT, EINVAL, ERESTARTSYS } from '../lib/index.js';
import { POLLERR, POLLHUP, POLLIN, POLLOUT } from '../fs/index.js';
import type { WaitQueue } from '../lib/index.js';
import { copyFromUser, copyToUser } from '../mm/index.js';
import type { SyscallContext } from './entry.js';

const FD_SETSIZE = 1024;

function readSet(context: SyscallContext, address: number, words: number): Uint32Array | number {
  if (!address) return new Uint32Array(words);
  const bytes = copyFromUser(context.task.mm, address, words * 4);
  if (typeof bytes === 'number') return -EFAULT;
  return new Uint32Array(bytes.buffer.slice(0));
}

function writeSet(context: SyscallContext, address: number, set: Uint32Array): number {
  return address ? copyToUser(context.task.mm, address, new Uint8Array(set.buffer)) : 0;
}

/** The common core: `timeout` in nanoseconds, or -1 to wait forever. */
function select(context: SyscallContext, count: number, readAddress: number, writeAddress: number, exceptAddress: number, timeout: number): number {
  if ((count | 0) < 0 || count > FD_SETSIZE) return -EINVAL;
  const words = Math.ceil(count / 32);
  const read = readSet(context, readAddress, words);
  const write = readSet(context, writeAddress, words);
  const except = readSet(context, exceptAddress, words);
  if (typeof read === 'number' || typeof write === 'number' || typeof except === 'number') return -EFAULT;
  const out = [new Uint32Array(words), new Uint32Array(words), new Uint32Array(words)] as const;
  const queues: WaitQueue[] = [];
  let ready = 0;
  for (let fd = 0; fd < count; fd++) {
    const bit = 1 << (fd & 31);
    const word = fd >>> 5;
    const wanted = [(read[word]! & bit) !== 0, (write[word]! & bit) !== 0, (except[word]! & bit) !== 0];
    if (!wanted.some(Boolean)) continue;
    const file = context.task.files.get(fd);
    if (!file) return -EBADF;
    let events = POLLIN | POLLOUT;
    if (file.ops.poll) {
      const state = file.ops.poll(file);
      events = state.events;
      if (state.queue) queues.push(state.queue);
    }
    // man 2 select: end of file and errors count as readable (and writable for errors).
    const hits = [(events & (POLLIN | POLLHUP | POLLERR)) !== 0, (events & (POLLOUT | POLLERR)) !== 0, false];
    hits.forEach((hit, i) => { if (hit && wanted[i]) { out[i]![word]! |= bit; ready++; } });
  }
  if (ready === 0 && timeout !== 0) {
    const { kernel, task } = context;
    let sleep = -ERESTARTSYS;
    if (timeout > 0) {
      const deadline = task.restarting && task.sleepDeadline !== null ? task.sleepDeadline : kernel.clock.monotonic() + timeout;
      sleep = kernel.sleepUntil(task, deadline);
    }
    if (sleep !== 0) {
      for (const queue of queues) queue.add(task);
      return sleep;
    }
  }
  if (writeSet(context, readAddress, out[0]) < 0 || writeSet(context, writeAddress, out[1]) < 0 || writeSet(context, exceptAddress, out[2]) < 0) return -EFAULT;
  return ready;
}

function readTime(context: SyscallContext, address: number, kind: 'timeval' | 'timespec' | 'timespec64'): number {
  if (!address) return -1;
  const bytes = copyFromUser(context.task.mm, address, kind === 'timespec64' ? 16 : 8);
  if (typeof bytes === 'number') return -2;
  const view = new DataView(bytes.buffer);
  const seconds = kind === 'timespec64' ? view.getUint32(0, true) + view.getInt32(4, true) * 0x100000000 : view.getInt32(0, true);
  const fraction = view.getInt32(kind === 'timespec64' ? 8 : 4, true);
  const nanoseconds = kind === 'timeval' ? fraction * 1000 : fraction;
  if (seconds < 0 || fraction < 0 || nanoseconds >= 1e9) return -3;
  return seconds * 1e9 + nanoseconds;
}

function timedSelect(context: SyscallContext, n: number, r: number, w: number, e: number, timeAddress: number, kind: 'timeval' | 'timespec' | 'timespec64'): number {
  const timeout = readTime(context, timeAddress, kind);
  if (timeout === -2) return -EFAULT;
  if (timeout === -3) return -EINVAL;
  return select(context, n, r, w, e, timeout);
}

/** Implements _newselect(2) (select with a struct timeval). */
export const sysNewselect = (c: SyscallContext, n: number, r: number, w: number, e: number, t: number): number => timedSelect(c, n, r, w, e, t, 'timeval');
/** Implements pselect6(2) (partial: the signal mask argument is ignored). */
export const sysPselect6 = (c: SyscallContext, n: number, r: number, w: number, e: number, t: number): number => timedSelect(c, n, r, w, e, t, 'timespec');
/** Implements pselect6_time64(2) (partial: the signal mask argument is ignored). */
export const sysPselect6Time64 = (c: SyscallContext, n: number, r: number, w: number, e: number, t: number): number => timedSelect(c, n, r, w, e, t, 'timespec64');

/** Implements the old select(2): one pointer to { n, inp, outp, exp, tvp }. */
export function sysOldSelect(context: SyscallContext, address: number): number {
  const bytes = copyFromUser(context.task.mm, address, 20);
  if (typeof bytes === 'number') return -EFAULT;
  const view = new DataView(bytes.buffer);
  const word = (i: number): number => view.getUint32(i * 4, true);
  return timedSelect(context, word(0), word(1), word(2), word(3), word(4), 'timeval');
}
