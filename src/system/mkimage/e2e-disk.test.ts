/**
 * The kernel-core e2e cases (src/system/e2e/cases.ts: busybox + dash,
 * coreutils, python3...) booted from an ext2 disk: the default image root goes
 * through `ir0 mkimage`, ir0 runs with --disk (root=/dev/hda1), and output and
 * status must equal the native run in the image root (both with a tmpfs on
 * /tmp, as native-run.ts sets up). Afterwards the host's
 * e2fsck -fn still reports the disk clean. coreutils and python3 run with
 * IR0_SLOW_TESTS=1, long cases with IR0_E2E_FULL=1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../debian/index.js';
import { E2E_CASES, e2eImage, firstDifference, runNative } from '../e2e/index.js';
import { ir0Argv } from '../e2e/ir0-run.js';
import { runProcess } from '../e2e/process-output.js';
import { buildImage, decodeMbr } from './index.js';

const KERNEL_LOG_LINE = /^\[\s*\d+\.\d{6}\] [A-Z]+: /;
const env = { ...process.env, PATH: `${process.env.PATH}:/sbin:/usr/sbin` };
const image = await e2eImage();
const full = process.env.IR0_E2E_FULL === '1';
// The default suite already runs every case from the initramfs; from the disk it runs the quick ones
// and dash + busybox, the rest with IR0_SLOW_TESTS=1 (about three minutes more).
const slow = process.env.IR0_SLOW_TESTS === '1' || full;
const quickCases = new Set(['static', 'stdin-env-cwd', 'busybox']);
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-e2e-disk-'));
const disk = path.join(directory, 'disk.img');
if (image.skip === undefined) buildImage({ from: image.root!, out: disk, blockSize: 4096, rootOwner: true });

for (const e2e of E2E_CASES) {
  let skip: string | false = image.skip ?? false;
  if (!skip && e2e.long === true && !full) skip = 'a long run: set IR0_E2E_FULL=1';
  if (!skip && !slow && !quickCases.has(e2e.name)) skip = 'from the disk with IR0_SLOW_TESTS=1';
  test(`${e2e.name} from an ext2 disk made by ir0 mkimage: same output and status as native`, { skip, timeout: e2e.timeoutMilliseconds + 60_000 }, async () => {
    const env_ = e2e.env ?? ['HOME=/', 'PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', 'TERM=linux'];
    const cwd = e2e.cwd ?? '/';
    const native = await runNative(e2e.program, e2e.args(), { root: image.root!, stdin: e2e.stdin, env: env_, cwd, timeoutMilliseconds: 30_000 });
    const memory = e2e.memoryMiB === undefined ? [] : ['--mem', String(e2e.memoryMiB)];
    const ir0 = await runProcess({
      command: process.execPath,
      // The native run gets a fresh tmpfs on /tmp (native-run.ts); so does ir0, over the disk's /tmp.
      args: [path.join(projectRoot(), 'bin', 'ir0.js'), 'run', '--disk', disk, ...memory, '--', '/bin/busybox', 'sh', '-c',
        '/bin/busybox mount -t tmpfs -o mode=1777 tmpfs /tmp && exec "$@"', 'sh', ...ir0Argv(e2e.program, e2e.args(), env_, cwd)],
      stdin: e2e.stdin,
      timeoutMilliseconds: e2e.timeoutMilliseconds,
    });
    const lines = ir0.stderr.split(/(?<=\n)/);
    const stderr = lines.filter((line) => !KERNEL_LOG_LINE.test(line)).join('');
    const kernelLog = lines.filter((line) => KERNEL_LOG_LINE.test(line)).join('');
    assert.equal(native.status, e2e.nativeStatus, `the native run itself failed: ${native.stderr}`);
    const differences: string[] = [];
    if (native.status !== ir0.status) differences.push(`status: native ${native.status}, ir0 ${ir0.status}`);
    if (native.stdout !== ir0.stdout) differences.push(`stdout: ${firstDifference(native.stdout, ir0.stdout)}`);
    if (native.stderr !== stderr) differences.push(`stderr: ${firstDifference(native.stderr, stderr)}`);
    assert.deepEqual(differences, [], kernelLog);
  });
}

test('the disk is clean after the runs (e2fsck -fn)', { skip: image.skip ?? false }, () => {
  try {
    const bytes = fs.readFileSync(disk);
    const [partition] = decodeMbr(bytes.subarray(0, 512)) ?? [];
    assert.ok(partition);
    const part = path.join(directory, 'part.img');
    fs.writeFileSync(part, bytes.subarray(partition.startSector * 512, (partition.startSector + partition.sectorCount) * 512));
    const check = spawnSync('e2fsck', ['-fn', part], { env, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
});
