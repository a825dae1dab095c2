/**
 * The lock commands of fcntl(2) — F_GETLK/F_SETLK/F_SETLKW with struct flock (16 bytes
 * on i386), their 64-bit forms with struct flock64 (24 bytes, loff_t at offset 4) and the
 * OFD forms F_OFD_GETLK/SETLK/SETLKW (flock64, l_pid must be 0) — and flock(2).
 * The lock table is fs/locks.ts.
 */
import { EBADF, EFAULT, EINVAL, EOVERFLOW } from '../lib/index.js';
import type { FileLock, LockKind, OpenFile } from '../fs/index.js';
import { F_RDLCK, F_UNLCK, F_WRLCK, flockFile, LOCK_EX, LOCK_NB, LOCK_SH, LOCK_UN, setRecordLock, testRecordLock } from '../fs/index.js';
import { copyFromUser, copyToUser } from '../mm/index.js';
import type { SyscallContext } from './entry.js';

export const F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7, F_GETLK64 = 12, F_SETLK64 = 13, F_SETLKW64 = 14;
export const F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38;

/** Implements the lock commands of fcntl64(2). */
export function fcntlLock(context: SyscallContext, file: OpenFile, command: number, address: number): number {
  const wide = command >= F_GETLK64 && command <= F_SETLKW64 || command >= F_OFD_GETLK;
  const ofd = command >= F_OFD_GETLK;
  const size = wide ? 24 : 16;
  const bytes = copyFromUser(context.task.mm, address, size);
  if (typeof bytes === 'number') return -EFAULT;
  const view = new DataView(bytes.buffer);
  const type = view.getInt16(0, true);
  const whence = view.getInt16(2, true);
  const start = wide ? view.getBigInt64(4, true) : BigInt(view.getInt32(4, true));
  const length = wide ? view.getBigInt64(12, true) : BigInt(view.getInt32(8, true));
  const pid = view.getInt32(wide ? 20 : 12, true);
  if (ofd && pid !== 0) return -EINVAL;
  if (type !== F_RDLCK && type !== F_WRLCK && type !== F_UNLCK) return -EINVAL;
  // flock_to_posix_lock: the range from whence, start and a signed length (0 = to end of file).
  const base = whence === 0 ? 0n : whence === 1 ? BigInt(file.position) : whence === 2 ? BigInt(file.inode.size) : -1n;
  if (base < 0n) return -EINVAL;
  let first = base + start;
  let last: number;
  if (length > 0n) last = Number(first + length - 1n);
  else if (length < 0n) { last = Number(first - 1n); first += length; }
  else last = Infinity;
  if (first < 0n) return -EINVAL;
  const kind: LockKind = ofd ? 'ofd' : 'posix';
  const owner = ofd ? file : context.task.files;
  const lock: FileLock = { owner, kind, pid: ofd ? -1 : context.task.tgid, type, start: Number(first), end: last };
  if (command === F_GETLK || command === F_GETLK64 || command === F_OFD_GETLK) {
    if (type === F_UNLCK) return -EINVAL;
    const blocker = testRecordLock(file.inode, lock);
    if (!blocker) view.setInt16(0, F_UNLCK, true);
    else {
      view.setInt16(0, blocker.type, true);
      view.setInt16(2, 0, true);
      const blockerLength = blocker.end === Infinity ? 0 : blocker.end - blocker.start + 1;
      if (!wide && (blocker.start > 0x7fffffff || blockerLength > 0x7fffffff)) return -EOVERFLOW;
      if (wide) { view.setBigInt64(4, BigInt(blocker.start), true); view.setBigInt64(12, BigInt(blockerLength), true); }
      else { view.setInt32(4, blocker.start, true); view.setInt32(8, blockerLength, true); }
      view.setInt32(wide ? 20 : 12, blocker.pid, true);
    }
    return copyToUser(context.task.mm, address, bytes) < 0 ? -EFAULT : 0;
  }
  if (type === F_RDLCK && !file.readable) return -EBADF;
  if (type === F_WRLCK && !file.writable) return -EBADF;
  const wait = command === F_SETLKW || command === F_SETLKW64 || command === F_OFD_SETLKW;
  return setRecordLock(file.inode, lock, wait, (queue) => context.io.block(queue));
}

/** Implements flock(2). */
export function sysFlock(context: SyscallContext, fd: number, operation: number): number {
  const file = context.task.files.get(fd | 0);
  if (!file) return -EBADF;
  const kind = operation & ~LOCK_NB;
  if (kind !== LOCK_SH && kind !== LOCK_EX && kind !== LOCK_UN) return -EINVAL;
  if (file.flags & 0o10000000) return -EBADF; // O_PATH
  void LOCK_EX;
  return flockFile(file.inode, file, operation, (queue) => context.io.block(queue));
}
