/**
 * struct itimerspec in user memory, in both i386 layouts: the old one of two
 * 32-bit timespecs (16 bytes) and the time64 one of two __kernel_timespec
 * (64-bit seconds and nanoseconds, 32 bytes). it_interval comes first.
 */
import { EFAULT, EINVAL } from '../lib/index.js';
import { copyFromUser, copyToUser } from '../mm/index.js';
import type { SyscallContext } from './entry.js';

export interface ItimerSpec { readonly interval: number; readonly value: number }

/** Reads an itimerspec; -EFAULT, or -EINVAL for a negative time or nanoseconds outside [0, 1e9). */
export function readItimerspec(context: SyscallContext, address: number, wide: boolean): ItimerSpec | number {
  const size = wide ? 32 : 16;
  const bytes = copyFromUser(context.task.mm, address, size);
  if (typeof bytes === 'number') return -EFAULT;
  const view = new DataView(bytes.buffer, bytes.byteOffset, size);
  const times: number[] = [];
  for (let i = 0; i < 2; i++) {
    const offset = i * (wide ? 16 : 8);
    const seconds = wide ? view.getUint32(offset, true) + view.getInt32(offset + 4, true) * 0x100000000 : view.getInt32(offset, true);
    const nanoseconds = wide ? view.getUint32(offset + 8, true) : view.getInt32(offset + 4, true);
    if (seconds < 0 || nanoseconds < 0 || nanoseconds >= 1e9) return -EINVAL;
    times.push(seconds * 1e9 + nanoseconds);
  }
  return { interval: times[0]!, value: times[1]! };
}

export function writeItimerspec(context: SyscallContext, address: number, spec: ItimerSpec, wide: boolean): number {
  const size = wide ? 32 : 16;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  [spec.interval, spec.value].forEach((time, i) => {
    const seconds = Math.floor(time / 1e9);
    const nanoseconds = time - seconds * 1e9;
    if (wide) {
      view.setUint32(i * 16, seconds % 0x100000000, true);
      view.setUint32(i * 16 + 4, Math.floor(seconds / 0x100000000), true);
      view.setUint32(i * 16 + 8, nanoseconds, true);
    } else {
      view.setInt32(i * 8, seconds, true);
      view.setInt32(i * 8 + 4, nanoseconds, true);
    }
  });
  return copyToUser(context.task.mm, address, bytes) < 0 ? -EFAULT : 0;
}
