/**
 * reboot(2) on a machine whose root is an ext2 partition: `busybox poweroff -f`
 * (straight to reboot(2), no init) must leave the disk as Linux's shutdown
 * does — everything written and FLUSH CACHE'd by the syscall itself (nothing
 * reaches the disk after it), the filesystem marked clean — judged by the
 * host's e2fsck, dumpe2fs and debugfs.
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
const tools = ['mke2fs', 'e2fsck', 'dumpe2fs', 'debugfs'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool} || test -x /sbin/${tool}`]).status === 0);
test('poweroff -f: reboot(2) syncs, remounts read-only and stops; the ext2 root is clean with the data on it',
  { skip: (!tools || !fs.existsSync(busybox)) && 'needs e2fsprogs and the Debian image (scripts/setup.sh)' }, () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-poweroff-'));
    try {
      const tree = path.join(scratch, 'tree');
      for (const dir of ['bin', 'dev', 'proc', 'sys', 'tmp', 'root']) fs.mkdirSync(path.join(tree, dir), { recursive: true });
      fs.copyFileSync(busybox, path.join(tree, 'bin/busybox'));
      fs.chmodSync(path.join(tree, 'bin/busybox'), 0o755);
      fs.symlinkSync('busybox', path.join(tree, 'bin/sh'));
      const image = path.join(scratch, 'disk.img');
      assert.equal(makeHostExt2Disk(tree, image, 16 * MIB), null);
      const disk = memoryBackend(new Uint8Array(fs.readFileSync(image)));
      const { system, stdout, log } = bootFromDisk(disk, { memoryMiB: 32, cmdline: 'loglevel=4 root=/dev/hda1' });
      assert.ok(typeof system !== 'string', `${String(system)}\n${log.join('')}`);
      // Writes that reach the disk once reboot(2) has returned are the host's late cleanup, not the kernel's shutdown.
      let lateWrites = 0;
      const write = disk.write.bind(disk);
      disk.write = (sector, from) => { if (system.kernel.powerState !== 'running') lateWrites++; return write(sector, from); };
      // The written file is still in the cache (no sync by the shell): reboot(2) must write it.
      const script = 'echo kept through the power-off > /root/note; busybox seq 1 5000 > /tmp/numbers; busybox poweroff -f; echo not reached';
      const result = system.run('/bin/sh', ['/bin/sh', '-c', script], ['PATH=/bin'], 2_000_000_000);
      assert.equal(result.error, null, result.error ?? '');
      assert.equal(system.kernel.powerState, 'power-off');
      assert.equal(result.status, 0);
      assert.equal(Buffer.from(stdout).toString(), '', 'the shell did not go on after the power-off');
      assert.match(log.join(''), /reboot: Power down/);
      assert.equal(lateWrites, 0, 'reboot(2) left nothing to write');
      fs.writeFileSync(image, disk.bytes);
      const check = spawnSync('e2fsck', ['-fn', `${image}?offset=${MIB}`]);
      assert.equal(check.status, 0, check.stdout.toString() + check.stderr.toString());
      const header = spawnSync('dumpe2fs', ['-h', `${image}?offset=${MIB}`]).stdout.toString();
      assert.match(header, /^Filesystem state:\s+clean$/m);
      const read = (file: string): string => spawnSync('debugfs', ['-R', `cat ${file}`, `${image}?offset=${MIB}`]).stdout.toString();
      assert.equal(read('/root/note'), 'kept through the power-off\n');
      assert.equal(read('/tmp/numbers'), Array.from({ length: 5000 }, (_, i) => `${i + 1}\n`).join(''));
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
