/**
 * Syscalls on open file descriptions: read/write and their vector and
 * positional forms, lseek, close, dup*, fcntl64, ioctl, pipe2, getdents64, poll.
 */
import { EBADF, EFAULT, EINVAL, EISDIR, ENOTDIR, ENOTTY, ESPIPE, ERESTARTSYS } from '../lib/index.js';
import type { OpenFile } from '../fs/index.js';
import {
  createPipeInode, encodeDirents, isDirectory, O_APPEND, O_CLOEXEC, O_NONBLOCK, O_RDONLY, O_WRONLY, OpenFile as File,
  Pipe, pipeReadOps, pipeWriteOps, POLLIN, POLLOUT, FIONBIO,
} from '../fs/index.js';
import { copyFromUser, copyFromUserInto, copyToUser } from '../mm/index.js';
import type { SyscallContext } from './entry.js';
import { fcntlLock } from './locks.js';
import { readIoVectors, words32 } from './user-strings.js';

/** Linux caps one read or write at MAX_RW_COUNT; a smaller cap keeps host buffers bounded. */
const MAX_IO = 16 * 1024 * 1024;

export function fileOf(context: SyscallContext, fd: number): OpenFile | null {
  return context.task.files.get(fd | 0);
}

function readFile(context: SyscallContext, file: OpenFile, buffer: number, count: number, position: number | null): number {
  if (!file.readable) return -EBADF;
  if (isDirectory(file.inode.mode)) return -EISDIR;
  if (!file.ops.read) return -EINVAL;
  const data = file.ops.read(file, Math.min(count, MAX_IO), position ?? file.position, context.io);
  if (typeof data === 'number') return data;
  if (copyToUser(context.task.mm, buffer, data) < 0) return -EFAULT;
  if (position === null && file.ops.seekable) file.position += data.length;
  return data.length;
}

/** Reused buffers of 1..SMALL_WRITE bytes for writes to files whose write() copies (a pipe's short messages). */
const SMALL_WRITE = 64;
const smallWriteBuffers = Array.from({ length: SMALL_WRITE + 1 }, (_, size) => new Uint8Array(size));

function writeFile(context: SyscallContext, file: OpenFile, buffer: number, count: number, position: number | null): number {
  if (!file.writable) return -EBADF;
  if (!file.ops.write) return -EINVAL;
  let data: Uint8Array | number;
  if (file.ops.writeCopies && count <= SMALL_WRITE) {
    // Hot path (lat_pipe's one-byte messages): no typed array made per write.
    data = smallWriteBuffers[count]!;
    if (copyFromUserInto(context.task.mm, buffer, data) < 0) return -EFAULT;
  } else {
    data = copyFromUser(context.task.mm, buffer, Math.min(count, MAX_IO));
  }
  if (typeof data === 'number') return data;
  if (position === null && file.flags & O_APPEND) file.position = file.inode.size;
  const written = file.ops.write(file, data, position ?? file.position, context.io);
  if (written > 0 && position === null && file.ops.seekable) file.position += written;
  return written;
}

/** Implements read(2). */
export function sysRead(context: SyscallContext, fd: number, buffer: number, count: number): number {
  const file = fileOf(context, fd);
  return file ? readFile(context, file, buffer, count, null) : -EBADF;
}

/** Implements write(2). */
export function sysWrite(context: SyscallContext, fd: number, buffer: number, count: number): number {
  const file = fileOf(context, fd);
  return file ? writeFile(context, file, buffer, count, null) : -EBADF;
}

const position64 = (low: number, high: number): number => high * 0x100000000 + low;

/** Implements pread64(2). */
export function sysPread64(context: SyscallContext, fd: number, buffer: number, count: number, low: number, high: number): number {
  // fs/read_write.c ksys_pread64/ksys_pwrite64: a negative loff_t is EINVAL, checked before the fd.
  if ((high | 0) < 0) return -EINVAL;
  const file = fileOf(context, fd);
  if (!file) return -EBADF;
  return file.ops.seekable ? readFile(context, file, buffer, count, position64(low, high)) : -ESPIPE;
}

