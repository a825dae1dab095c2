/**
 * The TTY layer (kernel.ttys, made at boot): the registry drivers register
 * with (TtyRegistry), /dev/tty (the caller's controlling terminal),
 * /dev/console (the console tty once a driver registers; the raw host
 * console of `ir0 run` until then), /dev/ptmx and /dev/pts, and sessions:
 * acquiring a controlling terminal, disassociating it, hangup.
 */
import { ENXIO, EPERM } from '../lib/index.js';
import type { FileOps, Inode } from '../fs/index.js';
import { makeDevice, O_ACCMODE, O_NOCTTY, O_WRONLY, S_IFCHR } from '../fs/index.js';
import type { Kernel, Task } from '../proc/index.js';
import { sendSignal, signalProcessGroup, SIGCONT, SIGHUP, TaskState } from '../proc/index.js';
import { Devpts } from './devpts.js';
import { Termios } from './termios.js';
import { ttyIoctl } from './tty-ioctl.js';
import { Tty } from './tty.js';
import type { TtyOwner } from './tty.js';
import type { TtyDriver, TtyPort, TtyRegistry } from './tty-driver.js';

type OpenFile = Parameters<NonNullable<FileOps['read']>>[0];

export const TTY_DEVICE = makeDevice(5, 0);
export const CONSOLE_DEVICE = makeDevice(5, 1);
export const PTMX_DEVICE = makeDevice(5, 2);

export class TtyLayer implements TtyRegistry, TtyOwner {
  /** Ttys of registered drivers, by device number. */
  private readonly registered = new Map<number, Tty>();
  console: Tty | null = null;
  private readonly devDirectory: Inode;
  readonly devpts: Devpts;
  /** /dev/tty files and the terminal each was bound to on first use. */
  private readonly ttyFiles = new WeakMap<OpenFile, Tty>();

  constructor(readonly kernel: Kernel) {
    const vfs = kernel.vfs;
    this.devDirectory = this.directory(vfs.root, 'dev', 0o755);
    this.devpts = new Devpts(this, vfs, this.directory(this.devDirectory, 'pts', 0o755));
    this.node('ptmx', PTMX_DEVICE, 0o666, this.devpts.ptmxOps);
    this.node('tty', TTY_DEVICE, 0o666, this.controllingTtyOps());
  }

  private directory(parent: Inode, name: string, mode: number): Inode {
    const existing = parent.children.get(name);
    if (existing) return existing;
    this.kernel.vfs.mkdir(parent, name, mode);
    return parent.children.get(name)!;
  }

  /** Creates (or takes over) /dev/`name` as character device `rdev` with `ops`. */
  private node(name: string, rdev: number, mode: number, ops: FileOps): void {
    const vfs = this.kernel.vfs;
    const existing = this.devDirectory.children.get(name);
    const inode = existing ?? vfs.create(this.devDirectory, name, S_IFCHR | mode, ops);
    if (typeof inode === 'number') return;
    inode.fileOps = ops;
    inode.rdev = rdev;
    // The VFS's device registry, where it exists, is what open(2) of any node of this number reaches.
    (vfs as { characterDevices?: Map<number, FileOps> }).characterDevices?.set(rdev, ops);
  }

  // TtyRegistry.
  register(driver: TtyDriver, major: number, minor: number): TtyPort {
    const rdev = makeDevice(major, minor);
    const tty = new Tty(this, driver.name, rdev, driver, Termios.standard(driver.initialCflag));
    this.registered.set(rdev, tty);
    this.node(driver.name, rdev, 0o620, tty.fileOps);
    if (!this.console) this.setConsoleTty(tty);
    return tty;
  }

  setConsole(name: string): void {
    for (const tty of this.registered.values()) if (tty.name === name) this.setConsoleTty(tty);
  }

  private setConsoleTty(tty: Tty): void {
    this.console = tty;
    this.node('console', CONSOLE_DEVICE, 0o600, tty.fileOps);
  }

