/**
 * vfat end to end: busybox inside ir0 mounts a FAT32 partition of an ATA disk
 * (`ir0 run --disk`), runs a write workload (create, append, overwrite,
 * truncate, rename, unlink, mkdir, rmdir, a file with a 1 MiB gap, 300 files
 * in one directory with a third deleted, tar extraction of a tree), syncs and
 * unmounts. The same script runs natively in a host directory with the same
 * busybox binary. The host's fsck.fat -n must find the image clean and
 * mtools must extract exactly the native tree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../debian/index.js';
import { e2eImage } from '../e2e/e2e-image.js';
import { writeFatImage, FAT_PARTITION_START } from './fat-image.js';

const WORKLOAD = `
set -e
cd "$D"
mkdir -p dir1/sub "Long Directory Name" MixedCase/Inner
echo hello > a.txt
echo more >> a.txt
dd if=/dev/zero of=zeros.bin bs=4096 count=100 2>/dev/null
seq 1 20000 > numbers.txt
printf XXXX | dd of=numbers.txt bs=1 seek=100 conv=notrunc 2>/dev/null
cp numbers.txt cut.txt
truncate -s 1000 cut.txt
truncate -s 70000 grown.txt
printf end | dd of=gap.bin bs=1 seek=1048576 2>/dev/null
mv a.txt dir1/b.txt
mv zeros.bin MixedCase/Inner/Zeros.BIN
i=0; while [ $i -lt 300 ]; do echo "file $i" > "Long Directory Name/file number $i.txt"; i=$((i+1)); done
i=0; while [ $i -lt 300 ]; do rm "Long Directory Name/file number $i.txt"; i=$((i+3)); done
rmdir dir1/sub
mkdir extracted
tar -C "$SRC" -cf - . | tar -C extracted -xf -
echo overwritten > dir1/b.txt
sync
`;

function tree(root: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(root).sort()) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) {
      out.set(`${prefix}${name}/`, '');
      for (const [k, v] of tree(path, `${prefix}${name}/`)) out.set(k, v);
    } else {
      out.set(prefix + name, readFileSync(path).toString('base64'));
    }
  }
  return out;
}

const image = await e2eImage();
const tools = spawnSync('fsck.fat', ['--help']).error === undefined && spawnSync('mcopy', ['--version']).error === undefined;

test('busybox in ir0 writes a FAT32 volume that fsck.fat finds clean and mcopy extracts as the native run', {
  skip: image.skip ?? (tools ? false : 'dosfstools/mtools missing (scripts/setup.sh installs them)'), timeout: 600_000,
}, () => {
  const root = image.root!;
  const work = mkdtempSync(join(tmpdir(), 'ir0-vfat-'));
  try {
    const disk = join(work, 'fat.img');
    assert.equal(writeFatImage(disk, 48, 32), null);
    const source = '/usr/lib/python3.11/json';
    // Native: the image's own busybox-static, in a host directory.
    const native = join(work, 'native');
    mkdirSync(native);
    const busybox = join(root, 'bin', 'busybox');
    const nativeRun = spawnSync(busybox, ['sh', '-c', WORKLOAD], {
      env: { D: native, SRC: join(root, source), PATH: '/usr/bin:/bin' }, encoding: 'utf8',
    });
    assert.equal(nativeRun.status, 0, nativeRun.stderr);
    // ir0: the same script on the FAT partition of the disk.
    const script = `mkdir -p /mnt && mount -t vfat /dev/hda1 /mnt && D=/mnt SRC=${source} /bin/sh -c '${WORKLOAD.replace(/'/g, "'\\''")}' && umount /mnt`;
    const run = spawnSync(process.execPath, [join(projectRoot(), 'bin', 'ir0.js'), 'run', '--root', root, '--disk', disk, '--', '/bin/sh', '-c', script], {
      encoding: 'utf8', timeout: 540_000,
    });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const partition = join(work, 'partition.img');
    execFileSync('dd', [`if=${disk}`, `of=${partition}`, `bs=512`, `skip=${FAT_PARTITION_START}`], { stdio: 'ignore' });
    const check = spawnSync('fsck.fat', ['-n', partition], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.doesNotMatch(check.stdout, /differ|Dirty bit|Free cluster summary|lost cluster|Reclaim/i, check.stdout);
    const extracted = join(work, 'extracted');
    mkdirSync(extracted);
    execFileSync('mcopy', ['-s', '-n', '-m', '-i', partition, '::/*', extracted], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
    assert.deepEqual(tree(extracted), tree(native));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
