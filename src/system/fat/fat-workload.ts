/**
 * What the FAT32 workload and crash tests share: a root holding userland/fs-workload,
 * a static busybox and a tar archive of a tree FAT can hold (no symlinks); the shell
 * script run in ir0 on a vfat mount and natively in a host directory; images made by
 * the host's mkfs.fat; the partition cut out of an image; mtools extraction; and a
 * comparison of two trees by names, types, sizes and contents (what FAT keeps).
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeMbr } from '../mkimage/mbr.js';

const projectRoot = path.resolve(import.meta.dirname, '../../..');
export const workloadProgram = path.join(projectRoot, 'userland/fs-workload/build/fs-workload');
const busybox = path.join(projectRoot, '.cache/image/root/bin/busybox');
export const cli = path.join(projectRoot, 'bin/ir0.js');
const hostPath = `${process.env.PATH ?? ''}:/sbin:/usr/sbin`;
export const FAT_PARTITION_START = 2048;

/** Workload size in percent: IR0_FAT_WORKLOAD_SCALE, else 100 with IR0_SLOW_TESTS=1, else 5. */
export function workloadScale(): number {
  return Number(process.env.IR0_FAT_WORKLOAD_SCALE ?? (process.env.IR0_SLOW_TESTS === '1' ? 100 : 5));
}

export function fatTools(): boolean {
  return ['fsck.fat', 'mkfs.fat', 'mcopy'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { env: { PATH: hostPath } }).status === 0);
}

/** A root directory (the initramfs of the ir0 runs) with the workload, busybox and data.tar. */
export function makeWorkloadRoot(dir: string): string {
  const root = path.join(dir, 'root');
  for (const sub of ['bin', 'dev', 'proc', 'tmp', 'sys', 'mnt']) fs.mkdirSync(path.join(root, sub), { recursive: true });
  fs.mkdirSync(path.join(dir, 'empty'), { recursive: true });
  fs.copyFileSync(workloadProgram, path.join(root, 'bin/fs-workload'));
  fs.copyFileSync(busybox, path.join(root, 'bin/busybox'));
  fs.chmodSync(path.join(root, 'bin/fs-workload'), 0o755);
  fs.chmodSync(path.join(root, 'bin/busybox'), 0o755);
  const tree = path.join(dir, 'tree/Package Tree');
  fs.mkdirSync(path.join(tree, 'lib/deep/Deeper Still'), { recursive: true });
  fs.mkdirSync(path.join(tree, 'empty dir'), { recursive: true });
  for (let i = 0; i < 60; i++) fs.writeFileSync(path.join(tree, 'lib', `module_${i}.py`), `# module ${i}\n`.repeat(i * 20));
  fs.writeFileSync(path.join(tree, 'lib/deep/data.bin'), Buffer.alloc(200_000, 0x5a));
  fs.writeFileSync(path.join(tree, 'lib/deep/Deeper Still/A Rather Long File Name With Spaces.txt'), 'long\n');
  fs.writeFileSync(path.join(tree, 'README'), 'readme\n');
  fs.writeFileSync(path.join(tree, 'run.sh'), '#!/bin/sh\necho run\n', { mode: 0o755 });
  execFileSync('tar', ['-cf', path.join(root, 'data.tar'), '-C', path.join(dir, 'tree'), 'Package Tree']);
  return root;
}

/** Why the workload cannot run here, or null. */
makeWorkloadRoot.missing = (): string | null => {
  const missing = [workloadProgram, busybox].filter((file) => !fs.existsSync(file));
  return missing.length > 0 ? `missing ${missing.join(', ')} (make -C userland; ir0 image build)` : null;
};

/**
 * The workload as one shell command line: in ir0 (`root` null) it mounts /dev/hda1 on
 * /mnt first; natively it runs the root's programs on a host directory.
 */
