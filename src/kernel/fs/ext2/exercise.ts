/**
 * The corrupt-image exerciser shared by the ext2 tests and `ir0 fuzz fs`: a
 * fixture volume (a directory of 40 files, a 300 KB file, a slow symlink) and
 * a pass that mounts an image, walks and reads every file, creates, writes,
 * truncates, renames and deletes, then unmounts (`ir0 mkimage fuzz` runs the same
 * pass on its own, larger fixture). A corrupt image may answer with errnos; it must
 * never throw.
 */
import { EXT2_ROOT_INO, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from './constants.js';
import { MemoryBlockDevice } from './block-device.js';
import { Ext2Volume } from './volume.js';

/** Fills a fresh volume with the files the exerciser expects (names under /dir, /big, /dir/link). */
export function populateExerciseFixture(v: Ext2Volume): void {
  const dir = v.mkdir(EXT2_ROOT_INO, 'dir', 0o755, 0, 0);
  for (let i = 0; i < 40; i++) v.write(v.create(dir, `f${i}`, S_IFREG | 0o644, 0, 0), 0, new Uint8Array(i * 700).fill(i));
  v.write(v.create(EXT2_ROOT_INO, 'big', S_IFREG | 0o644, 0, 0), 0, new Uint8Array(300_000).fill(7));
  v.symlink(dir, 'link', 'x'.repeat(80), 0, 0);
}

/** Mounts, walks every file, then creates, writes and deletes; returns the errnos seen. Must not throw. */
export function exerciseImage(bytes: Uint8Array): number[] {
  const mounted = Ext2Volume.mount(new MemoryBlockDevice(bytes), {});
  return mounted.ok ? exerciseVolume(mounted.value) : [-mounted.errno];
}

/**
 * The pass over a mounted (possibly corrupt) volume: walk every directory, stat every entry, read
 * symlinks and the last MiB of regular files; create, write, truncate and delete a file; make a
 * directory; in /dir delete every third regular file and move the first symlink to /; delete /big;
 * unmount. Returns the errnos seen.
 */
export function exerciseVolume(volume: Ext2Volume): number[] {
  const errnos: number[] = [];
  const seen = new Set<number>();
  const walk = (dir: number, depth: number): void => {
    const entries = volume.readDirectory(dir);
    if (typeof entries === 'number') { errnos.push(entries); return; }
    for (const entry of entries) {
      if (entry.name === '.' || entry.name === '..' || seen.has(entry.ino) || depth > 10) continue;
      seen.add(entry.ino);
      const stat = volume.stat(entry.ino);
      if (typeof stat === 'number') { errnos.push(stat); continue; }
      const type = stat.mode & S_IFMT;
      if (type === S_IFDIR) walk(entry.ino, depth + 1);
      else if (type === S_IFLNK) { const target = volume.readlink(entry.ino); if (typeof target === 'number') errnos.push(target); }
      else if (type === S_IFREG) {
        const data = volume.read(entry.ino, Math.max(0, stat.size - (1 << 20)), 1 << 20);
        if (typeof data === 'number') errnos.push(data);
      }
    }
  };
  walk(EXT2_ROOT_INO, 0);
  const created = volume.create(EXT2_ROOT_INO, 'new', S_IFREG | 0o644, 0, 0);
  if (created < 0) errnos.push(created);
  else {
    const written = volume.write(created, 0, new Uint8Array(50_000).fill(3));
    if (written < 0) errnos.push(written);
    errnos.push(volume.truncate(created, 1000));
    errnos.push(volume.unlink(EXT2_ROOT_INO, 'new'));
  }
  errnos.push(volume.mkdir(EXT2_ROOT_INO, 'newdir', 0o755, 0, 0));
  const dir = volume.lookup(EXT2_ROOT_INO, 'dir');
  const entries = dir > 0 ? volume.readDirectory(dir) : dir;
  if (typeof entries === 'number') errnos.push(entries);
  else {
    let regular = 0;
    let moved = false;
    for (const entry of entries) {
      const stat = volume.stat(entry.ino);
      if (typeof stat === 'number' || entry.name === '.' || entry.name === '..') continue;
      const type = stat.mode & S_IFMT;
      if (type === S_IFREG && regular++ % 3 === 0) errnos.push(volume.unlink(dir, entry.name));
      else if (type === S_IFLNK && !moved) { moved = true; errnos.push(volume.rename(dir, entry.name, EXT2_ROOT_INO, 'moved')); }
    }
  }
  errnos.push(volume.unlink(EXT2_ROOT_INO, 'big'));
  errnos.push(volume.unmount());
  return errnos.filter((e) => e < 0);
}