/** Implements pwrite64(2). */
export function sysPwrite64(context: SyscallContext, fd: number, buffer: number, count: number, low: number, high: number): number {
  // fs/read_write.c ksys_pread64/ksys_pwrite64: a negative loff_t is EINVAL, checked before the fd.
  if ((high | 0) < 0) return -EINVAL;
  const file = fileOf(context, fd);
  if (!file) return -EBADF;
  return file.ops.seekable ? writeFile(context, file, buffer, count, position64(low, high)) : -ESPIPE;
}

function vectorIo(context: SyscallContext, fd: number, address: number, count: number, write: boolean): number {
  const file = fileOf(context, fd);
  if (!file) return -EBADF;
  if ((count | 0) < 0 || count > 1024) return -EINVAL;
  const vectors = readIoVectors(context.task.mm, address, count);
  if (typeof vectors === 'number') return vectors;
  let total = 0;
  for (const vector of vectors) {
    if (vector.length === 0) continue;
    const done = write ? writeFile(context, file, vector.base, vector.length, null) : readFile(context, file, vector.base, vector.length, null);
    if (done < 0) return total > 0 ? total : done;
    total += done;
    if (done < vector.length) break;
  }
  return total;
}

/** Implements readv(2). */
export function sysReadv(context: SyscallContext, fd: number, address: number, count: number): number {
  return vectorIo(context, fd, address, count, false);
}

/** Implements writev(2). */
export function sysWritev(context: SyscallContext, fd: number, address: number, count: number): number {
  return vectorIo(context, fd, address, count, true);
}

function seek(file: OpenFile, offset: number, whence: number): number {
  if (!file.ops.seekable) return file.ops.write === pipeWriteOps.write || file.ops.read === pipeReadOps.read ? -ESPIPE : 0;
  const base = whence === 0 ? 0 : whence === 1 ? file.position : whence === 2 ? file.inode.size : NaN;
  if (Number.isNaN(base) || base + offset < 0) return -EINVAL;
  file.position = base + offset;
  return file.position;
}

/** Implements lseek(2). */
export function sysLseek(context: SyscallContext, fd: number, offset: number, whence: number): number {
  const file = fileOf(context, fd);
  if (!file) return -EBADF;
  const result = seek(file, offset | 0, whence);
  // A 32-bit off_t cannot report positions >= 2 GiB (EOVERFLOW).
  return result >= 0x80000000 ? -75 : result;
}

/** Implements _llseek(2): 64-bit offset from two words, result stored through a pointer. */
export function sysLlseek(context: SyscallContext, fd: number, high: number, low: number, result: number, whence: number): number {
  const file = fileOf(context, fd);
  if (!file) return -EBADF;
  const position = seek(file, (high | 0) * 0x100000000 + low, whence);
  if (position < 0) return position;
  return copyToUser(context.task.mm, result, words32(position % 0x100000000, Math.floor(position / 0x100000000)));
}

/** Implements close(2). */
export function sysClose(context: SyscallContext, fd: number): number {
  return context.task.files.close(fd | 0);
}

/** Implements dup(2). */
export function sysDup(context: SyscallContext, fd: number): number {
  const file = fileOf(context, fd);
  if (!file) return -EBADF;
  file.references++;
  return context.task.files.install(file, false);
}

/** Implements dup3(2) (dup2 passes flags -1 to mean "same fd is fine"). */
export function sysDup3(context: SyscallContext, oldFd: number, newFd: number, flags: number): number {
  const file = fileOf(context, oldFd);
  if (!file) return -EBADF;
  if (flags === 0xffffffff) return oldFd === newFd ? oldFd : context.task.files.installAt(newFd | 0, file, false);
  if (oldFd === newFd || (flags & ~O_CLOEXEC)) return -EINVAL;
  return context.task.files.installAt(newFd | 0, file, (flags & O_CLOEXEC) !== 0);
}

/** Implements dup2(2). */
export function sysDup2(context: SyscallContext, oldFd: number, newFd: number): number {
  return sysDup3(context, oldFd, newFd, 0xffffffff);
}

