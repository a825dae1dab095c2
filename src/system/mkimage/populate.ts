/**
 * Copies a host directory tree into an ext2 volume: directories, regular files
 * (all-zero blocks stay holes), symlinks, hard links (one inode per host inode),
 * device nodes, FIFOs and sockets, with modes, owners and times. Directory times
 * are set after their children are added. Reports progress per file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Ext2Volume, S_IFMT, S_IFREG } from '../../kernel/fs/ext2/index.js';

export interface PopulateOptions {
  /** Make every file owned by root (what the initramfs packer does for a root built without root privileges). */
  rootOwner?: boolean;
  progress?: (files: number, bytes: number) => void;
}

export interface PopulateCounts {
  files: number;
  bytes: number;
}

const CHUNK = 1 << 20;

function isZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Host dev_t (glibc's gnu_dev_makedev form) → Linux new_encode_dev. */
function linuxDeviceNumber(rdev: number): number {
  const major = Math.floor(rdev / 256) & 0xfff;
  const minor = (rdev & 0xff) | (Math.floor(rdev / 4096) & 0xfff00);
  return ((minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12)) >>> 0;
}

/** Fails with a message naming the host path and the errno the volume returned. */
function check(result: number, what: string): number {
  if (result < 0) throw new Error(`mkimage: ${what}: errno ${-result}`);
  return result;
}

export function populate(volume: Ext2Volume, hostRoot: string, options: PopulateOptions = {}): PopulateCounts {
  const counts: PopulateCounts = { files: 0, bytes: 0 };
  const hardLinks = new Map<string, number>();
  const buffer = new Uint8Array(CHUNK);
  const blockSize = volume.fs.blockSize;
  const owner = (stat: fs.Stats): [number, number] => options.rootOwner ? [0, 0] : [stat.uid, stat.gid];

  const copyFile = (hostPath: string, ino: number, size: number): void => {
    const fd = fs.openSync(hostPath, 'r');
    try {
      for (let position = 0; position < size;) {
        const count = fs.readSync(fd, buffer, 0, Math.min(CHUNK, size - position), position);
        if (count === 0) break;
        for (let offset = 0; offset < count; offset += blockSize) {
          const piece = buffer.subarray(offset, Math.min(count, offset + blockSize));
          if (!isZero(piece)) check(volume.write(ino, position + offset, piece), hostPath);
        }
        position += count;
      }
    } finally {
      fs.closeSync(fd);
    }
    check(volume.truncate(ino, size), hostPath);
  };

  const walk = (hostDir: string, dirIno: number): void => {
    for (const name of fs.readdirSync(hostDir).sort()) {
      const hostPath = path.join(hostDir, name);
      const stat = fs.lstatSync(hostPath);
      const [uid, gid] = owner(stat);
      const times = { atime: Math.floor(stat.atimeMs / 1000), mtime: Math.floor(stat.mtimeMs / 1000) };
      counts.files++;
      if (stat.isDirectory()) {
        const ino = check(volume.mkdir(dirIno, name, stat.mode & 0o7777, uid, gid), hostPath);
        walk(hostPath, ino);
        check(volume.setAttributes(ino, times), hostPath);
        continue;
      }
      const key = `${stat.dev}:${stat.ino}`;
      const linked = stat.nlink > 1 ? hardLinks.get(key) : undefined;
      if (linked !== undefined) {
        check(volume.link(dirIno, name, linked), hostPath);
        continue;
      }
      let ino: number;
      if (stat.isSymbolicLink()) {
        ino = check(volume.symlink(dirIno, name, fs.readlinkSync(hostPath), uid, gid), hostPath);
      } else if (stat.isFile()) {
        ino = check(volume.create(dirIno, name, S_IFREG | (stat.mode & 0o7777), uid, gid), hostPath);
        copyFile(hostPath, ino, stat.size);
        counts.bytes += stat.size;
      } else {
        ino = check(volume.create(dirIno, name, stat.mode & (S_IFMT | 0o7777), uid, gid, linuxDeviceNumber(stat.rdev)), hostPath);
      }
      if (!stat.isSymbolicLink()) check(volume.setAttributes(ino, { mode: stat.mode & 0o7777, ...times }), hostPath);
      else check(volume.setAttributes(ino, times), hostPath);
      if (stat.nlink > 1) hardLinks.set(key, ino);
      options.progress?.(counts.files, counts.bytes);
    }
  };

  walk(hostRoot, volume.rootIno);
  const rootStat = fs.statSync(hostRoot);
  check(volume.setAttributes(volume.rootIno, {
    mode: rootStat.mode & 0o7777, uid: options.rootOwner ? 0 : rootStat.uid, gid: options.rootOwner ? 0 : rootStat.gid,
    atime: Math.floor(rootStat.atimeMs / 1000), mtime: Math.floor(rootStat.mtimeMs / 1000),
  }), hostRoot);
  return counts;
}

/** Bytes and entries under a host directory (for sizing the image). */
export function measureTree(hostRoot: string): { bytes: number; entries: number } {
  let bytes = 0;
  let entries = 0;
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir)) {
      const hostPath = path.join(dir, name);
      const stat = fs.lstatSync(hostPath);
      entries++;
      if (stat.isDirectory()) walk(hostPath);
      else if (stat.isFile()) bytes += stat.size;
    }
  };
  walk(hostRoot);
  return { bytes, entries };
}
