/**
 * /proc/PID/mounts and /proc/PID/mountinfo (fs/proc_namespace.c show_vfsmnt and
 * show_mountinfo; man 5 proc_pid_mountinfo): the mounts reachable below the reader's root,
 * in mount order, with paths escaped as the kernel does (space, tab, newline, backslash).
 */
import type { Kernel, Task } from '../../proc/index.js';
import type { Inode } from '../inode.js';
import type { Mount } from '../mount.js';
import { MS_NOATIME, MS_NODEV, MS_NODIRATIME, MS_NOEXEC, MS_NOSUID, MS_NOSYMFOLLOW, MS_RDONLY, MS_RELATIME, MS_STRICTATIME } from '../mount.js';
import { pathBelow } from './paths.js';

/** seq_path's mangling: " \t\n\\" as octal escapes. */
export const escapePath = (path: string): string => path.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);

/** The per-mount options (show_mnt_opts): ro/rw, then nosuid, nodev, noexec, and the atime mode (relatime by default). */
function mountOptions(mount: Mount): string {
  const flags = mount.flags;
  const options = [mount.readOnly ? 'ro' : 'rw'];
  if (flags & MS_NOSUID) options.push('nosuid');
  if (flags & MS_NODEV) options.push('nodev');
  if (flags & MS_NOEXEC) options.push('noexec');
  if (flags & MS_NOSYMFOLLOW) options.push('nosymfollow');
  if (flags & MS_NOATIME) options.push('noatime');
  else if (flags & MS_NODIRATIME) options.push('nodiratime');
  else if (!(flags & MS_STRICTATIME) || flags & MS_RELATIME) options.push('relatime');
  return options.join(',');
}

/** The path of a mount's root inside its own filesystem (a bind mount shows the directory it binds). */
function rootInFilesystem(mount: Mount): string {
  const parts: string[] = [];
  for (let at: Inode = mount.root, guard = 0; at !== mount.superblock.root && guard < 4096; guard++) {
    const parent = at.parent;
    if (!parent || parent === at) break;
    let found = '';
    for (const [name, child] of parent.children) if (child === at) { found = name; break; }
    parts.unshift(found);
    at = parent;
  }
  return '/' + parts.join('/');
}

interface VisibleMount {
  readonly mount: Mount;
  readonly path: string;
}

function visibleMounts(kernel: Kernel, task: Task): VisibleMount[] {
  const visible: VisibleMount[] = [];
  for (const mount of kernel.vfs.mounts.mounts) {
    const path = mount.mountpoint ? pathBelow(task.fs.root, mount.mountpoint) : (mount.root === task.fs.root ? '/' : null);
    if (path !== null || mount.root === task.fs.root) visible.push({ mount, path: mount.root === task.fs.root ? '/' : path! });
  }
  return visible;
}

const typeName = (mount: Mount): string => mount.superblock.type;

/** The device name: a bind mount shows the name of the mount it copies (clone_mnt keeps mnt_devname), here the superblock's first. */
function sourceName(kernel: Kernel, mount: Mount): string {
  if (mount.root === mount.superblock.root && !mount.source.startsWith('/')) return mount.source;
  return kernel.vfs.mounts.mountOfSuperblock(mount.superblock)?.source ?? mount.source;
}

export function mountsText(kernel: Kernel, task: Task): string {
  return visibleMounts(kernel, task)
    .map(({ mount, path }) => `${escapePath(sourceName(kernel, mount))} ${escapePath(path)} ${typeName(mount)} ${mountOptions(mount)} 0 0\n`).join('');
}

export function mountinfoText(kernel: Kernel, task: Task): string {
  return visibleMounts(kernel, task).map(({ mount, path }) => {
    const device = mount.superblock.device;
    const parentId = mount.parent?.id ?? mount.id;
    const superOptions = (mount.superblock.flags ?? 0) & MS_RDONLY ? 'ro' : 'rw';
    return `${mount.id} ${parentId} ${device >>> 8}:${device & 0xff} ${escapePath(rootInFilesystem(mount))} ${escapePath(path)} ${mountOptions(mount)} - `
      + `${typeName(mount)} ${escapePath(sourceName(kernel, mount))} ${superOptions}\n`;
  }).join('');
}
