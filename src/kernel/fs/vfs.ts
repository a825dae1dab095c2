/**
 * The VFS: path resolution (namei, with symlinks and ".."), and the namespace
 * operations every filesystem shares — create, mkdir, unlink, rmdir, rename,
 * link, symlink — over the in-memory directory tree of tmpfs inodes.
 * Errors are negative errnos; success values are inodes or 0.
 */
import { EEXIST, EINVAL, EISDIR, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR, ENOTEMPTY, EPERM, EXDEV } from '../lib/index.js';
import type { PhysicalPages } from '../mm/index.js';
import type { FileOps } from './inode.js';
import { Inode, isDirectory, isSymlink, S_IFDIR, S_IFLNK, S_IFMT } from './inode.js';
import { createTmpfs, directoryFileOps, truncateTmpfs } from './tmpfs.js';

const MAX_SYMLINKS = 40;
const NAME_MAX = 255;
const PATH_MAX = 4096;

export interface ParentAndName {
  readonly parent: Inode;
  readonly name: string;
}

export class Vfs {
  readonly root: Inode;
  /** Now, in nanoseconds since the epoch: file times. */
  now: () => number = () => 0;

  constructor(readonly pages: PhysicalPages) {
    this.root = createTmpfs(pages, 1);
    this.root.parent = this.root;
    this.root.nlink = 2;
  }

  /** Resolves `path` from `cwd` (absolute paths from `root`); follows a final symlink if `follow`. */
  lookup(root: Inode, cwd: Inode, path: string, follow = true): Inode | number {
    return this.walk(root, cwd, path, follow, 0);
  }

  /** Resolves all but the last component; the last must be a plain name (not "." or ".."). */
  lookupParent(root: Inode, cwd: Inode, path: string): ParentAndName | number {
    if (path.length === 0) return -ENOENT;
    if (path.length >= PATH_MAX) return -ENAMETOOLONG;
    const trimmed = path.replace(/\/+$/, '');
    if (trimmed === '') return -EEXIST;
    const slash = trimmed.lastIndexOf('/');
    const name = trimmed.slice(slash + 1);
    if (name.length > NAME_MAX) return -ENAMETOOLONG;
    const parentPath = slash < 0 ? '.' : slash === 0 ? '/' : trimmed.slice(0, slash);
    const parent = this.walk(root, cwd, parentPath, true, 0);
    if (typeof parent === 'number') return parent;
    if (!isDirectory(parent.mode)) return -ENOTDIR;
    return { parent, name };
  }

  /** Creates an inode of `mode` named `name` in `parent`. */
  create(parent: Inode, name: string, mode: number, fileOps: FileOps): Inode | number {
    if (name === '.' || name === '..' || parent.children.has(name)) return -EEXIST;
    const superblock = parent.superblock;
    const inode = new Inode(superblock, superblock.nextIno++, mode, isDirectory(mode) ? directoryFileOps : fileOps);
    inode.atime = inode.mtime = inode.ctime = this.now();
    if (isDirectory(mode)) {
      inode.parent = parent;
      inode.nlink = 2;
      parent.nlink++;
    }
    parent.children.set(name, inode);
    parent.mtime = parent.ctime = inode.ctime;
    return inode;
  }

  mkdir(parent: Inode, name: string, permissions: number): number {
    const made = this.create(parent, name, S_IFDIR | (permissions & 0o7777), directoryFileOps);
    return typeof made === 'number' ? made : 0;
  }

  symlink(parent: Inode, name: string, target: string, fileOps: FileOps): number {
    const made = this.create(parent, name, S_IFLNK | 0o777, fileOps);
    if (typeof made === 'number') return made;
    made.symlinkTarget = target;
    made.size = new TextEncoder().encode(target).length;
    return 0;
  }

  link(target: Inode, parent: Inode, name: string): number {
    if (isDirectory(target.mode)) return -EPERM;
    if (target.superblock !== parent.superblock) return -EXDEV;
    if (parent.children.has(name)) return -EEXIST;
    parent.children.set(name, target);
    target.nlink++;
    target.ctime = this.now();
    return 0;
  }

