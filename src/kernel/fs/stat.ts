/**
 * Linux i386 layouts of what stat-like calls return: struct stat64 (96 bytes,
 * arch/x86/include/uapi/asm/stat.h), struct statx (256 bytes, linux/stat.h)
 * and struct linux_dirent64 records for getdents64. Offsets were checked
 * against gcc -m32 offsetof on the host.
 */
import type { Inode, OpenFile } from './inode.js';
import { S_IFMT } from './inode.js';

const NS = 1_000_000_000;
const BLOCK = 4096;

function setTime(view: DataView, offset: number, nanoseconds: number, wide: boolean): void {
  const seconds = Math.floor(nanoseconds / NS);
  if (wide) {
    view.setBigInt64(offset, BigInt(seconds), true);
    view.setUint32(offset + 8, nanoseconds % NS, true);
  } else {
    view.setUint32(offset, seconds >>> 0, true);
    view.setUint32(offset + 4, nanoseconds % NS, true);
  }
}

export function encodeStat64(inode: Inode): Uint8Array {
  inode.ops.getattr?.(inode);
  const out = new Uint8Array(96);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(inode.superblock.device), true);
  view.setUint32(12, inode.ino >>> 0, true);
  view.setUint32(16, inode.mode, true);
  view.setUint32(20, inode.nlink, true);
  view.setUint32(24, inode.uid, true);
  view.setUint32(28, inode.gid, true);
  view.setBigUint64(32, BigInt(inode.rdev), true);
  view.setBigInt64(44, BigInt(inode.size), true);
  view.setUint32(52, BLOCK, true);
  view.setBigUint64(56, BigInt(inode.blocks), true);
  setTime(view, 64, inode.atime, false);
  setTime(view, 72, inode.mtime, false);
  setTime(view, 80, inode.ctime, false);
  view.setBigUint64(88, BigInt(inode.ino), true);
  return out;
}

export const STATX_BASIC_STATS = 0x7ff;

export function encodeStatx(inode: Inode): Uint8Array {
  inode.ops.getattr?.(inode);
  const out = new Uint8Array(256);
  const view = new DataView(out.buffer);
  view.setUint32(0, STATX_BASIC_STATS, true);
  view.setUint32(4, BLOCK, true);
  view.setUint32(16, inode.nlink, true);
  view.setUint32(20, inode.uid, true);
  view.setUint32(24, inode.gid, true);
  view.setUint16(28, inode.mode, true);
  view.setBigUint64(32, BigInt(inode.ino), true);
  view.setBigUint64(40, BigInt(inode.size), true);
  view.setBigUint64(48, BigInt(inode.blocks), true);
  setTime(view, 64, inode.atime, true);
  setTime(view, 96, inode.ctime, true);
  setTime(view, 112, inode.mtime, true);
  view.setUint32(128, inode.rdev >>> 8, true);
  view.setUint32(132, inode.rdev & 0xff, true);
  view.setUint32(136, inode.superblock.device >>> 8, true);
  view.setUint32(140, inode.superblock.device & 0xff, true);
  return out;
}

/** d_type of a mode (include/linux/fs_types.h: DT_* = S_IFMT >> 12). */
export const directoryType = (mode: number): number => (mode & S_IFMT) >>> 12;

/**
 * linux_dirent64 records for a directory's entries from `cursor` (the file position) until
 * `capacity` bytes are used: { u64 d_ino; i64 d_off; u16 d_reclen; u8 d_type; char d_name[] },
 * each padded to 8 bytes. Returns the bytes and the new cursor; -EINVAL when the first entry
 * does not fit (fs/readdir.c), another negative errno from the filesystem.
 */
export function encodeDirents(file: OpenFile, cursor: number, capacity: number): { bytes: Uint8Array; cursor: number } | number {
  const readdir = file.inode.fileOps.readdir;
  if (!readdir) return -20; // ENOTDIR
  const encoder = new TextEncoder();
  const out = new Uint8Array(capacity);
  const view = new DataView(out.buffer);
  let used = 0;
  let full = false;
  const result = readdir(file, cursor, (entry) => {
    const nameBytes = encoder.encode(entry.name);
    const length = (19 + nameBytes.length + 1 + 7) & ~7;
    if (used + length > capacity) { full = true; return false; }
    view.setBigUint64(used, BigInt(entry.ino), true);
    view.setBigInt64(used + 8, BigInt(entry.next), true);
    view.setUint16(used + 16, length, true);
    out[used + 18] = entry.type;
    out.set(nameBytes, used + 19);
    used += length;
    cursor = entry.next;
    return true;
  });
  if (result < 0) return result;
  if (used === 0 && full) return -22; // EINVAL: the buffer cannot hold one entry
  return { bytes: out.subarray(0, used), cursor };
}
