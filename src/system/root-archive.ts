/**
 * The initramfs of a root directory for `ir0 boot`, packed once and kept
 * beside it (DIR.cpio) with a signature of the tree — every entry's path,
 * type, mode, size and mtime — so the next boot reads one file instead of
 * packing thousands (the Debian root: ~5,000 entries, ~115 MiB). Any change
 * under the root (an image rebuild, the userland overlay) changes the
 * signature and the archive is packed again.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packDirectory } from './pack-root.js';

/** The tree's signature: a hash over lstat of every entry, in sorted order. */
export function treeSignature(root: string): string {
  const hash = createHash('sha256');
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(root, relative)).sort()) {
      const child = relative ? `${relative}/${entry}` : entry;
      const stat = fs.lstatSync(path.join(root, child));
      hash.update(`${child}\0${stat.mode}\0${stat.size}\0${stat.mtimeMs}\n`);
      if (stat.isDirectory()) walk(child);
    }
  };
  walk('');
  return hash.digest('hex');
}

/** The packed root: from DIR.cpio when its signature still matches, else packed now and saved for next time. */
export function rootArchive(root: string, onPack?: () => void): Uint8Array {
  const archive = `${path.resolve(root)}.cpio`;
  const keyFile = `${archive}.key`;
  const signature = treeSignature(root);
  try {
    if (fs.readFileSync(keyFile, 'utf8') === signature) return fs.readFileSync(archive);
  } catch {
    // No saved archive yet (or unreadable): pack it.
  }
  onPack?.();
  const packed = packDirectory(root);
  try {
    // Written under a temporary name and renamed, so a concurrent boot never reads half an archive.
    const temporary = `${archive}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, packed);
    fs.renameSync(temporary, archive);
    fs.writeFileSync(keyFile, signature);
  } catch {
    // A read-only location: boot from the packed bytes and pack again next time.
  }
  return packed;
}

/**
 * The initramfs of `root` for `ir0 boot`: a directory (see rootArchive) or a cpio archive file;
 * a string on error. The terminal thread calls this while the worker loads the kernel.
 */
export function loadInitramfs(root: string): Uint8Array | string {
  const stat = fs.statSync(root, { throwIfNoEntry: false });
  if (!stat) return `${root}: no such file or directory`;
  return stat.isDirectory() ? rootArchive(root) : fs.readFileSync(root);
}
