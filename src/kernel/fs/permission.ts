/**
 * Permission checks (fs/namei.c generic_permission, fs/attr.c, may_delete): mode bits
 * against the caller's fsuid/fsgid (the effective ids here) and supplementary groups;
 * root passes every check except execute on a file with no execute bit (capable()).
 * Sticky directories let only the owner of an entry, the directory's owner or root remove it.
 */
import { EACCES, EPERM } from '../lib/index.js';
import type { Inode } from './inode.js';
import { isDirectory, S_ISVTX } from './inode.js';

export const MAY_EXEC = 1, MAY_WRITE = 2, MAY_READ = 4;

/** The credentials permission checks use (Credentials of proc/ satisfy it). */
export interface FsCredentials {
  readonly euid: number;
  readonly egid: number;
  readonly groups: readonly number[];
}

export const inGroup = (credentials: FsCredentials, gid: number): boolean => credentials.egid === gid || credentials.groups.includes(gid);

/** 0 or -EACCES for `mask` (MAY_* bits) on `inode`. */
export function inodePermission(inode: Inode, mask: number, credentials: FsCredentials): number {
  if (credentials.euid === 0) {
    // CAP_DAC_OVERRIDE: everything but executing a file that nobody may execute.
    if (mask & MAY_EXEC && !isDirectory(inode.mode) && (inode.mode & 0o111) === 0) return -EACCES;
    return 0;
  }
  let bits = inode.mode & 7;
  if (credentials.euid === inode.uid) bits = (inode.mode >> 6) & 7;
  else if (inGroup(credentials, inode.gid)) bits = (inode.mode >> 3) & 7;
  return (bits & mask) === mask ? 0 : -EACCES;
}

/** may_delete's sticky rule: -EPERM when a sticky directory protects `victim` from the caller. */
export function checkSticky(directory: Inode, victim: Inode, credentials: FsCredentials): number {
  if (!(directory.mode & S_ISVTX) || credentials.euid === 0) return 0;
  return credentials.euid === victim.uid || credentials.euid === directory.uid ? 0 : -EPERM;
}

/** inode_owner_or_capable: chmod, utimes with explicit times, setting flags. */
export const ownerOrCapable = (inode: Inode, credentials: FsCredentials): boolean => credentials.euid === 0 || credentials.euid === inode.uid;
