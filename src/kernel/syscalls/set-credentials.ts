/**
 * Setting credentials (kernel/sys.c, kernel/groups.c): setgroups32(2) replaces the
 * supplementary groups (CAP_SETGID: root here); setresuid32(2)/setresgid32(2) set the
 * real, effective and saved ids, -1 leaving one as it is; without privilege each new id
 * must be one of the current three.
 */
import { EFAULT, EINVAL, EPERM } from '../lib/index.js';
import { copyFromUser } from '../mm/index.js';
import type { SyscallContext } from './entry.js';

/** NGROUPS_MAX (include/uapi/linux/limits.h). */
const NGROUPS_MAX = 65536;

/** Implements setgroups32(2). */
export function sysSetgroups(context: SyscallContext, size: number, address: number): number {
  if (size > NGROUPS_MAX) return -EINVAL;
  if (context.task.credentials.euid !== 0) return -EPERM;
  const bytes = size === 0 ? new Uint8Array(0) : copyFromUser(context.task.mm, address, size * 4);
  if (typeof bytes === 'number') return -EFAULT;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const groups: number[] = [];
  for (let i = 0; i < size; i++) groups.push(view.getUint32(i * 4, true));
  context.task.credentials.groups = [...new Set(groups)].sort((a, b) => a - b);
  return 0;
}

/** The common rule of setresuid/setresgid; `ids` is [real, effective, saved]. */
function setThree(privileged: boolean, ids: [number, number, number], wanted: number[]): [number, number, number] | number {
  const next: [number, number, number] = [...ids];
  for (let i = 0; i < 3; i++) {
    const id = wanted[i]! >>> 0;
    if (id === 0xffffffff) continue;
    if (!privileged && !ids.includes(id)) return -EPERM;
    next[i] = id;
  }
  return next;
}

/** Implements setresuid32(2). */
export function sysSetresuid(context: SyscallContext, real: number, effective: number, saved: number): number {
  const credentials = context.task.credentials;
  const next = setThree(credentials.euid === 0, [credentials.uid, credentials.euid, credentials.suid], [real, effective, saved]);
  if (typeof next === 'number') return next;
  [credentials.uid, credentials.euid, credentials.suid] = next;
  return 0;
}

/** Implements setresgid32(2). */
export function sysSetresgid(context: SyscallContext, real: number, effective: number, saved: number): number {
  const credentials = context.task.credentials;
  const next = setThree(credentials.euid === 0, [credentials.gid, credentials.egid, credentials.sgid], [real, effective, saved]);
  if (typeof next === 'number') return next;
  [credentials.gid, credentials.egid, credentials.sgid] = next;
  return 0;
}
