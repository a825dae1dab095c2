/**
 * The node model of procfs (fs/proc/generic.c and base.c, reduced): every name is a
 * ProcEntry — a generated file, a symlink or a directory that lists and looks up its
 * children on demand. Inodes are made when the VFS looks a name up; the VFS caches them,
 * and the directories' caches drop entries whose process is gone (pid_revalidate).
 */
import { EINVAL, EIO, ENOENT } from '../../lib/index.js';
import type { DirectoryEntry, FileOps, InodeOps, Superblock } from '../inode.js';
import { Inode, isDirectory, S_IFDIR, S_IFLNK, S_IFREG } from '../inode.js';
import { directoryType } from '../stat.js';

/** A generated file: `read` builds the whole text (seq_file style) or returns a negative errno. */
export interface ProcFile {
  readonly kind: 'file';
  readonly mode?: number;
  read(): string | Uint8Array | number;
  /** Writable files (sysctls): returns bytes taken or a negative errno. */
  write?(data: Uint8Array): number;
}

export interface ProcLink {
  readonly kind: 'link';
  /** Permission bits (fd links show how the file is open: lr-x, l-wx, lrwx). */
  readonly mode?: number;
  target(): string | number;
  /** A magic link (fd/N, cwd, exe, root): the inode a path walk jumps to; left out, the target text is followed. */
  follow?(): Inode | number;
}

export interface ProcDirectory {
  readonly kind: 'directory';
  readonly mode?: number;
  /** Names in readdir order ("." and ".." excluded). */
  list(): string[];
  lookup(name: string): ProcEntry | null;
}

export type ProcEntry = (ProcFile | ProcLink | ProcDirectory) & {
  /** False once the entry's process has gone: the dentry cache drops it (pid_revalidate). */
  readonly alive?: () => boolean;
  /** Owner of the inode (a process's entries belong to its effective uid and gid). */
  readonly owner?: () => { uid: number; gid: number };
};

/** A directory of fixed entries, in the given order. */
export function fixedDirectory(entries: Record<string, ProcEntry>, extra: Partial<ProcDirectory> = {}): ProcDirectory {
  return {
    kind: 'directory',
    list: () => Object.keys(entries),
    lookup: (name) => (Object.prototype.hasOwnProperty.call(entries, name) ? entries[name]! : null),
    ...extra,
  };
}

export const textFile = (read: () => string | Uint8Array | number, mode = 0o444): ProcFile => ({ kind: 'file', mode, read });
export const link = (target: () => string | number, follow?: () => Inode | number): ProcLink => ({ kind: 'link', target, follow });

interface ProcInodeState {
  readonly entry: ProcEntry;
  /** Inherited from the parent directory: the process the subtree describes is alive. */
  readonly alive: () => boolean;
}

const stateOf = (inode: Inode): ProcInodeState => inode.private_ as ProcInodeState;

/** The dentry cache of a procfs directory: cached names whose process has gone are dropped on the way (d_invalidate). */
class ProcChildren extends Map<string, Inode> {
  override get(name: string): Inode | undefined {
    const inode = super.get(name);
    if (inode && !stateOf(inode).alive()) {
      this.delete(name);
      return undefined;
    }
    return inode;
  }

