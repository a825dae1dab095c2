/**
 * Names of things as procfs shows them (fs/d_path.c d_path, reduced): the path of a
 * directory seen from a root, the path of an open file ("pipe:[ino]", "socket:[ino]",
 * " (deleted)" for unlinked files), and the canonical path of a program or mapped file.
 */
import type { Kernel, Task } from '../../proc/index.js';
import { timerFdFileOps } from '../../time/index.js';
import type { OpenFile } from '../file.js';
import type { Inode } from '../inode.js';
import { isDirectory, isSymlink, S_IFMT, S_IFSOCK } from '../inode.js';

/** The path of `inode` below `root`, crossing mounts upwards; null when it is not below `root`. */
export function pathBelow(root: Inode, inode: Inode): string | null {
  const parts: string[] = [];
  let at = inode;
  for (let guard = 0; at !== root; guard++) {
    if (guard > 4096) return null;
    const mountpoint = at.mountRootOf?.mountpoint;
    if (mountpoint && at.mountRootOf?.root === at) { at = mountpoint; continue; }
    const parent = at.parent;
    if (!parent || parent === at) return null;
    let found: string | null = null;
    for (const [name, child] of parent.children) if (child === at) { found = name; break; }
    if (found === null) return null;
    parts.unshift(found);
    at = parent;
  }
  return '/' + parts.join('/');
}

/**
 * The canonical path of `path` (from the task's cwd when relative): its directory resolved,
 * a final symlink followed, as d_path prints the file a name reached. Null when it does not resolve.
 */
export function canonicalPath(kernel: Kernel, task: Task, path: string, expected: Inode | null = null): string | null {
  const vfs = kernel.vfs;
  const root = task.fs.root;
  let directory = path.startsWith('/') ? root : task.fs.cwd;
  let rest = path;
  for (let depth = 0; depth < 40; depth++) {
    const parent = vfs.lookupParent(root, directory, rest);
    if (typeof parent === 'number') return null;
    const child = vfs.lookupChild(parent.parent, parent.name);
    if (typeof child === 'number') return null;
    // Links of procfs itself are not followed: /proc/self/exe would name the reader, not what the name once meant.
    if (isSymlink(child.mode) && child.superblock.type === 'proc') return null;
    if (isSymlink(child.mode) && child !== expected) {
      const target = vfs.readlink(child);
      if (typeof target === 'number') return null;
      directory = target.startsWith('/') ? root : parent.parent;
      rest = target;
      continue;
    }
    if (isDirectory(child.mode)) return pathBelow(root, child);
    const base = pathBelow(root, parent.parent);
    if (base === null) return null;
    return (base === '/' ? '' : base) + '/' + parent.name;
  }
  return null;
}

/** What /proc/PID/fd/N reads as (d_path, or the dynamic names of pipes, sockets and anonymous inodes). */
export function openFilePath(kernel: Kernel, task: Task, file: OpenFile): string {
  const inode = file.inode;
  // Anonymous inodes have no file type (anon_inodefs); ir0 keeps them, like pipes, on the pipe superblock.
  if ((inode.mode & S_IFMT) === 0) return `anon_inode:[${inode.fileOps === timerFdFileOps ? 'timerfd' : 'anon_inode'}]`;
  if (inode.superblock === kernel.pipeSuperblock) return `pipe:[${inode.ino}]`;
  if ((inode.mode & S_IFMT) === S_IFSOCK) return `socket:[${inode.ino}]`;
  if (isDirectory(inode.mode)) return pathBelow(task.fs.root, inode) ?? kernel.vfs.pathOf(task.fs.root, inode);
  if (!kernel.vfs.mounts.mountOfSuperblock(inode.superblock) && inode.superblock !== kernel.vfs.root.superblock) {
    return `anon_inode:[${inode.superblock.type}]`;
  }
  if (inode.nlink === 0) return `${deletedPath(kernel, task, file.path)} (deleted)`;
  return canonicalPath(kernel, task, file.path, inode) ?? file.path;
}

/** An unlinked file's name is gone; its directory still resolves (d_path keeps the dentry's parent). */
export function deletedPath(kernel: Kernel, task: Task, path: string): string {
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  const directory = slash < 0 ? '.' : slash === 0 ? '/' : path.slice(0, slash);
  const parent = kernel.vfs.lookup(task.fs.root, task.fs.cwd, directory);
  if (typeof parent === 'number' || !isDirectory(parent.mode)) return path;
  const resolved = pathBelow(task.fs.root, parent) ?? kernel.vfs.pathOf(task.fs.root, parent);
  return (resolved === '/' ? '' : resolved) + '/' + name;
}