  /** /dev/tty: each file binds on first use to the caller's controlling terminal (ENXIO without one). */
  private controllingTtyOps(): FileOps {
    const bound = (file: OpenFile): Tty | number => {
      const known = this.ttyFiles.get(file);
      if (known) return known;
      const task = this.kernel.current;
      const tty = task ? this.controllingTty(task) : null;
      if (!tty) return -ENXIO;
      this.ttyFiles.set(file, tty);
      return tty;
    };
    return {
      read: (file, count, position, io) => { const tty = bound(file); return typeof tty === 'number' ? tty : tty.fileOps.read!(file, count, position, io); },
      write: (file, data, position, io) => { const tty = bound(file); return typeof tty === 'number' ? tty : tty.fileOps.write!(file, data, position, io); },
      poll: (file) => { const tty = bound(file); return typeof tty === 'number' ? { events: 0x8, queue: null } : tty.fileOps.poll!(file); },
      ioctl: (file, request, argument, user) => { const tty = bound(file); return typeof tty === 'number' ? tty : tty.fileOps.ioctl!(file, request, argument, user); },
      release: (file) => { this.ttyFiles.get(file)?.fileOps.release!(file); },
    };
  }

  private allTtys(): Tty[] {
    return [...this.registered.values(), ...[...this.devpts.pairs.values()].map((pair) => pair.slave)];
  }

  // TtyOwner.
  controllingTty(task: Task): Tty | null {
    if (task.session === 0) return null;
    for (const tty of this.allTtys()) if (tty.session === task.session) return tty;
    return null;
  }

  /** tty_open's tail (tty_open_proc_set_tty): a session leader without a terminal opening one gets it. */
  firstUse(tty: Tty, file: OpenFile, task: Task): void {
    const pair = this.devpts.pairOfSlave(tty.rdev);
    if (pair) pair.slaveOpened = true;
    else if (tty.hungUp) tty.hungUp = false; // A new open of a hung-up line (a respawned getty).
    const rdev = file.inode.rdev;
    if (file.flags & O_NOCTTY || rdev === TTY_DEVICE || rdev === CONSOLE_DEVICE) return;
    if (task.session !== task.tgid || tty.session !== 0 || this.controllingTty(task)) return;
    tty.session = task.session;
    tty.foregroundGroup = task.processGroup;
  }

  /** TIOCSCTTY (tiocsctty). */
  makeControllingTty(tty: Tty, task: Task, steal: boolean, file: OpenFile): number {
    if (task.session === task.tgid && tty.session === task.session) return 0;
    if (task.session !== task.tgid || this.controllingTty(task)) return -EPERM;
    const root = task.credentials.euid === 0;
    if (tty.session !== 0 && !(steal && root)) return -EPERM;
    if ((file.flags & O_ACCMODE) === O_WRONLY && !root) return -EPERM;
    tty.session = task.session;
    tty.foregroundGroup = task.processGroup;
    return 0;
  }

  /** disassociate_ctty: on a session leader's exit a real terminal hangs up; otherwise SIGHUP (+SIGCONT) to the foreground group. */
  disassociate(tty: Tty, exiting: boolean): void {
    if (exiting && !this.devpts.pairOfSlave(tty.rdev)) { this.hangup(tty); return; }
    const group = tty.foregroundGroup;
    tty.session = 0;
    tty.foregroundGroup = 0;
    if (group) {
      signalProcessGroup(this.kernel, group, SIGHUP);
      if (!exiting) signalProcessGroup(this.kernel, group, SIGCONT);
    }
  }

  /** Called by exit for a session leader (kernel/exit.c do_exit → disassociate_ctty(1)). */
  sessionLeaderExit(task: Task): void {
    const tty = this.controllingTty(task);
    if (tty) this.disassociate(tty, true);
  }

  /** __tty_hangup: SIGHUP and SIGCONT to the session leader; reads end (0), writes fail (EIO). */
  hangup(tty: Tty): void {
    if (tty.hungUp) return;
    tty.hungUp = true;
    const leader = tty.session ? this.kernel.tasks.get(tty.session) : undefined;
    tty.session = 0;
    tty.foregroundGroup = 0;
    if (leader && leader.state !== TaskState.Zombie && leader.state !== TaskState.Dead) {
      sendSignal(this.kernel, leader, SIGHUP);
      sendSignal(this.kernel, leader, SIGCONT);
    }
    tty.ldisc.flushInput();
    tty.queue.wakeAll();
    tty.linkedQueue?.wakeAll();
  }

  /** The last file closed: the session loses its terminal (release_tty → session_clear_tty); a pty master sees EIO. */
  lastClose(tty: Tty): void {
    tty.session = 0;
    tty.foregroundGroup = 0;
    tty.linkedQueue?.wakeAll();
  }

  ioctl(tty: Tty, file: OpenFile, request: number, argument: number, user: Parameters<NonNullable<FileOps['ioctl']>>[3], task: Task | null): number {
    return ttyIoctl(tty, file, request, argument, user, task);
  }
}
