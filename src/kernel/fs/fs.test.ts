import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeMemory, FakeVcpu } from '../testing/index.js';
import { PhysicalPages } from '../mm/index.js';
import type { WaitQueue } from '../lib/index.js';
import {
  createPipeInode, createTmpfs, encodeDirents, type Inode, MNT_DETACH, mountFilesystem, MS_BIND, MS_RDONLY, MS_REMOUNT, unmountFilesystem, FdTable, nullFileOps, O_RDONLY, O_WRONLY, OpenFile, parseCpio, pipeReadOps, pipeWriteOps,
  PIPE_CAPACITY, readTmpfs, S_IFCHR, S_IFDIR, S_IFLNK, S_IFREG, unpackInitramfs, Vfs, writeCpio, type IoContext, type Pipe,
} from './index.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const entry = (name: string, mode: number, data: Uint8Array = new Uint8Array(0), rdevMajor = 0, rdevMinor = 0) =>
  ({ name, mode, uid: 0, gid: 0, mtime: 1700000000, data, rdevMajor, rdevMinor, ino: 0, nlink: 1 });

test('cpio newc round trip and initramfs unpack with symlinks and devices', () => {
  const pages = new PhysicalPages(fakeMemory(8), new FakeVcpu());
  const vfs = new Vfs(pages);
  const big = new Uint8Array(10000).map((_, i) => i & 0xff);
  const archive = writeCpio([
    entry('bin', S_IFDIR | 0o755), entry('bin/busybox', S_IFREG | 0o755, big), entry('bin/sh', S_IFLNK | 0o777, text('busybox')),
    entry('dev/null', S_IFCHR | 0o666, new Uint8Array(0), 1, 3), entry('etc/motd', S_IFREG | 0o644, text('hi\n')),
  ]);
  assert.equal(archive.length % 4, 0);
  const parsed = parseCpio(archive);
  assert.ok(Array.isArray(parsed) && parsed.length === 5);
  assert.equal(typeof parseCpio(archive.subarray(0, 300)), 'string');
  const result = unpackInitramfs(vfs, archive, () => nullFileOps);
  assert.equal(result.error, null);
  const sh = vfs.lookup(vfs.root, vfs.root, '/bin/sh');
  assert.ok(typeof sh !== 'number');
  assert.deepEqual(readTmpfs(sh, 0, 20000), big);
  const link = vfs.lookup(vfs.root, vfs.root, '/bin/sh', false);
  assert.ok(typeof link !== 'number' && link.symlinkTarget === 'busybox');
  const null_ = vfs.lookup(vfs.root, vfs.root, '/dev/null');
  assert.ok(typeof null_ !== 'number' && null_.rdev === 0x103);
  assert.equal(vfs.lookup(vfs.root, vfs.root, '/etc/motd/x'), -20);
  assert.equal(vfs.lookup(vfs.root, vfs.root, '/nope'), -2);
  const bin = vfs.lookup(vfs.root, vfs.root, '/bin/../bin/.');
  assert.ok(typeof bin !== 'number');
  assert.equal(vfs.pathOf(vfs.root, bin), '/bin');
  const listed = encodeDirents(new OpenFile(bin, O_RDONLY, '/bin'), 0, 4096);
  assert.ok(typeof listed !== 'number');
  const names = new TextDecoder().decode(listed.bytes);
  assert.ok(names.includes('busybox') && names.includes('sh'));
  // Removing the files gives their pages back.
  const free = pages.buddy.freePageCount;
  assert.equal(vfs.remove(bin, 'busybox', false), 0);
  assert.equal(pages.buddy.freePageCount, free + 3);
  assert.equal(vfs.remove(vfs.root, 'bin', true), -39);
});

