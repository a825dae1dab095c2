/**
 * devpts and /dev/ptmx (fs/devpts/inode.c): each open of /dev/ptmx is the
 * master of a new pty pair whose slave appears as /dev/pts/N (character
 * device 136:N) until the master closes. The VFS has no open hook for device
 * files yet, so a master file gets its pair on first use (the first call is
 * TIOCGPTN or TIOCGPTPEER in glibc's posix_openpt/ptsname/openpty).
 */
import { ENOSPC } from '../lib/index.js';
import type { FileOps, Inode, Vfs } from '../fs/index.js';
import { makeDevice, O_CLOEXEC, OpenFile, S_IFCHR } from '../fs/index.js';
import type { Task } from '../proc/index.js';
import { PtyPair, PTY_SLAVE_MAJOR, ptmxFileOps } from './pty.js';
import type { TtyOwner } from './tty.js';

type FileState = Parameters<NonNullable<FileOps['read']>>[0];

/** Linux's default /proc/sys/kernel/pty/max is 4096; minors above 255 need the wide device encoding, so 256 here. */
export const PTY_MAX = 256;
const TTY_GROUP = 5;

export class Devpts {
  readonly pairs = new Map<number, PtyPair>();
  private readonly masters = new WeakMap<FileState, PtyPair>();
  readonly ptmxOps: FileOps;

  constructor(private readonly owner: TtyOwner, private readonly vfs: Vfs, readonly directory: Inode) {
    this.ptmxOps = ptmxFileOps({
      pairOf: (file) => this.pairOf(file),
      openPeer: (pair, flags, task) => this.openPeer(pair, flags, task),
      closeMaster: (file) => this.closeMaster(file),
      currentTask: () => owner.kernel.current,
    });
  }

  private pairOf(file: FileState): PtyPair | number {
    const known = this.masters.get(file);
    if (known) return known;
    let index = 0;
    while (this.pairs.has(index)) index++;
    if (index >= PTY_MAX) return -ENOSPC;
    const pair = new PtyPair(this.owner, index, makeDevice(PTY_SLAVE_MAJOR, index));
    const node = this.vfs.create(this.directory, String(index), S_IFCHR | 0o620, pair.slave.fileOps);
    if (typeof node === 'number') return node;
    node.rdev = makeDevice(PTY_SLAVE_MAJOR, index);
    const opener = this.owner.kernel.current;
    node.uid = opener?.credentials.euid ?? 0;
    node.gid = TTY_GROUP;
    this.pairs.set(index, pair);
    this.masters.set(file, pair);
    return pair;
  }

  /** TIOCGPTPEER: an fd for the slave of the master `pair` (flags as open's). */
  private openPeer(pair: PtyPair, flags: number, task: Task | null): number {
    const node = this.directory.children.get(String(pair.index));
    if (!task || !node) return -ENOSPC;
    const file = new OpenFile(node, flags & ~O_CLOEXEC, `/dev/pts/${pair.index}`, pair.slave.fileOps);
    pair.slave.noteUse(file, task);
    return task.files.install(file, (flags & O_CLOEXEC) !== 0);
  }

  private closeMaster(file: FileState): void {
    const pair = this.masters.get(file);
    if (!pair) return;
    this.masters.delete(file);
    pair.masterClosed = true;
    pair.slave.otherClosed = true;
    this.owner.hangup(pair.slave);
    this.pairs.delete(pair.index);
    const name = String(pair.index);
    const remove = (this.vfs as { remove?: (parent: Inode, name: string, directory: boolean) => number }).remove;
    if (remove) remove.call(this.vfs, this.directory, name, false);
    else this.directory.children.delete(name);
  }

  /** The pair whose slave is `tty`, if any. */
  pairOfSlave(rdev: number): PtyPair | null {
    return rdev >> 8 === PTY_SLAVE_MAJOR ? this.pairs.get(rdev & 0xff) ?? null : null;
  }
}