export function vfatScript(scale: number, directory: string, root: string | null): string {
  const bin = root ? `${root}/bin` : '/bin';
  const archive = root ? `${root}/data.tar` : '/data.tar';
  const mount = root ? '' : 'mount -t vfat /dev/hda1 /mnt && ';
  return `${mount}${bin}/fs-workload '${directory}' ${scale} --vfat && mkdir '${directory}/x' && ${bin}/busybox tar -xf '${archive}' -C '${directory}/x' && echo extracted`;
}

/** `ir0 run --root ROOT --disk IMAGE -- busybox sh -c SCRIPT`, stdin closed. */
export function runInIr0(root: string, image: string, script: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cli, 'run', '--root', root, '--disk', image, '--', '/bin/busybox', 'sh', '-c', script], {
    encoding: 'utf8', timeout: 3_000_000, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
  });
}

/** An image with an MBR and a FAT32 partition formatted by the host's mkfs.fat. */
export function hostFatImage(image: string, sizeMiB: number): void {
  const sectors = sizeMiB * 2048;
  fs.writeFileSync(image, Buffer.alloc(0));
  fs.truncateSync(image, sectors * 512);
  const fd = fs.openSync(image, 'r+');
  try {
    fs.writeSync(fd, encodeMbr(FAT_PARTITION_START, sectors - FAT_PARTITION_START, 0x0c, 0x2e0f2e0f), 0, 512, 0);
  } finally {
    fs.closeSync(fd);
  }
  const blocks = (sectors - FAT_PARTITION_START) / 2;
  execFileSync('mkfs.fat', ['-F', '32', '-s', '1', '-h', String(FAT_PARTITION_START), '--offset', String(FAT_PARTITION_START), image, String(blocks)], {
    env: { PATH: hostPath }, stdio: 'pipe',
  });
}

/** Copies the first partition of an MBR image to `out` (what fsck.fat and mtools read). */
export function partitionOf(image: string, out: string): void {
  const fd = fs.openSync(image, 'r');
  try {
    const mbr = Buffer.alloc(512);
    fs.readSync(fd, mbr, 0, 512, 0);
    const first = mbr.readUInt32LE(446 + 8);
    const count = mbr.readUInt32LE(446 + 12);
    const output = fs.openSync(out, 'w');
    try {
      const chunk = Buffer.alloc(1 << 20);
      for (let at = 0; at < count * 512;) {
        const read = fs.readSync(fd, chunk, 0, Math.min(chunk.length, count * 512 - at), first * 512 + at);
        if (read <= 0) break;
        fs.writeSync(output, chunk, 0, read);
        at += read;
      }
    } finally {
      fs.closeSync(output);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** mcopy -s of the whole volume into `into`. */
export function mtoolsExtract(partition: string, into: string): void {
  fs.mkdirSync(into, { recursive: true });
  execFileSync('mcopy', ['-s', '-n', '-m', '-i', partition, '::/*', into], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' }, stdio: 'pipe' });
}

/** Differences between two trees in what FAT keeps: names, file or directory, sizes and contents. Empty when equal. */
export function compareContents(expected: string, actual: string): string[] {
  const listing = (root: string): Map<string, string> => {
    const out = new Map<string, string>();
    const walk = (relative: string): void => {
      for (const name of fs.readdirSync(path.join(root, relative)).sort()) {
        const child = relative ? `${relative}/${name}` : name;
        const full = path.join(root, child);
        const stat = fs.lstatSync(full);
        if (stat.isDirectory()) { out.set(child, 'dir'); walk(child); continue; }
        const digest = stat.isFile() ? createHash('sha1').update(fs.readFileSync(full)).digest('hex') : 'not a file';
        out.set(child, `${stat.isFile() ? 'file' : 'other'} size ${stat.size} sha1 ${digest}`);
      }
    };
    walk('');
    return out;
  };
  const left = listing(expected);
  const right = listing(actual);
  const differences: string[] = [];
  for (const [name, description] of left) {
    const other = right.get(name);
    if (other === undefined) differences.push(`missing ${name} (${description})`);
    else if (other !== description) differences.push(`${name}: expected ${description}, got ${other}`);
  }
  for (const name of right.keys()) if (!left.has(name)) differences.push(`unexpected ${name} (${right.get(name)})`);
  return differences;
}
