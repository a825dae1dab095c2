/**
 * Packs a host directory into a cpio newc archive (the initramfs) on the fly:
 * directories, regular files and symlinks with their modes; owners become
 * root. Other file types (sockets, devices) are skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CpioEntry } from '../kernel/index.js';
import { S_IFDIR, S_IFLNK, S_IFREG, writeCpio } from '../kernel/index.js';

export function packDirectory(root: string): Uint8Array {
  const entries: CpioEntry[] = [];
  const base = { uid: 0, gid: 0, rdevMajor: 0, rdevMinor: 0, ino: 0, nlink: 1 };
  const walk = (relative: string): void => {
    const full = path.join(root, relative);
    for (const name of fs.readdirSync(full).sort()) {
      const child = relative ? `${relative}/${name}` : name;
      const stat = fs.lstatSync(path.join(root, child));
      const mtime = Math.floor(stat.mtimeMs / 1000);
      if (stat.isDirectory()) {
        entries.push({ ...base, name: child, mode: S_IFDIR | (stat.mode & 0o7777), mtime, data: new Uint8Array(0) });
        walk(child);
      } else if (stat.isSymbolicLink()) {
        entries.push({ ...base, name: child, mode: S_IFLNK | 0o777, mtime, data: new TextEncoder().encode(fs.readlinkSync(path.join(root, child))) });
      } else if (stat.isFile()) {
        entries.push({ ...base, name: child, mode: S_IFREG | (stat.mode & 0o7777), mtime, data: fs.readFileSync(path.join(root, child)) });
      }
    }
  };
  walk('');
  return writeCpio(entries);
}
