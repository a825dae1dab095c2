/**
 * The system's names (kernel/sys.c): uname(2), sethostname(2), setdomainname(2).
 * Only root may rename (CAP_SYS_ADMIN); the permission check comes before the
 * length check, and a bad pointer is EFAULT with the name unchanged.
 */
import { EINVAL, EPERM } from '../lib/index.js';
import { copyFromUser, copyToUser } from '../mm/index.js';
import { UTS_NAME_LENGTH } from '../proc/index.js';
import type { UtsField } from '../proc/index.js';
import type { SyscallContext } from './entry.js';

/** Implements uname(2): struct new_utsname. */
export function sysUname(context: SyscallContext, address: number): number {
  return copyToUser(context.task.mm, address, context.kernel.uts.encode());
}

function setName(context: SyscallContext, name: UtsField, address: number, length: number): number {
  if (context.task.credentials.euid !== 0) return -EPERM;
  // len is an int: a negative length is EINVAL, as is one past __NEW_UTS_LEN.
  const signedLength = length | 0;
  if (signedLength < 0 || signedLength > UTS_NAME_LENGTH) return -EINVAL;
  const bytes = copyFromUser(context.task.mm, address, signedLength);
  if (typeof bytes === 'number') return bytes;
  context.kernel.uts.set(name, bytes);
  return 0;
}

/** Implements sethostname(2). */
export function sysSethostname(context: SyscallContext, address: number, length: number): number {
  return setName(context, 'nodename', address, length);
}

/** Implements setdomainname(2). */
export function sysSetdomainname(context: SyscallContext, address: number, length: number): number {
  return setName(context, 'domainname', address, length);
}
