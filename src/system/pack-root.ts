/**
 * Packs a host directory into a cpio newc archive (the initramfs) on the fly:
 * directories, regular files and symlinks with their modes; owners become
 * root. Other file types (sockets, devices) are skipped. Memory: the archive is
 * sized first and file contents are read straight into it, so packing a root
 * costs one copy of it (the Debian root is ~120 MiB), not two.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

// <sys/stat.h> file types. Kept here rather than imported from the kernel: `ir0 boot`'s terminal
// thread packs or reads the root while the worker loads the kernel, and should not load it twice.
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/** One archive member before its bytes are read: regular files keep their host path, symlinks their target. */
interface Member {
  readonly name: Uint8Array;
  readonly mode: number;
  readonly mtime: number;
  readonly size: number;
  readonly hostPath: string | null;
  readonly linkTarget: Uint8Array | null;
}

// Documentation/driver-api/early-userspace/buffer-format.rst: "070701", 13 8-digit hex fields, name, data, 4-byte alignment.
const HEADER = 110;
const align4 = (x: number): number => (x + 3) & ~3;
const encoder = new TextEncoder();

function listMembers(root: string): Member[] {
  const members: Member[] = [];
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(root, relative)).sort()) {
      const child = relative ? `${relative}/${entry}` : entry;
      const hostPath = path.join(root, child);
      const stat = fs.lstatSync(hostPath);
      const mtime = Math.floor(stat.mtimeMs / 1000);
      const name = encoder.encode(child + '\0');
      if (stat.isDirectory()) {
        members.push({ name, mode: S_IFDIR | (stat.mode & 0o7777), mtime, size: 0, hostPath: null, linkTarget: null });
        walk(child);
      } else if (stat.isSymbolicLink()) {
        const linkTarget = encoder.encode(fs.readlinkSync(hostPath));
        members.push({ name, mode: S_IFLNK | 0o777, mtime, size: linkTarget.length, hostPath: null, linkTarget });
      } else if (stat.isFile()) {
        members.push({ name, mode: S_IFREG | (stat.mode & 0o7777), mtime, size: stat.size, hostPath, linkTarget: null });
      }
    }
  };
  walk('');
  members.push({ name: encoder.encode('TRAILER!!!\0'), mode: 0, mtime: 0, size: 0, hostPath: null, linkTarget: null });
  return members;
}

/** Reads a host file into `out` at `offset`; a file that changed size since it was listed is an error. */
function readInto(hostPath: string, out: Uint8Array, offset: number, size: number): void {
  const fd = fs.openSync(hostPath, 'r');
  try {
    let done = 0;
    while (done < size) {
      const count = fs.readSync(fd, out, offset + done, size - done, done);
      if (count === 0) break;
      done += count;
    }
    if (done !== size) throw new Error(`pack root: ${hostPath} changed size while it was packed`);
  } finally {
    fs.closeSync(fd);
  }
}

export function packDirectory(root: string): Uint8Array {
  const members = listMembers(root);
  let total = 0;
  for (const member of members) total = align4(align4(total + HEADER + member.name.length) + member.size);
  const out = new Uint8Array(total);
  let at = 0;
  members.forEach((member, index) => {
    const fields = [index + 1, member.mode, 0, 0, 1, member.mtime, member.size, 0, 0, 0, 0, member.name.length, 0];
    out.set(encoder.encode('070701' + fields.map((f) => (f >>> 0).toString(16).padStart(8, '0')).join('')), at);
    out.set(member.name, at + HEADER);
    at = align4(at + HEADER + member.name.length);
    if (member.linkTarget !== null) out.set(member.linkTarget, at);
    else if (member.hostPath !== null && member.size > 0) readInto(member.hostPath, out, at, member.size);
    at = align4(at + member.size);
  });
  return out;
}
