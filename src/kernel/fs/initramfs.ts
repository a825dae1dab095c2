/**
 * Unpacks a cpio newc initramfs into the root tmpfs at boot (init/initramfs.c):
 * directories, regular files, symlinks and device nodes, with their modes,
 * owners and times. Missing parent directories are created.
 */
import type { CpioEntry } from './cpio.js';
import { parseCpio } from './cpio.js';
import type { FileOps } from './inode.js';
import { Inode, isDirectory, S_IFBLK, S_IFCHR, S_IFLNK, S_IFMT, S_IFREG, S_IFDIR } from './inode.js';
import { tmpfsFileOps, writeTmpfs } from './tmpfs.js';
import type { Vfs } from './vfs.js';
import { makeDevice } from './devices.js';

export interface UnpackResult {
  readonly files: number;
  readonly bytes: number;
  readonly error: string | null;
}

export function unpackInitramfs(vfs: Vfs, archive: Uint8Array, deviceOps: (rdev: number) => FileOps): UnpackResult {
  const entries = parseCpio(archive);
  if (typeof entries === 'string') return { files: 0, bytes: 0, error: entries };
  let bytes = 0;
  for (const entry of entries) {
    const made = unpackEntry(vfs, entry, deviceOps);
    if (typeof made === 'string') return { files: 0, bytes, error: made };
    bytes += entry.data.length;
  }
  return { files: entries.length, bytes, error: null };
}

function unpackEntry(vfs: Vfs, entry: CpioEntry, deviceOps: (rdev: number) => FileOps): Inode | string | null {
  const parts = entry.name.split('/').filter((p) => p && p !== '.');
  if (parts.length === 0) return null;
  let directory = vfs.root;
  for (const part of parts.slice(0, -1)) {
    let next = directory.children.get(part);
    if (!next) { vfs.mkdir(directory, part, 0o755); next = directory.children.get(part)!; }
    if (!isDirectory(next.mode)) return `initramfs: ${entry.name}: a parent is not a directory`;
    directory = next;
  }
  const name = parts[parts.length - 1]!;
  const type = entry.mode & S_IFMT;
  const existing = directory.children.get(name);
  if (existing && type === S_IFDIR && isDirectory(existing.mode)) { existing.mode = entry.mode; return existing; }
  if (existing) vfs.remove(directory, name, isDirectory(existing.mode));
  const rdev = makeDevice(entry.rdevMajor, entry.rdevMinor);
  const ops = type === S_IFCHR || type === S_IFBLK ? deviceOps(rdev) : tmpfsFileOps;
  const inode = vfs.create(directory, name, entry.mode, ops);
  if (typeof inode === 'number') return `initramfs: ${entry.name}: errno ${-inode}`;
  inode.uid = entry.uid;
  inode.gid = entry.gid;
  inode.rdev = rdev;
  if (type === S_IFLNK) {
    inode.symlinkTarget = new TextDecoder().decode(entry.data);
    inode.size = entry.data.length;
  } else if (type === S_IFREG && entry.data.length > 0) {
    if (writeTmpfs(inode, entry.data, 0) !== entry.data.length) return `initramfs: ${entry.name}: out of memory`;
  }
  inode.atime = inode.mtime = inode.ctime = entry.mtime * 1e9;
  return inode;
}
