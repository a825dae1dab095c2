/**
 * Killing ir0 during the FAT32 write workload: the host process gets SIGKILL at random
 * points of fs-workload --vfat on a vfat mount; then the host's fsck.fat -a repairs the
 * partition (FAT has no journal: lost clusters, unwritten FAT entries and a stale FSInfo
 * are expected, and counted; a second -a pass is allowed, as dosfstools sometimes needs),
 * fsck.fat -n must find it clean afterwards, and every file
 * the workload reported fsync'ed must read back (mcopy) with all its data.
 * IR0_FAT_CRASH_RUNS kills (default 1; 20 with IR0_SLOW_TESTS=1), workload scale
 * IR0_FAT_CRASH_SCALE percent (default 3), seed IR0_FAT_CRASH_SEED.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Random } from '../../base/random.js';
import { buildFatImage } from './mkimage-fat.js';
import { cli, fatTools, makeWorkloadRoot, partitionOf, runInIr0, vfatScript } from './fat-workload.js';

const slow = process.env.IR0_SLOW_TESTS === '1';
const runs = Number(process.env.IR0_FAT_CRASH_RUNS ?? (slow ? 20 : 1));
const scale = Number(process.env.IR0_FAT_CRASH_SCALE ?? 3);
const setup = makeWorkloadRoot.missing();
const skip = setup ?? (fatTools() ? false : 'dosfstools/mtools missing (scripts/setup.sh installs them)');

/** What fsck.fat reported fixing, one short line per kind of problem. */
function findings(output: string): string[] {
  return output.split('\n').map((line) => line.trim()).filter((line) => /reclaim|free cluster summary|dirty bit|truncat|differ|lost|contains a free cluster|bad|invalid|deleted|file size|wrong/i.test(line))
    .map((line) => line.replace(/\d+/g, 'N').replace(/\/[^ ]*/g, 'PATH').slice(0, 80));
}

test(`killing ir0 during the FAT32 workload (${runs} times): fsck.fat -a repairs and fsync'ed files keep their data`, { skip, timeout: 3_600_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-fatcrash-'));
  try {
    const root = makeWorkloadRoot(dir);
    const native = path.join(dir, 'native');
    fs.mkdirSync(native);
    const nativeRun = spawnSync('sh', ['-c', vfatScript(scale, native, root)], { encoding: 'utf8' });
    assert.equal(nativeRun.status, 0, nativeRun.stderr);
    const pristine = path.join(dir, 'pristine.img');
    buildFatImage({ from: path.join(dir, 'empty'), out: pristine, type: 32, sizeMiB: 80 + Math.ceil(scale * 1.6) });
    const image = path.join(dir, 'disk.img');
    // How long a whole run takes, to spread the kills over it.
    fs.copyFileSync(pristine, image);
    const started = performance.now();
    const full = runInIr0(root, image, vfatScript(scale, '/mnt', null));
    assert.equal(full.status, 0, `the uninterrupted run failed: ${full.stdout}${full.stderr}`);
    const fullMilliseconds = performance.now() - started;
    const random = new Random(Number(process.env.IR0_FAT_CRASH_SEED ?? 11));
    const partition = path.join(dir, 'partition.img');
    const seen = new Map<string, number>();
    let repaired = 0;
    let multiplePasses = 0;
    let promises = 0;
    for (let run = 0; run < runs; run++) {
      fs.copyFileSync(pristine, image);
      // The first kill late in the run (after the fsyncs, so a default single run checks promises), the others anywhere.
      const delay = run === 0 ? Math.floor(fullMilliseconds * 0.85) : 500 + random.below(Math.max(1, Math.floor(fullMilliseconds - 500)));
      const child = spawn(process.execPath, [cli, 'run', '--root', root, '--disk', image, '--', '/bin/busybox', 'sh', '-c', vfatScript(scale, '/mnt', null)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      await new Promise((resolve) => child.on('close', resolve));
      clearTimeout(timer);
      partitionOf(image, partition);
      // fsck.fat -a until fsck.fat -n is clean: one pass can leave work for a second (a directory it truncated).
      const found: string[] = [];
      let passes = 0;
      for (;;) {
        const check = spawnSync('fsck.fat', ['-n', partition], { encoding: 'utf8' });
        if (check.status === 0 && findings(check.stdout).length === 0) break;
        assert.ok(passes < 3, `run ${run} (kill at ${delay} ms): still unclean after ${passes} fsck.fat -a passes\n${check.stdout}`);
        const repair = spawnSync('fsck.fat', ['-a', '-w', partition], { encoding: 'utf8' });
        assert.ok(repair.status === 0 || repair.status === 1, `run ${run} (kill at ${delay} ms): fsck.fat -a exit ${repair.status}\n${repair.stdout}${repair.stderr}`);
        found.push(...findings(repair.stdout));
        passes++;
      }
      if (passes > 0) repaired++;
      if (passes > 1) multiplePasses++;
      for (const line of new Set(found)) seen.set(line, (seen.get(line) ?? 0) + 1);
      for (const [, name, size] of stdout.matchAll(/^fsynced (\S+) (\d+)$/gm)) {
        const copied = path.join(dir, 'copied');
        fs.rmSync(copied, { force: true });
        execFileSync('mcopy', ['-n', '-i', partition, `::/${name}`, copied], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' }, stdio: 'pipe' });
        const data = fs.readFileSync(copied);
        assert.equal(data.length, Number(size), `run ${run} (kill at ${delay} ms): ${name} size`);
        assert.ok(data.equals(fs.readFileSync(path.join(native, name!))), `run ${run} (kill at ${delay} ms): ${name} lost fsync'ed data`);
        promises++;
      }
      t.diagnostic(`run ${run}: killed at ${delay} of ${Math.round(fullMilliseconds)} ms; ${stdout.match(/^fsynced/gm)?.length ?? 0} fsyncs done; fsck.fat -a: ${found.length > 0 ? [...new Set(found)].join('; ') : 'clean'}`);
    }
    t.diagnostic(`${runs} kills: fsck.fat -a repaired ${repaired} images (${multiplePasses} needed a second pass); ${promises} fsync promises checked; findings: ${[...seen].map(([line, n]) => `${n}x ${line}`).join(' | ') || 'none'}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
