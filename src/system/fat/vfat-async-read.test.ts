/**
 * Disk reads that sleep: a FAT32 root (made by `ir0 mkimage --type fat32`) on the ATA
 * disk; busybox md5sum reads a 3 MiB file from it. The file's data pages are read by
 * requests the IRQ 14 handler completes while the reading task sleeps (the kernel's
 * blocking-as-restart model), not by the driver waiting in hlt: the driver's hlt waits
 * stay a small fraction of its interrupt-completed requests, and the sum equals the
 * host's md5sum of the same bytes. A second task (a shell loop) runs alongside.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bootFromDisk } from '../disk-boot.js';
import { memoryBackend } from '../block-backends.js';
import { AtaDriver } from '../../kernel/block/index.js';
import { buildFatImage } from './mkimage-fat.js';

const busybox = path.resolve(import.meta.dirname, '../../../.cache/image/root/bin/busybox');
const readSignals = path.resolve(import.meta.dirname, '../../../userland/fs-tests/build/read-signals');

test('vfat file reads sleep on the disk interrupt instead of waiting in hlt; the data equals the host md5sum', { skip: !fs.existsSync(busybox) && 'needs the Debian image (scripts/setup.sh)' }, (t) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-fat-async-'));
  try {
    const tree = path.join(scratch, 'tree');
    for (const dir of ['bin', 'dev', 'proc', 'sys', 'tmp', 'data']) fs.mkdirSync(path.join(tree, dir), { recursive: true });
    fs.copyFileSync(busybox, path.join(tree, 'bin/busybox'));
    if (fs.existsSync(readSignals)) fs.copyFileSync(readSignals, path.join(tree, 'bin/read-signals'));
    const big = Buffer.alloc(3 << 20);
    for (let i = 0, x = 7; i < big.length; i++) { x = (x * 1103515245 + 12345) >>> 0; big[i] = x >>> 24; }
    fs.writeFileSync(path.join(tree, 'data/big.bin'), big);
    fs.writeFileSync(path.join(tree, 'data/small.bin'), 'tiny');
    const image = path.join(scratch, 'fat.img');
    buildFatImage({ from: tree, out: image, type: 32, sizeMiB: 48 });
    const expected = spawnSync('md5sum', [path.join(tree, 'data/big.bin')], { encoding: 'utf8' }).stdout.split(' ')[0];
    /** Boots from a copy of the image, runs `script`, returns the output and the ATA driver's counters over the run. */
    const boot = (script: string): { output: string; waits: number; completed: number } => {
      const disk = memoryBackend(new Uint8Array(fs.readFileSync(image)));
      const { system, stdout, log } = bootFromDisk(disk, { memoryMiB: 64, cmdline: 'loglevel=3 root=/dev/hda1 rootfstype=vfat' });
      assert.ok(typeof system !== 'string', `${String(system)}\n${log.join('')}`);
      const driver = system.kernel.vfs.blockCache.drivers.find((d) => d instanceof AtaDriver) as AtaDriver | undefined;
      assert.ok(driver, 'the ATA disk was probed');
      const waits = driver.synchronousWaits;
      const completed = driver.asyncCompleted;
      const started = performance.now();
      const result = system.run('/bin/busybox', ['sh', '-c', script], ['PATH=/bin'], 4_000_000_000);
      assert.equal(result.error, null, result.error ?? '');
      const output = Buffer.from(stdout).toString();
      assert.equal(result.status, 0, `${output}\n${log.join('')}`);
      t.diagnostic(`${script.slice(-30)}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return { output, waits: driver.synchronousWaits - waits, completed: driver.asyncCompleted - completed };
    };
    // The same programs on a 4-byte file: what loading busybox and the metadata cost in hlt waits.
    const baseline = boot('(i=0; while [ $i -lt 200 ]; do i=$((i+1)); done; echo loop $i) & busybox md5sum /data/small.bin; wait');
    const run = boot('(i=0; while [ $i -lt 200 ]; do i=$((i+1)); done; echo loop $i) & busybox md5sum /data/big.bin; wait');
    t.diagnostic(`hlt waits ${baseline.waits} -> ${run.waits}, interrupt-completed requests ${baseline.completed} -> ${run.completed}`);
    assert.match(run.output, new RegExp(`^${expected}  /data/big.bin$`, 'm'));
    assert.match(run.output, /^loop 200$/m);
    // 3 MiB in requests of at most 128 KiB: at least 24 more completed by interrupt than the baseline.
    const dataSectors = (3 << 20) / 512;
    assert.ok(run.completed - baseline.completed >= 24, `${run.completed} requests completed by interrupt (baseline ${baseline.completed})`);
    // Waiting in hlt costs one wait per sector: reading the file that way would add ~6144.
    assert.ok(run.waits - baseline.waits < dataSectors / 20, `${run.waits} hlt waits (baseline ${baseline.waits}) for ${dataSectors} data sectors`);
    // The sleeping read is uninterruptible, as Linux's: SIGALRM every 100 us (no SA_RESTART) never makes it EINTR or short.
    if (fs.existsSync(readSignals)) {
      const native = spawnSync(readSignals, [path.join(tree, 'data/big.bin')], { encoding: 'utf8' });
      assert.equal(native.status, 0, native.stderr);
      const signalled = boot('/bin/read-signals /data/big.bin');
      assert.equal(signalled.output, native.stdout);
      assert.ok(signalled.completed >= 24, `${signalled.completed} requests completed by interrupt while signals arrived`);
    } else {
      t.diagnostic('userland/fs-tests not built: the uninterruptible-read check did not run');
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