const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7;
const F_GETLK64 = 12, F_SETLK64 = 13, F_SETLKW64 = 14, F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38, F_DUPFD_CLOEXEC = 1030, F_GETPIPE_SZ = 1032;
const SETFL_MASK = O_APPEND | O_NONBLOCK | 0o20000 | 0o40000 | 0o1000000;

/** Implements fcntl64(2). */
export function sysFcntl64(context: SyscallContext, fd: number, command: number, argument: number): number {
  const files = context.task.files;
  const file = files.get(fd | 0);
  if (!file) return -EBADF;
  switch (command) {
    case F_DUPFD: case F_DUPFD_CLOEXEC:
      if ((argument | 0) < 0 || argument >= files.limit) return -EINVAL;
      file.references++;
      return files.install(file, command === F_DUPFD_CLOEXEC, argument);
    case F_GETFD: return files.getCloseOnExec(fd) ? 1 : 0;
    case F_SETFD: files.setCloseOnExec(fd, (argument & 1) !== 0); return 0;
    case F_GETFL: return file.flags & ~O_CLOEXEC;
    case F_SETFL: file.flags = (file.flags & ~SETFL_MASK) | (argument & SETFL_MASK); return 0;
    case F_GETLK: case F_SETLK: case F_SETLKW: case F_GETLK64: case F_SETLK64: case F_SETLKW64:
    case F_OFD_GETLK: case F_OFD_SETLK: case F_OFD_SETLKW:
      return fcntlLock(context, file, command, argument);
    case F_GETPIPE_SZ: return file.inode.private_ instanceof Pipe ? 65536 : -EINVAL;
    default: return -EINVAL;
  }
}

const FIOCLEX = 0x5451, FIONCLEX = 0x5450;

/** Implements ioctl(2): generic fd requests here, the rest to the file's ops (ENOTTY without). */
export function sysIoctl(context: SyscallContext, fd: number, request: number, argument: number): number {
  const file = fileOf(context, fd);
  if (!file) return -EBADF;
  switch (request) {
    case FIOCLEX: context.task.files.setCloseOnExec(fd, true); return 0;
    case FIONCLEX: context.task.files.setCloseOnExec(fd, false); return 0;
    case FIONBIO: {
      const value = copyFromUser(context.task.mm, argument, 4);
      if (typeof value === 'number') return -EFAULT;
      file.flags = value.some((b) => b !== 0) ? file.flags | O_NONBLOCK : file.flags & ~O_NONBLOCK;
      return 0;
    }
    default: return file.ops.ioctl ? file.ops.ioctl(file, request, argument, context.user) : -ENOTTY;
  }
}

/** Implements pipe2(2). */
export function sysPipe2(context: SyscallContext, address: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | 0o40000)) return -EINVAL;
  const inode = createPipeInode(context.kernel.pages, context.kernel.pipeSuperblock);
  if (typeof inode === 'number') return inode;
  const pipe = inode.private_ as Pipe;
  pipe.readers = 1;
  pipe.writers = 1;
  const reader = new File(inode, O_RDONLY | (flags & O_NONBLOCK), 'pipe:', pipeReadOps);
  const writer = new File(inode, O_WRONLY | (flags & O_NONBLOCK), 'pipe:', pipeWriteOps);
  const files = context.task.files;
  const readFd = files.install(reader, (flags & O_CLOEXEC) !== 0);
  if (readFd < 0) { writer.ops.release?.(writer); return readFd; }
  const writeFd = files.install(writer, (flags & O_CLOEXEC) !== 0);
  if (writeFd < 0) { files.close(readFd); return writeFd; }
  if (copyToUser(context.task.mm, address, words32(readFd, writeFd)) < 0) {
    files.close(readFd); files.close(writeFd);
    return -EFAULT;
  }
  return 0;
}

/** Implements pipe(2). */
export function sysPipe(context: SyscallContext, address: number): number {
  return sysPipe2(context, address, 0);
}

