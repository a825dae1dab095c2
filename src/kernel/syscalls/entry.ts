/**
 * Syscall table entries as data (gVisor's style): supported(handler),
 * partial(handler, note) or unsupported (ENOSYS, logged once with its
 * arguments). A handler decodes its arguments, calls one subsystem and
 * returns a value or a negative errno; -ERESTARTSYS means "sleep, then retry".
 */
import type { IoContext, UserAccess } from '../fs/index.js';
import type { Kernel, Task } from '../proc/index.js';

export interface SyscallContext {
  readonly kernel: Kernel;
  readonly task: Task;
  readonly io: IoContext;
  readonly user: UserAccess;
}

/** Arguments arrive as u32 (ebx, ecx, edx, esi, edi, ebp). */
export type SyscallHandler = (context: SyscallContext, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number) => number;

export const Support = { Supported: 'supported', Partial: 'partial', Unsupported: 'unsupported' } as const;
export type Support = (typeof Support)[keyof typeof Support];

export interface SyscallEntry {
  readonly support: Support;
  readonly handler: SyscallHandler | null;
  readonly note: string;
}

export const supported = (handler: SyscallHandler): SyscallEntry => ({ support: Support.Supported, handler, note: '' });
export const partial = (handler: SyscallHandler, note: string): SyscallEntry => ({ support: Support.Partial, handler, note });
export const unsupported = (note = ''): SyscallEntry => ({ support: Support.Unsupported, handler: null, note });
