/**
 * The disk path end to end: an image with an MBR and an ext2 partition made by the host's
 * mke2fs (holding a static busybox) is the ATA disk of a machine booted with root=/dev/hda1;
 * a shell writes, links, renames and removes files, reads the raw partition through
 * /dev/hda1, and exits. The clean shutdown must leave an image the host's e2fsck calls clean,
 * with the files debugfs reads back as written, FLUSH CACHE having reached the backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bootFromDisk } from './disk-boot.js';
import { memoryBackend } from './block-backends.js';
import { makeHostExt2Disk, MIB } from './host-ext2-disk.js';

const busybox = path.resolve(import.meta.dirname, '../../.cache/image/root/bin/busybox');
const tools = ['mke2fs', 'e2fsck', 'debugfs'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool} || test -x /sbin/${tool}`]).status === 0);

test('disk: boot from an ext2 partition on the ATA disk; writes survive a clean exit and e2fsck agrees', { skip: (!tools || !fs.existsSync(busybox)) && 'needs e2fsprogs and the Debian image (scripts/setup.sh)' }, () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-disk-'));
  try {
    const tree = path.join(scratch, 'tree');
    for (const dir of ['bin', 'dev', 'proc', 'sys', 'tmp', 'root', 'etc']) fs.mkdirSync(path.join(tree, dir), { recursive: true });
    fs.copyFileSync(busybox, path.join(tree, 'bin/busybox'));
    fs.chmodSync(path.join(tree, 'bin/busybox'), 0o755);
    fs.symlinkSync('busybox', path.join(tree, 'bin/sh'));
    fs.writeFileSync(path.join(tree, 'etc/motd'), 'from the disk\n');
    const image = path.join(scratch, 'disk.img');
    const size = 32 * MIB;
    assert.equal(makeHostExt2Disk(tree, image, size), null);
    const disk = memoryBackend(new Uint8Array(fs.readFileSync(image)));
    let flushes = 0;
    const flush = disk.flush.bind(disk);
    disk.flush = () => { flushes++; return flush(); };
    const { system, stdout, log } = bootFromDisk(disk, { memoryMiB: 64, cmdline: 'loglevel=3 root=/dev/hda1' });
    assert.ok(typeof system !== 'string', `${String(system)}\n${log.join('')}`);
    const script = [
      'cat /etc/motd', 'echo written > /tmp/a', 'busybox seq 1 20000 > /tmp/big', 'ln /tmp/a /tmp/hard', 'mv /tmp/a /tmp/renamed',
      'mkdir -p /tmp/d/e', 'ln -s ../renamed /tmp/d/link', 'cat /tmp/d/link', 'rm /tmp/hard', 'busybox wc -c /tmp/big',
      'busybox dd if=/dev/hda1 bs=1024 skip=1 count=1 2>/dev/null | busybox od -A n -t x2 -j 56 -N 2',
      'busybox stat -c "%s %h" /tmp/renamed',
    ].join('; ');
    const result = system.run('/bin/sh', ['/bin/sh', '-c', script], ['PATH=/bin'], 4_000_000_000);
    assert.equal(result.error, null, result.error ?? '');
    assert.equal(result.status, 0, `${Buffer.from(stdout).toString()}\n${log.join('')}`);
    assert.equal(Buffer.from(stdout).toString(), 'from the disk\nwritten\n108894 /tmp/big\n ef53\n8 1\n');
    assert.ok(flushes > 0, 'FLUSH CACHE reached the backend');
    // Boot's own cache pages (the root mount's reads) are dropped at shutdown too: after >= before.
    assert.ok(result.freePagesAfter >= result.freePagesBefore, `no pages leaked: ${result.freePagesAfter} < ${result.freePagesBefore}`);
    fs.writeFileSync(image, disk.bytes);
    const check = spawnSync('e2fsck', ['-fn', `${image}?offset=${MIB}`]);
    assert.equal(check.status, 0, check.stdout.toString() + check.stderr.toString());
    const big = spawnSync('debugfs', ['-R', 'cat /tmp/big', `${image}?offset=${MIB}`]).stdout.toString();
    assert.equal(big, Array.from({ length: 20000 }, (_, i) => `${i + 1}\n`).join(''));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
