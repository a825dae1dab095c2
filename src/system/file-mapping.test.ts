/**
 * File mappings end to end: userland/file-mapping/mapping runs natively in a host directory and
 * in ir0 on an ext2 and on a FAT32 partition of the ATA disk (the program mounts it); stdout and
 * status must be identical, no page may leak, and after the clean exit the host's tools (debugfs,
 * mtools) must read from the image the files the program wrote only through mappings, byte for
 * byte as the native run left them; e2fsck / fsck.fat find the image clean. The same program
 * on the initramfs's tmpfs equals native too; a mapping larger than free memory works (reclaim). With
 * IR0_SLOW_TESTS=1, python3's mmap module on a file of an ext2 root disk (`ir0 run --disk`)
 * prints what the same python3 prints natively in the image (where /tmp is a tmpfs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSystem } from './system.js';
import { projectRoot } from './debian/index.js';
import { e2eImage, runNative as runInImage } from './e2e/index.js';
import { runProcess } from './e2e/process-output.js';
import { memoryBackend } from './block-backends.js';
import { buildImage } from './mkimage/index.js';
import { FAT_PARTITION_START, writeFatImage } from './fat/fat-image.js';
import { memoryConsole } from './memory-console.js';
import { S_IFDIR, S_IFREG, writeCpio } from '../kernel/index.js';

const build = path.resolve(import.meta.dirname, '../../userland/file-mapping/build');
const program = path.join(build, 'mapping');
const MIB = 1024 * 1024;
const env = { ...process.env, PATH: `${process.env.PATH}:/sbin:/usr/sbin` };
const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`], { env }).status === 0;
/** Files the program writes only through shared mappings. */
const MAPPED_FILES = ['final.dat', 'lazy.dat', 'shared.dat'];

function runNative(scratch: string): { stdout: string; status: number | null; files: Map<string, Buffer> } {
  const directory = fs.mkdtempSync(path.join(scratch, 'native-'));
  const run = spawnSync(program, [directory], { encoding: 'utf8' });
  const files = new Map(MAPPED_FILES.map((name) => [name, fs.readFileSync(path.join(directory, name))]));
  return { stdout: run.stdout, status: run.status, files };
}

/** Boots ir0 from an initramfs holding the programs, with `image` as the ATA disk; runs `name` with `args`; returns what it printed. */
function runIr0(image: string, name: string, args: string[], memoryMiB = 64): { stdout: string; log: string; bytes: Uint8Array; leaked: number } {
  const base = { uid: 0, gid: 0, rdevMajor: 0, rdevMinor: 0, ino: 0, nlink: 1, mtime: 0 };
  const initramfs = writeCpio([
    ...['bin', 'dev', 'mnt', 'proc', 'tmp'].map((directory) => ({ ...base, name: directory, mode: S_IFDIR | 0o755, data: new Uint8Array(0) })),
    ...['mapping', 'proclinks', 'pressure'].map((file) => ({ ...base, name: `bin/${file}`, mode: S_IFREG | 0o755, data: fs.readFileSync(path.join(build, file)) })),
  ]);
  const disk = memoryBackend(new Uint8Array(fs.readFileSync(image)));
  const stdout: number[] = [];
  const log: string[] = [];
  const system = createSystem({
    memoryMiB, cmdline: 'loglevel=3', initramfs, console: memoryConsole(stdout),
    stdio: [memoryConsole([]), memoryConsole(stdout), memoryConsole(stdout)], bootEpoch: 1.7e18, logSink: (line) => log.push(line),
    backends: { disk },
  });
  assert.ok(typeof system !== 'string', String(system));
  // Boot's cache pages go first, so that the run's own pages balance exactly.
  system.kernel.vfs.reclaim(Number.MAX_SAFE_INTEGER);
  const result = system.run(`/bin/${name}`, [`/bin/${name}`, ...args], ['PATH=/bin'], 3_000_000_000);
  assert.equal(result.error, null, `${result.error}\n${log.join('')}`);
  assert.equal(result.status >> 8, 0, `${Buffer.from(stdout).toString()}\n${log.join('')}`);
  return { stdout: Buffer.from(stdout).toString(), log: log.join(''), bytes: disk.bytes, leaked: result.freePagesBefore - result.freePagesAfter };
}

