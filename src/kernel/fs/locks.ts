/**
 * Advisory file locks (fs/locks.c): POSIX record locks (fcntl F_SETLK/F_SETLKW/F_GETLK,
 * owned by the fd table — files_struct — so any close by the process releases them and
 * fork does not inherit them), OFD locks (F_OFD_*, owned by the open file description)
 * and flock(2) locks (whole file, owned by the description). Ranges are inclusive
 * [start, end], end = Infinity for "to end of file". A blocked F_SETLKW records whom
 * its owner waits for; a request that would close a cycle of POSIX owners is EDEADLK
 * (posix_locks_deadlock). Waiters sleep on the inode's queue and retry when any lock goes.
 */
import { EAGAIN, EDEADLK } from '../lib/index.js';
import { WaitQueue } from '../lib/index.js';
import type { Inode } from './inode.js';

export const F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
export type LockKind = 'posix' | 'ofd' | 'flock';

/**
 * Who owns a lock: a process's fd table (POSIX) or an open file description (OFD, flock).
 * A POSIX owner blocked in F_SETLKW records the owner it waits for (Linux's blocked_hash,
 * kept on the owners so that no state lives in this module: rule 8).
 */
export interface LockOwner {
  lockWaitsFor: LockOwner | null;
}

export interface FileLock {
  readonly owner: LockOwner;
  readonly kind: LockKind;
  /** l_pid as F_GETLK reports it (-1 for OFD locks). */
  readonly pid: number;
  readonly type: number;
  readonly start: number;
  readonly end: number;
}

/** An inode's locks (Linux's file_lock_context). */
export class InodeLocks {
  /** POSIX and OFD locks (they conflict with each other), then flock locks (a separate world). */
  records: FileLock[] = [];
  flocks: FileLock[] = [];
  readonly queue = new WaitQueue();
}

export function locksOf(inode: Inode): InodeLocks {
  inode.fileLocks ??= new InodeLocks();
  return inode.fileLocks;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean => a.start <= b.end && b.start <= a.end;
const conflicts = (held: FileLock, wanted: { owner: LockOwner; type: number }): boolean =>
  held.owner !== wanted.owner && (held.type === F_WRLCK || wanted.type === F_WRLCK);

/** F_GETLK: the first record lock that would block `wanted`, or null. */
export function testRecordLock(inode: Inode, wanted: Omit<FileLock, 'pid'>): FileLock | null {
  const context = inode.fileLocks;
  if (!context) return null;
  return context.records.find((held) => overlaps(held, wanted) && conflicts(held, wanted)) ?? null;
}

/**
 * F_SETLK / F_SETLKW (and OFD forms): 0, -EAGAIN when blocked and not waiting, -EDEADLK, or
 * `block(queue)`'s result (-ERESTARTSYS) when the caller must sleep and retry.
 */
export function setRecordLock(inode: Inode, lock: FileLock, wait: boolean, block: (queue: WaitQueue) => number): number {
  const context = locksOf(inode);
  lock.owner.lockWaitsFor = null;
  if (lock.type !== F_UNLCK) {
    const blocker = context.records.find((held) => overlaps(held, lock) && conflicts(held, lock));
    if (blocker) {
      if (!wait) return -EAGAIN;
      if (lock.kind === 'posix' && blocker.kind === 'posix' && wouldDeadlock(lock.owner, blocker.owner)) return -EDEADLK;
      if (lock.kind === 'posix') lock.owner.lockWaitsFor = blocker.owner;
      return block(context.queue);
    }
  }
  context.records = replaceRange(context.records, lock);
  context.queue.wakeAll();
  return 0;
}

/** Following who-waits-for-whom from `blocker` reaches `owner`: granting the wait would deadlock. */
function wouldDeadlock(owner: LockOwner, blocker: LockOwner): boolean {
  for (let at: LockOwner | null = blocker, steps = 0; at && steps < 1024; steps++) {
    if (at === owner) return true;
    at = at.lockWaitsFor;
  }
  return false;
}

/** The owner's locks with [start, end] carved out, then the new lock (unless an unlock) merged with same-type neighbours. */
function replaceRange(records: FileLock[], lock: FileLock): FileLock[] {
  const out: FileLock[] = [];
  let merged = lock;
  for (const held of records) {
    if (held.owner !== lock.owner || held.kind !== lock.kind) { out.push(held); continue; }
    const touching = held.start <= merged.end + 1 && merged.start <= held.end + 1;
    if (lock.type !== F_UNLCK && held.type === lock.type && touching) {
      merged = { ...merged, start: Math.min(merged.start, held.start), end: Math.max(merged.end, held.end) };
      continue;
    }
    if (!overlaps(held, lock)) { out.push(held); continue; }
    if (held.start < lock.start) out.push({ ...held, end: lock.start - 1 });
    if (held.end > lock.end) out.push({ ...held, start: lock.end + 1 });
  }
  if (lock.type !== F_UNLCK) out.push(merged);
  return out.sort((a, b) => a.start - b.start);
}

/** close(2) by a process: its POSIX locks on the inode go (locks_remove_posix). */
export function releasePosixLocks(inode: Inode, owner: LockOwner): void {
  const context = inode.fileLocks;
  if (!context || !context.records.some((l) => l.owner === owner)) return;
  context.records = context.records.filter((l) => l.owner !== owner);
  context.queue.wakeAll();
}

/** The last reference of an open file description: its OFD and flock locks go (locks_remove_file). */
export function releaseFileLocks(inode: Inode, file: LockOwner): void {
  const context = inode.fileLocks;
  if (!context) return;
  const before = context.records.length + context.flocks.length;
  context.records = context.records.filter((l) => l.owner !== file);
  context.flocks = context.flocks.filter((l) => l.owner !== file);
  if (context.records.length + context.flocks.length !== before) context.queue.wakeAll();
}

export const LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;

/** flock(2): converts or takes a whole-file lock owned by the description; 0, -EAGAIN, or block()'s result. */
export function flockFile(inode: Inode, file: LockOwner, operation: number, block: (queue: WaitQueue) => number): number {
  const context = locksOf(inode);
  const mine = context.flocks.find((l) => l.owner === file);
  if (operation & LOCK_UN) {
    if (mine) { context.flocks = context.flocks.filter((l) => l !== mine); context.queue.wakeAll(); }
    return 0;
  }
  const type = operation & LOCK_EX ? F_WRLCK : F_RDLCK;
  if (mine?.type === type) return 0;
  // A conversion drops the old lock first (flock_lock_inode: not atomic, as documented in flock(2)).
  if (mine) { context.flocks = context.flocks.filter((l) => l !== mine); context.queue.wakeAll(); }
  const blocked = context.flocks.some((held) => conflicts(held, { owner: file, type }));
  if (blocked) return operation & LOCK_NB ? -EAGAIN : block(context.queue);
  context.flocks.push({ owner: file, kind: 'flock', pid: 0, type, start: 0, end: Infinity });
  return 0;
}
