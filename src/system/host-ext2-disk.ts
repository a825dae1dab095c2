/**
 * A disk image as the tests' reference: an MBR with one Linux partition from 1 MiB to the end,
 * holding an ext2 filesystem (1 KiB blocks) that the host's mke2fs makes from the directory `tree`.
 * Returns mke2fs's error output, or null when it succeeded.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

export const MIB = 1024 * 1024;

export function makeHostExt2Disk(tree: string, image: string, size: number): string | null {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes[446 + 4] = 0x83;
  view.setUint32(446 + 8, 2048, true);
  view.setUint32(446 + 12, size / 512 - 2048, true);
  bytes[510] = 0x55; bytes[511] = 0xaa;
  fs.writeFileSync(image, bytes);
  const made = spawnSync('mke2fs', ['-q', '-F', '-t', 'ext2', '-b', '1024', '-E', `offset=${MIB}`, '-d', tree, image, `${size / MIB - 1}M`]);
  return made.status === 0 ? null : made.stderr.toString();
}