  /** unlink(2) when `directory` is false, rmdir(2) when true. */
  remove(parent: Inode, name: string, directory: boolean): number {
    if (name === '.' ) return -EINVAL;
    if (name === '..') return -ENOTEMPTY;
    const inode = parent.children.get(name);
    if (!inode) return -ENOENT;
    if (directory) {
      if (!isDirectory(inode.mode)) return -ENOTDIR;
      if (inode.children.size > 0) return -ENOTEMPTY;
      if (inode === this.root) return -EPERM;
      parent.nlink--;
    } else if (isDirectory(inode.mode)) {
      return -EISDIR;
    }
    parent.children.delete(name);
    this.dropLink(inode);
    return 0;
  }

  rename(oldParent: Inode, oldName: string, newParent: Inode, newName: string): number {
    const inode = oldParent.children.get(oldName);
    if (!inode) return -ENOENT;
    if (oldParent.superblock !== newParent.superblock) return -EXDEV;
    const existing = newParent.children.get(newName);
    if (existing === inode) return 0;
    if (isDirectory(inode.mode)) {
      // A directory cannot move below itself (man 2 rename: EINVAL).
      for (let at: Inode = newParent; ; at = at.parent!) {
        if (at === inode) return -EINVAL;
        if (at.parent === at || !at.parent) break;
      }
    }
    if (existing) {
      if (isDirectory(existing.mode)) {
        if (!isDirectory(inode.mode)) return -EISDIR;
        if (existing.children.size > 0) return -ENOTEMPTY;
        newParent.nlink--;
      } else if (isDirectory(inode.mode)) {
        return -ENOTDIR;
      }
      this.dropLink(existing);
    }
    oldParent.children.delete(oldName);
    newParent.children.set(newName, inode);
    if (isDirectory(inode.mode)) {
      oldParent.nlink--;
      newParent.nlink++;
      inode.parent = newParent;
    }
    inode.ctime = oldParent.mtime = newParent.mtime = this.now();
    return 0;
  }

  /** The absolute path of a directory (getcwd), walking parents up to `root`. */
  pathOf(root: Inode, directory: Inode): string {
    const parts: string[] = [];
    for (let at = directory; at !== root && at.parent && at.parent !== at; at = at.parent) {
      let found = '';
      for (const [name, child] of at.parent.children) if (child === at) { found = name; break; }
      parts.unshift(found);
    }
    return '/' + parts.join('/');
  }

  /** Frees a file's pages when its last link goes (open files keep it: see `release`). */
  dropLink(inode: Inode): void {
    inode.nlink = Math.max(0, inode.nlink - (isDirectory(inode.mode) ? 2 : 1));
    inode.ctime = this.now();
    if (inode.nlink === 0 && inode.openCount === 0 && (inode.mode & S_IFMT) !== S_IFDIR) truncateTmpfs(inode, 0);
  }

  private walk(root: Inode, cwd: Inode, path: string, follow: boolean, depth: number): Inode | number {
    if (path.length === 0) return -ENOENT;
    if (path.length >= PATH_MAX) return -ENAMETOOLONG;
    let at = path.startsWith('/') ? root : cwd;
    const parts = path.split('/').filter((p) => p.length > 0);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (!isDirectory(at.mode)) return -ENOTDIR;
      if (part.length > NAME_MAX) return -ENAMETOOLONG;
      if (part === '.') continue;
      if (part === '..') { if (at !== root) at = at.parent ?? at; continue; }
      const next = at.children.get(part);
      if (!next) return -ENOENT;
      const last = i === parts.length - 1;
      if (isSymlink(next.mode) && (!last || follow || path.endsWith('/'))) {
        if (depth >= MAX_SYMLINKS) return -ELOOP;
        const resolved = this.walk(root, at, next.symlinkTarget, true, depth + 1);
        if (typeof resolved === 'number') return resolved;
        at = resolved;
      } else {
        at = next;
      }
    }
    if (path.endsWith('/') && !isDirectory(at.mode)) return -ENOTDIR;
    return at;
  }
}
