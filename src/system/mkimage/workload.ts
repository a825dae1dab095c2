/**
 * A filesystem write workload run two ways, to compare ext2 with the host:
 * on a host directory through Node's fs, and on an Ext2Volume through the
 * driver core. Create, append, overwrite, truncate (down and up), rename
 * (within and across directories, over a file), link, unlink, mkdir, rmdir,
 * symlink (fast and slow), sparse files, and many small files in one directory
 * with a third deleted. `scale` multiplies the sizes and counts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Ext2Volume, S_IFREG } from '../../kernel/fs/ext2/index.js';

export interface WorkloadTarget {
  mkdir(name: string): void;
  write(name: string, position: number, data: Uint8Array): void;
  truncate(name: string, size: number): void;
  rename(from: string, to: string): void;
  link(existing: string, name: string): void;
  unlink(name: string): void;
  rmdir(name: string): void;
  symlink(target: string, name: string): void;
}

export function hostTarget(root: string): WorkloadTarget {
  const at = (name: string): string => path.join(root, name);
  return {
    mkdir: (name) => fs.mkdirSync(at(name), { mode: 0o755 }),
    write: (name, position, data) => {
      const fd = fs.openSync(at(name), fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o644);
      try { fs.writeSync(fd, data, 0, data.length, position); } finally { fs.closeSync(fd); }
    },
    truncate: (name, size) => fs.truncateSync(at(name), size),
    rename: (from, to) => fs.renameSync(at(from), at(to)),
    link: (existing, name) => fs.linkSync(at(existing), at(name)),
    unlink: (name) => fs.unlinkSync(at(name)),
    rmdir: (name) => fs.rmdirSync(at(name)),
    symlink: (target, name) => fs.symlinkSync(target, at(name)),
  };
}

/** Runs the workload on a volume, resolving slash-separated paths from the root; errnos throw. */
export function volumeTarget(volume: Ext2Volume, uid = 0, gid = 0): WorkloadTarget {
  const check = (result: number, what: string): number => {
    if (result < 0) throw new Error(`${what}: errno ${-result}`);
    return result;
  };
  const parent = (name: string): [number, string] => {
    const parts = name.split('/');
    let dir = volume.rootIno;
    for (const part of parts.slice(0, -1)) dir = check(volume.lookup(dir, part), name);
    return [dir, parts[parts.length - 1]!];
  };
  const resolve = (name: string): number => {
    const [dir, last] = parent(name);
    return check(volume.lookup(dir, last), name);
  };
  return {
    mkdir: (name) => { const [dir, last] = parent(name); check(volume.mkdir(dir, last, 0o755, uid, gid), name); },
    write: (name, position, data) => {
      const [dir, last] = parent(name);
      let ino = volume.lookup(dir, last);
      if (ino < 0) ino = check(volume.create(dir, last, S_IFREG | 0o644, uid, gid), name);
      check(volume.write(ino, position, data), name);
    },
    truncate: (name, size) => { check(volume.truncate(resolve(name), size), name); },
    rename: (from, to) => {
      const [fromDir, fromName] = parent(from);
      const [toDir, toName] = parent(to);
      check(volume.rename(fromDir, fromName, toDir, toName), `${from} -> ${to}`);
    },
    link: (existing, name) => { const [dir, last] = parent(name); check(volume.link(dir, last, resolve(existing)), name); },
    unlink: (name) => { const [dir, last] = parent(name); check(volume.unlink(dir, last), name); },
    rmdir: (name) => { const [dir, last] = parent(name); check(volume.rmdir(dir, last), name); },
    symlink: (target, name) => { const [dir, last] = parent(name); check(volume.symlink(dir, last, target, uid, gid), name); },
  };
}

/** Deterministic bytes: a pattern that differs per file and offset. */
function pattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13; state ^= state >>> 17; state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

export function runWorkload(target: WorkloadTarget, scale = 1): void {
  const MiB = 1 << 20;
  target.mkdir('work');
  target.mkdir('work/a');
  target.mkdir('work/a/b');
  target.write('work/empty', 0, new Uint8Array(0));
  for (const size of [1, 511, 4095, 4096, 4097, 70_000, 300_000]) target.write(`work/size-${size}`, 0, pattern(size, size));
  target.write('work/append', 0, pattern(1000, 1));
  for (let i = 0; i < 20; i++) target.write('work/append', 1000 + i * 777, pattern(777, i + 2));
  target.write('work/overwrite', 0, pattern(50_000, 3));
  target.write('work/overwrite', 12_345, pattern(10_000, 4));
  target.write('work/shrink', 0, pattern(200_000, 5));
  target.truncate('work/shrink', 5000);
  target.truncate('work/shrink', 9000);
  target.write('work/sparse', Math.floor(4 * MiB * scale), pattern(100, 6));
  target.write('work/sparse', 10, pattern(10, 7));
  target.write('work/large', 0, pattern(Math.floor(3 * MiB * scale), 8));
  target.write('work/large', Math.floor(16 * MiB * scale), pattern(4096, 9));
  target.rename('work/size-1', 'work/a/moved');
  target.rename('work/size-511', 'work/size-4095');
  target.rename('work/a/b', 'work/b-moved');
  target.link('work/size-4096', 'work/a/hard');
  target.link('work/size-4096', 'work/hard2');
  target.unlink('work/hard2');
  target.symlink('size-4096', 'work/fast-link');
  target.symlink('x/'.repeat(60) + 'target', 'work/slow-link');
  target.mkdir('work/gone');
  target.write('work/gone/file', 0, pattern(100, 10));
  target.unlink('work/gone/file');
  target.rmdir('work/gone');
  target.mkdir('work/many');
  const count = Math.floor(1000 * scale);
  for (let i = 0; i < count; i++) target.write(`work/many/file-${i}`, 0, pattern(i % 50, i));
  for (let i = 0; i < count; i += 3) target.unlink(`work/many/file-${i}`);
}
