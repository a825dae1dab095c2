/**
 * The corrupt-image exerciser shared by the ext2 tests and `ir0 fuzz fs`: a
 * fixture volume (a directory of 40 files, a 300 KB file, a slow symlink) and
 * a pass that mounts an image, walks and reads every file, creates, writes and
 * deletes, then unmounts. A corrupt image may answer with errnos; it must
 * never throw.
 */
import { EXT2_ROOT_INO, S_IFREG } from './constants.js';
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
  const errnos: number[] = [];
  const mounted = Ext2Volume.mount(new MemoryBlockDevice(bytes), {});
  if (!mounted.ok) return [-mounted.errno];
  const volume = mounted.value;
  const seen = new Set<number>();
  const walk = (dir: number, depth: number): void => {
    const entries = volume.readDirectory(dir);
    if (typeof entries === 'number') { errnos.push(entries); return; }
    for (const entry of entries) {
      if (entry.name === '.' || entry.name === '..' || seen.has(entry.ino) || depth > 8) continue;
      seen.add(entry.ino);
      const stat = volume.stat(entry.ino);
      if (typeof stat === 'number') { errnos.push(stat); continue; }
      if (entry.fileType === 2) walk(entry.ino, depth + 1);
      else if (entry.fileType === 7) { const l = volume.readlink(entry.ino); if (typeof l === 'number') errnos.push(l); }
      else { const r = volume.read(entry.ino, 0, Math.min(stat.size, 1 << 20)); if (typeof r === 'number') errnos.push(r); }
    }
  };
  walk(EXT2_ROOT_INO, 0);
  const created = volume.create(EXT2_ROOT_INO, 'new', S_IFREG | 0o644, 0, 0);
  if (created < 0) errnos.push(created);
  else {
    const written = volume.write(created, 0, new Uint8Array(20_000).fill(3));
    if (written < 0) errnos.push(written);
    errnos.push(volume.unlink(EXT2_ROOT_INO, 'new'));
  }
  const dir = volume.lookup(EXT2_ROOT_INO, 'dir');
  if (dir > 0) for (let i = 0; i < 40; i += 3) errnos.push(volume.unlink(dir, `f${i}`));
  errnos.push(volume.unmount());
  return errnos.filter((e) => e < 0);
}