const skip = !fs.existsSync(program) ? 'run make -C userland first' : false;

for (const blockSize of [1024, 4096] as const) {
  test(`file mappings on ext2 (${blockSize}-byte blocks): ir0 equals native, debugfs reads the mapped stores, e2fsck clean, no leak`, {
    skip: skip || (!has('debugfs') && 'needs e2fsprogs'), timeout: 300_000,
  }, () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-mapping-'));
    try {
      const native = runNative(scratch);
      assert.equal(native.status, 0);
      const tree = path.join(scratch, 'tree');
      fs.mkdirSync(tree);
      const image = path.join(scratch, 'ext2.img');
      buildImage({ from: tree, out: image, sizeMiB: 16, blockSize });
      const ir0 = runIr0(image, 'mapping', ['/mnt', '/dev/hda1', 'ext2']);
      assert.equal(ir0.stdout, native.stdout, ir0.log);
      assert.equal(ir0.leaked, 0, 'pages leaked');
      const partition = path.join(scratch, 'part.img');
      fs.writeFileSync(partition, ir0.bytes.subarray(MIB));
      const check = spawnSync('e2fsck', ['-fn', partition], { env, encoding: 'utf8' });
      assert.equal(check.status, 0, check.stdout + check.stderr);
      for (const name of MAPPED_FILES) {
        const read = spawnSync('debugfs', ['-R', `cat /${name}`, partition], { env });
        assert.ok(read.stdout.equals(native.files.get(name)!), `${name} on the disk differs from the native file`);
      }
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
}

test('file mappings on FAT32: ir0 equals native, mtools reads the mapped stores, fsck.fat clean, no leak', {
  skip: skip || (!(has('mcopy') && has('fsck.fat')) && 'needs mtools and dosfstools'), timeout: 300_000,
}, () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-mapping-'));
  try {
    const native = runNative(scratch);
    const image = path.join(scratch, 'fat.img');
    assert.equal(writeFatImage(image, 40, 32), null);
    const ir0 = runIr0(image, 'mapping', ['/mnt', '/dev/hda1', 'vfat']);
    assert.equal(ir0.stdout, native.stdout, ir0.log);
    assert.equal(ir0.leaked, 0, 'pages leaked');
    const partition = path.join(scratch, 'part.img');
    fs.writeFileSync(partition, ir0.bytes.subarray(FAT_PARTITION_START * 512));
    const check = spawnSync('fsck.fat', ['-n', partition], { env, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    for (const name of MAPPED_FILES) {
      const copy = path.join(scratch, name);
      const read = spawnSync('mcopy', ['-n', '-i', partition, `::/${name}`, copy], { env, encoding: 'utf8' });
      assert.equal(read.status, 0, read.stderr);
      assert.ok(fs.readFileSync(copy).equals(native.files.get(name)!), `${name} on the disk differs from the native file`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('a 32 MiB shared file mapping read and written whole in a 24 MiB guest (ext2): reclaim writes back and unmaps, output equals native', {
  skip: skip || (!fs.existsSync(path.join(build, 'pressure')) && 'run make -C userland first'), timeout: 300_000,
}, () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-mapping-'));
  try {
    const directory = fs.mkdtempSync(path.join(scratch, 'native-'));
    const native = spawnSync(path.join(build, 'pressure'), [directory], { encoding: 'utf8' });
    assert.equal(native.status, 0, native.stderr);
    const tree = path.join(scratch, 'tree');
    fs.mkdirSync(tree);
    const image = path.join(scratch, 'ext2.img');
    buildImage({ from: tree, out: image, sizeMiB: 48, blockSize: 4096 });
    const ir0 = runIr0(image, 'pressure', ['/mnt', '/dev/hda1', 'ext2'], 24);
    assert.equal(ir0.stdout, native.stdout, ir0.log);
    assert.equal(ir0.leaked, 0, 'pages leaked');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('file mappings on tmpfs: ir0 equals native, no leak', { skip, timeout: 300_000 }, () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-mapping-'));
  try {
    const native = runNative(scratch);
    const image = path.join(scratch, 'empty.img');
    fs.writeFileSync(image, new Uint8Array(MIB));
    const ir0 = runIr0(image, 'mapping', ['/tmp', '--remove']);
    assert.equal(ir0.stdout, native.stdout, ir0.log);
    assert.equal(ir0.leaked, 0, 'pages leaked');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('/proc/PID/fd, cwd, exe, root are magic links on tmpfs and ext2: readlink and reopen equal native, no leak', {
  skip: !fs.existsSync(path.join(build, 'proclinks')) && 'run make -C userland first', timeout: 300_000,
}, () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-proclinks-'));
  try {
    const directory = fs.mkdtempSync(path.join(scratch, 'native-'));
    const native = spawnSync(path.join(build, 'proclinks'), [directory], { encoding: 'utf8' });
    assert.equal(native.status, 0, native.stderr);
    const tree = path.join(scratch, 'tree');
    fs.mkdirSync(tree);
    const image = path.join(scratch, 'ext2.img');
    buildImage({ from: tree, out: image, sizeMiB: 8, blockSize: 1024 });
    // Each run is its own boot: on the initramfs's tmpfs, then on an ext2 disk the program mounts.
    for (const args of [['/tmp'], ['/mnt', '/dev/hda1', 'ext2']]) {
      const ir0 = runIr0(image, 'proclinks', args);
      assert.equal(ir0.stdout, native.stdout, `${args.join(' ')}\n${ir0.log}`);
      assert.equal(ir0.leaked, 0, 'pages leaked');
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

const PYTHON_MMAP = `
import mmap, os
path = '/tmp/mapped.bin'
with open(path, 'wb') as f:
    f.write(b'abcdefgh' * 1024)
with open(path, 'r+b') as f:
    m = mmap.mmap(f.fileno(), 0)
    print(len(m), m[:8])
    m[0:5] = b'HELLO'
    m.flush()
    f.seek(0)
    print(f.read(8))
    os.pwrite(f.fileno(), b'WORLD', 100)
    print(m[100:105])
    pid = os.fork()
    if pid == 0:
        m[200:205] = b'CHILD'
        os._exit(0)
    os.waitpid(pid, 0)
    print(m[200:205])
    m.resize(16384)
    print(len(m), os.path.getsize(path))
    m[16000:16004] = b'TAIL'
    m.close()
with open(path, 'rb') as f:
    data = f.read()
    print(data[:8], data[200:205], data[16000:16004], len(data))
with open(path, 'rb') as f:
    r = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
    r[0:4] = b'COPY'
    print(r[:8], open(path, 'rb').read(8))
`;

const slow = process.env.IR0_SLOW_TESTS === '1';
const image = await e2eImage();

test('python3 mmap of a file on an ext2 root disk equals native', {
  skip: image.skip ?? (!slow && 'set IR0_SLOW_TESTS=1 (builds a root disk and runs python3: about a minute)'), timeout: 600_000,
}, async () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-mapping-py-'));
  try {
    const disk = path.join(scratch, 'root.img');
    buildImage({ from: image.root!, out: disk, blockSize: 4096, rootOwner: true });
    const env_ = ['HOME=/', 'PATH=/usr/bin:/bin'];
    const native = await runInImage('/usr/bin/python3', ['-c', PYTHON_MMAP], { root: image.root!, env: env_, cwd: '/', timeoutMilliseconds: 60_000 });
    assert.equal(native.status, 0, native.stderr);
    const ir0 = await runProcess({
      command: process.execPath,
      args: [path.join(projectRoot(), 'bin', 'ir0.js'), 'run', '--disk', disk, '--mem', '512', '--', '/usr/bin/python3', '-c', PYTHON_MMAP],
      timeoutMilliseconds: 300_000,
    });
    assert.equal(ir0.stdout, native.stdout, ir0.stderr);
    assert.equal(ir0.status, 0);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