/** Implements getdents64(2). */
export function sysGetdents64(context: SyscallContext, fd: number, address: number, count: number): number {
  const file = fileOf(context, fd);
  if (!file) return -EBADF;
  if (!isDirectory(file.inode.mode)) return -ENOTDIR;
  const encoded = encodeDirents(file, file.position, Math.min(count, 1 << 20));
  if (typeof encoded === 'number') return encoded;
  if (copyToUser(context.task.mm, address, encoded.bytes) < 0) return -EFAULT;
  file.position = encoded.cursor;
  return encoded.bytes.length;
}

/** Implements poll(2): readiness now; with nothing ready, sleeps until a queue or the timeout (a kernel timer) wakes it. */
export function sysPoll(context: SyscallContext, address: number, count: number, timeout: number): number {
  if (count > 1024) return -EINVAL;
  const bytes = copyFromUser(context.task.mm, address, count * 8);
  if (typeof bytes === 'number') return bytes;
  const view = new DataView(bytes.buffer);
  let ready = 0;
  const queues = [];
  for (let i = 0; i < count; i++) {
    const fd = view.getInt32(i * 8, true);
    const wanted = view.getInt16(i * 8 + 4, true) | 0x18;
    let events = 0;
    if (fd >= 0) {
      const file = context.task.files.get(fd);
      if (!file) events = 0x20; // POLLNVAL
      else if (file.ops.poll) { const state = file.ops.poll(file); events = state.events & wanted; if (state.queue) queues.push(state.queue); }
      else events = (POLLIN | POLLOUT) & wanted;
    }
    view.setInt16(i * 8 + 6, events, true);
    if (events) ready++;
  }
  if (ready === 0 && (timeout | 0) !== 0) {
    const { kernel, task } = context;
    let sleep = -ERESTARTSYS;
    if ((timeout | 0) > 0) {
      const deadline = task.restarting && task.sleepDeadline !== null ? task.sleepDeadline : kernel.clock.monotonic() + (timeout | 0) * 1e6;
      sleep = kernel.sleepUntil(task, deadline);
    }
    if (sleep !== 0) {
      for (const queue of queues) queue.add(context.io.waiter);
      return sleep;
    }
  }
  return copyToUser(context.task.mm, address, bytes) < 0 ? -EFAULT : ready;
}

const CLOSE_RANGE_CLOEXEC = 4;

/** Implements close_range(2) (CLOSE_RANGE_UNSHARE is implied: fd tables are not shared across exec here). */
export function sysCloseRange(context: SyscallContext, first: number, last: number, flags: number): number {
  if (flags & ~(2 | CLOSE_RANGE_CLOEXEC) || first > last) return -EINVAL;
  const files = context.task.files;
  for (const fd of files.openFds()) {
    if (fd < first || fd > last) continue;
    if (flags & CLOSE_RANGE_CLOEXEC) files.setCloseOnExec(fd, true);
    else files.close(fd);
  }
  return 0;
}

/** Implements ppoll(2) (and ppoll_time64 with `wide`): poll with a timespec timeout; the signal mask argument is ignored (partial). */
export function ppoll(context: SyscallContext, address: number, count: number, timeoutAddress: number, wide: boolean): number {
  let milliseconds = -1;
  if (timeoutAddress) {
    const bytes = copyFromUser(context.task.mm, timeoutAddress, wide ? 16 : 8);
    if (typeof bytes === 'number') return -EFAULT;
    const view = new DataView(bytes.buffer);
    const seconds = wide ? view.getUint32(0, true) + view.getInt32(4, true) * 0x100000000 : view.getInt32(0, true);
    const nanoseconds = view.getUint32(wide ? 8 : 4, true);
    if (seconds < 0 || nanoseconds >= 1e9) return -EINVAL;
    milliseconds = Math.min(0x7fffffff, Math.ceil(seconds * 1000 + nanoseconds / 1e6));
  }
  return sysPoll(context, address, count, milliseconds >>> 0);
}

export const sysPpoll = (c: SyscallContext, a: number, n: number, t: number): number => ppoll(c, a, n, t, false);
export const sysPpollTime64 = (c: SyscallContext, a: number, n: number, t: number): number => ppoll(c, a, n, t, true);
