/**
 * Syscalls that answer for features ir0 does not have yet, the way Linux
 * answers on a system without them: extended attributes (tmpfs here keeps
 * none) and sockets (no address family is configured); and sendfile64 and syslog.
 */
import { EAFNOSUPPORT, EBADF, EFAULT, EINVAL, ENODATA, ENOTSOCK, EOPNOTSUPP } from '../lib/index.js';
import { copyFromUser, copyToUser } from '../mm/index.js';
import { formatRecord } from '../log/index.js';
import type { SyscallContext } from './entry.js';
import { words32 } from './user-strings.js';

/** Implements getxattr(2), lgetxattr(2), fgetxattr(2): no attributes are stored. */
export const sysGetxattr = (): number => -ENODATA;
/** Implements listxattr(2) and friends: an empty list. */
export const sysListxattr = (): number => 0;
/** Implements setxattr(2) and friends: tmpfs here stores none. */
export const sysSetxattr = (): number => -EOPNOTSUPP;

/** Implements socket(2) (and socketcall's SYS_SOCKET): no address family is available yet. */
export const sysSocket = (): number => -EAFNOSUPPORT;

/** Implements socketcall(2), i386's socket multiplexer: socket and socketpair fail, the rest see no sockets. */
export function sysSocketcall(_context: SyscallContext, call: number): number {
  if (call < 1 || call > 20) return -EINVAL;
  return call === 1 || call === 8 ? -EAFNOSUPPORT : -ENOTSOCK;
}

/** Implements sendfile64(2) as read + write through a bounce buffer in the caller's stack of pages. */
export function sysSendfile64(context: SyscallContext, outFd: number, inFd: number, offsetAddress: number, count: number): number {
  const input = context.task.files.get(inFd | 0);
  const output = context.task.files.get(outFd | 0);
  if (!input || !output) return -EBADF;
  const length = Math.min(count, 1 << 20);
  let position = input.position;
  if (offsetAddress) {
    const bytes = copyFromUser(context.task.mm, offsetAddress, 8);
    if (typeof bytes === 'number') return -EFAULT;
    const view = new DataView(bytes.buffer);
    position = view.getUint32(0, true) + view.getUint32(4, true) * 0x100000000;
  }
  if (!input.ops.read) return -EINVAL;
  const data = input.ops.read(input, length, position, context.io);
  if (typeof data === 'number') return data;
  if (!output.ops.write) return -EINVAL;
  const written = output.ops.write(output, data, output.position, context.io);
  if (written < 0) return written;
  if (output.ops.seekable) output.position += written;
  if (offsetAddress) {
    const end = position + written;
    if (copyToUser(context.task.mm, offsetAddress, words32(end % 0x100000000, Math.floor(end / 0x100000000))) < 0) return -EFAULT;
  } else {
    input.position += written;
  }
  return written;
}


const SYSLOG_ACTION_READ_ALL = 3, SYSLOG_ACTION_READ_CLEAR = 4, SYSLOG_ACTION_CONSOLE_LEVEL = 8, SYSLOG_ACTION_SIZE_BUFFER = 10;

/** Implements syslog(2) (klogctl): the kernel log ring as "<level>[time] message" lines, as dmesg reads it. */
export function sysSyslog(context: SyscallContext, type: number, address: number, length: number): number {
  const log = context.kernel.log;
  switch (type) {
    case SYSLOG_ACTION_READ_ALL: case SYSLOG_ACTION_READ_CLEAR: {
      if ((length | 0) < 0) return -EINVAL;
      const text = log.records().map((r) => `<${r.level}>${formatRecord(r).replace(/ [A-Z]+: /, ' ')}\n`).join('');
      const bytes = new TextEncoder().encode(text);
      const tail = bytes.subarray(Math.max(0, bytes.length - length));
      return copyToUser(context.task.mm, address, tail) < 0 ? -EFAULT : tail.length;
    }
    case SYSLOG_ACTION_CONSOLE_LEVEL:
      if (length < 1 || length > 8) return -EINVAL;
      log.consoleLevel = length;
      return 0;
    case SYSLOG_ACTION_SIZE_BUFFER: return 1 << 17;
    default: return type > 10 ? -EINVAL : 0;
  }
}