  override has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

const encoder = new TextEncoder();

const procFileOps: FileOps = {
  seekable: true,
  read: (file, count, position) => {
    const state = stateOf(file.inode);
    if (state.entry.kind !== 'file') return -EINVAL;
    if (!state.alive()) return -3; // ESRCH, as a read of a dead process's file
    const text = state.entry.read();
    if (typeof text === 'number') return text;
    return (typeof text === 'string' ? encoder.encode(text) : text).slice(position, position + count);
  },
  write: (file, data) => {
    const state = stateOf(file.inode);
    if (state.entry.kind !== 'file' || !state.entry.write) return -EIO;
    if (!state.alive()) return -3;
    return state.entry.write(data);
  },
};

const procDirectoryFileOps: FileOps = {
  seekable: true,
  readdir: (file, cursor, emit) => {
    const directory = file.inode;
    const state = stateOf(directory);
    if (state.entry.kind !== 'directory') return -EINVAL;
    if (!state.alive()) return -ENOENT;
    // Drop cached entries of processes that have gone (a lookup of each revalidates it), so the cache does not grow with every pid ever listed.
    if (cursor === 0) for (const name of [...directory.children.keys()]) directory.children.get(name);
    if (cursor === 0 && !emit({ name: '.', ino: directory.ino, type: 4, next: 1 })) return 0;
    if (cursor <= 1 && !emit({ name: '..', ino: directory.parent?.ino ?? directory.ino, type: 4, next: 2 })) return 0;
    const names = state.entry.list();
    for (let index = Math.max(0, cursor - 2); index < names.length; index++) {
      const child = childInode(directory, names[index]!);
      if (!child) continue;
      const entry: DirectoryEntry = { name: names[index]!, ino: child.ino, type: directoryType(child.mode), next: index + 3 };
      if (!emit(entry)) return 0;
    }
    return 0;
  },
};

const procInodeOps: InodeOps = {
  lookup: (directory, name) => {
    const state = stateOf(directory);
    if (state.entry.kind !== 'directory' || !state.alive()) return -ENOENT;
    const entry = state.entry.lookup(name);
    return entry ? makeProcInode(directory.superblock, entry, state.alive) : -ENOENT;
  },
  readlink: (inode) => {
    const state = stateOf(inode);
    if (state.entry.kind !== 'link') return -EINVAL;
    return state.alive() ? state.entry.target() : -ENOENT;
  },
  followLink: (inode) => {
    const state = stateOf(inode);
    if (state.entry.kind !== 'link' || !state.entry.follow) return null;
    return state.alive() ? state.entry.follow() : -ENOENT;
  },
  getattr: (inode) => {
    const state = stateOf(inode);
    const owner = state.entry.owner?.();
    if (owner) { inode.uid = owner.uid; inode.gid = owner.gid; }
  },
  // proc_setattr: the truncation of `echo value > /proc/sys/...` (O_TRUNC) and time updates are accepted and change
  // nothing; owner and mode changes are refused.
  setattr: (_inode, attributes) => (attributes.mode !== undefined || attributes.uid !== undefined || attributes.gid !== undefined ? -1 : 0),
};

/** A name of `directory` through the dentry cache, made and cached on a miss (readdir needs inode numbers). */
function childInode(directory: Inode, name: string): Inode | null {
  const cached = directory.children.get(name);
  if (cached) return cached;
  const made = procInodeOps.lookup!(directory, name);
  if (typeof made === 'number') return null;
  directory.children.set(name, made);
  directory.childOffsets.set(name, directory.nextChildOffset++);
  if (isDirectory(made.mode)) made.parent = directory;
  return made;
}

/** Makes the inode of `entry` in a procfs superblock; `parentAlive` is the liveness its subtree inherits. */
/** A procfs superblock knows the time, for the times of the inodes it makes. */
export interface ProcSuperblock extends Superblock {
  now(): number;
}

export function makeProcInode(superblock: Superblock, entry: ProcEntry, parentAlive: () => boolean = () => true): Inode {
  const ownAlive = entry.alive;
  const alive = ownAlive ? () => parentAlive() && ownAlive() : parentAlive;
  let mode: number;
  switch (entry.kind) {
    case 'file': mode = S_IFREG | (entry.mode ?? 0o444); break;
    case 'link': mode = S_IFLNK | (entry.mode ?? 0o777); break;
    case 'directory': mode = S_IFDIR | (entry.mode ?? 0o555); break;
  }
  const inode = new Inode(superblock, superblock.nextIno++, mode, entry.kind === 'directory' ? procDirectoryFileOps : procFileOps);
  inode.ops = procInodeOps;
  inode.atime = inode.mtime = inode.ctime = (superblock as Partial<ProcSuperblock>).now?.() ?? 0;
  inode.private_ = { entry, alive } satisfies ProcInodeState;
  if (entry.kind === 'directory') {
    inode.nlink = 2;
    // The dentry cache of this directory revalidates (see ProcChildren); `children` is a plain Map field of Inode.
    (inode as { children: Map<string, Inode> }).children = new ProcChildren();
  }
  const owner = entry.owner?.();
  if (owner) { inode.uid = owner.uid; inode.gid = owner.gid; }
  return inode;
}