test('pipe: capacity, blocking as restart, EOF and EPIPE, pages returned', () => {
  const pages = new PhysicalPages(fakeMemory(8), new FakeVcpu());
  const free = pages.buddy.freePageCount;
  const inode = createPipeInode(pages, { type: 'pipefs', device: 9, nextIno: 1 });
  assert.ok(typeof inode !== 'number');
  const pipe = inode.private_ as Pipe;
  const reader = new OpenFile(inode, O_RDONLY, 'pipe:', pipeReadOps);
  const writer = new OpenFile(inode, O_WRONLY, 'pipe:', pipeWriteOps);
  pipe.readers = 1; pipe.writers = 1;
  let blocked = 0; let sigpipe = 0;
  const io: IoContext = { waiter: { wake: () => undefined }, block: (q: WaitQueue) => { blocked++; q.add(io.waiter); return -512; }, blockUninterruptible: (q: WaitQueue) => { blocked++; q.add(io.waiter); return -512; }, sendSigpipe: () => { sigpipe++; } };
  assert.equal(pipeReadOps.read!(reader, 10, 0, io), -512);
  assert.equal(pipeWriteOps.write!(writer, new Uint8Array(PIPE_CAPACITY + 5).fill(7), 0, io), PIPE_CAPACITY);
  assert.equal(pipeWriteOps.write!(writer, text('x'), 0, io), -512);
  assert.equal((pipeReadOps.read!(reader, PIPE_CAPACITY, 0, io) as Uint8Array).length, PIPE_CAPACITY);
  assert.equal(pipeWriteOps.write!(writer, text('hello'), 0, io), 5);
  const fds = new FdTable();
  const r = fds.install(reader, false); const w = fds.install(writer, false);
  const child = fds.fork();
  assert.equal(fds.close(w), 0);
  assert.equal(new TextDecoder().decode(pipeReadOps.read!(reader, 100, 0, io) as Uint8Array), 'hello');
  assert.equal(pipeReadOps.read!(reader, 100, 0, io), -512, 'the child still holds a writer');
  child.closeAll();
  assert.equal((pipeReadOps.read!(reader, 100, 0, io) as Uint8Array).length, 0, 'EOF once all writers are gone');
  assert.equal(blocked, 3);
  assert.equal(sigpipe, 0);
  fds.close(r);
  assert.equal(pages.buddy.freePageCount, free);
});

test('vfs: mounts are crossed going down and at "..", hide what is under them, and unmount with EBUSY rules', () => {
  const pages = new PhysicalPages(fakeMemory(8), new FakeVcpu());
  const vfs = new Vfs(pages);
  vfs.filesystems.set('tmpfs', { name: 'tmpfs', requiresDevice: false, mount: () => createTmpfs(pages, 0x21).superblock });
  const root = vfs.root;
  const caller = { root, cwd: root, privileged: true };
  assert.equal(vfs.mkdir(root, 'mnt', 0o755), 0);
  const mnt = vfs.lookup(root, root, '/mnt') as Inode;
  assert.ok(typeof vfs.create(mnt, 'under', S_IFREG | 0o644) !== 'number');
  assert.equal(mountFilesystem(vfs, { ...caller, privileged: false }, 'none', '/mnt', 'tmpfs', 0, ''), -1, 'EPERM without privilege');
  assert.equal(mountFilesystem(vfs, caller, 'none', '/mnt', 'nosuch', 0, ''), -19);
  assert.equal(mountFilesystem(vfs, caller, 'none', '/mnt', 'tmpfs', 0, ''), 0);
  assert.equal(vfs.lookup(root, root, '/mnt/under'), -2, 'the mount hides the directory under it');
  const mounted = vfs.lookup(root, root, '/mnt') as Inode;
  assert.notEqual(mounted, mnt);
  assert.equal(vfs.mkdir(mounted, 'sub', 0o755), 0);
  const sub = vfs.lookup(root, root, '/mnt/sub') as Inode;
  assert.equal(vfs.lookup(root, sub, '../..'), root, '".." at the mount root steps to the mountpoint first');
  assert.equal(vfs.pathOf(root, sub), '/mnt/sub');
  assert.equal(vfs.rename(mounted, 'sub', root, 'sub'), -18, 'EXDEV across mounts');
  assert.equal(vfs.remove(root, 'mnt', true), -16, 'a mountpoint is busy');
  assert.equal(unmountFilesystem(vfs, caller, '/mnt', 0, () => true), -16, 'in use');
  assert.equal(unmountFilesystem(vfs, caller, '/mnt/sub', 0, () => false), -22, 'not a mount root');
  assert.equal(mountFilesystem(vfs, caller, '/', '/mnt/sub', '', MS_BIND, ''), 0);
  assert.ok(typeof vfs.lookup(root, root, '/mnt/sub/mnt/sub/mnt') !== 'number', 'a bind of / shows the tree again');
  assert.equal(unmountFilesystem(vfs, caller, '/mnt', 0, () => false), -16, 'a child mount keeps it busy');
  assert.equal(unmountFilesystem(vfs, caller, '/mnt', MNT_DETACH, () => true), 0, 'MNT_DETACH takes the tree');
  assert.ok(typeof vfs.lookup(root, root, '/mnt/under') !== 'number', 'the directory shows again');
  assert.equal(mountFilesystem(vfs, caller, 'none', '/mnt', 'tmpfs', MS_RDONLY, ''), 0);
  const readOnly = vfs.lookup(root, root, '/mnt') as Inode;
  assert.equal(vfs.mkdir(readOnly, 'x', 0o755), -30, 'EROFS');
  assert.equal(mountFilesystem(vfs, caller, '', '/mnt', '', MS_REMOUNT, ''), 0);
  assert.equal(vfs.mkdir(readOnly, 'x', 0o755), 0);
});
