/**
 * One terminal (Linux's tty_struct): its termios, window size, session and
 * foreground process group, the N_TTY line discipline, and the file
 * operations every open of it shares — read (canonical lines, or VMIN/VTIME
 * in raw mode), write (output processing to the driver), poll, ioctl — with
 * job control: background readers get SIGTTIN, background writers SIGTTOU
 * under TOSTOP (drivers/tty/tty_jobctrl.c). The driver sees a TtyPort.
 */
import { EAGAIN, EIO, ERESTARTSYS, WaitQueue } from '../lib/index.js';
import type { FileOps, IoContext, UserAccess } from '../fs/index.js';
import { O_NONBLOCK, POLLERR, POLLHUP, POLLIN, POLLOUT } from '../fs/index.js';
import type { Kernel, Task } from '../proc/index.js';
import { isOrphanedProcessGroup, signalIgnoredOrBlocked, signalProcessGroup, SIGTTIN, SIGTTOU, SIGWINCH } from '../proc/index.js';
import { N_TTY_BUF_SIZE, NTty, UNTHROTTLE_ROOM } from './n-tty.js';
import type { LineDisciplineHost } from './n-tty.js';
import { ICANON, TOSTOP, VMIN, VTIME } from './termios.js';
import type { Termios } from './termios.js';
import type { TtyDriver, TtyPort } from './tty-driver.js';

type OpenFile = Parameters<NonNullable<FileOps['read']>>[0];

/** What a tty needs from the layer that owns it. */
export interface TtyOwner {
  readonly kernel: Kernel;
  /** The caller's controlling terminal (the tty whose session is the caller's). */
  controllingTty(task: Task): Tty | null;
  /** Carrier lost: SIGHUP/SIGCONT to the session leader, reads end, writes fail. */
  hangup(tty: Tty): void;
  /** The file was used for the first time by `task` (open-time work: acquiring a controlling tty). */
  firstUse(tty: Tty, file: OpenFile, task: Task): void;
  /** TIOCSCTTY: `task`, a session leader, takes `tty` as its controlling terminal (`steal` as root). */
  makeControllingTty(tty: Tty, task: Task, steal: boolean, file: OpenFile): number;
  /** The session lets go of its terminal (disassociate_ctty): SIGHUP (and SIGCONT unless exiting) to the foreground group. */
  disassociate(tty: Tty, exiting: boolean): void;
  /** The last open file of the tty was closed. */
  lastClose(tty: Tty): void;
  /** ioctl requests (tty-ioctl.ts, kept apart to keep this file about data flow). */
  ioctl(tty: Tty, file: OpenFile, request: number, argument: number, user: UserAccess, task: Task | null): number;
}

export class Tty implements LineDisciplineHost, TtyPort {
  readonly ldisc: NTty;
  rows = 0;
  columns = 0;
  xpixels = 0;
  ypixels = 0;
  /** The session this is the controlling terminal of (0: none). */
  session = 0;
  /** The foreground process group (0: none). */
  foregroundGroup = 0;
  outputStopped = false;
  hungUp = false;
  /** A pty slave whose master closed (TTY_OTHER_CLOSED): a read that was waiting fails with EIO. */
  otherClosed = false;
  openCount = 0;
  /** Readers, writers and pollers of this tty wait here. */
  readonly queue = new WaitQueue();
  /** Also woken on every change (a pty master's pollers and writers). */
  linkedQueue: WaitQueue | null = null;
  /** Files already seen (their open-time work is done). */
  private readonly seenFiles = new WeakSet<OpenFile>();
  readonly fileOps: FileOps;

  constructor(
    readonly owner: TtyOwner,
    readonly name: string,
    readonly rdev: number,
    readonly driver: TtyDriver,
    public termios: Termios,
  ) {
    this.ldisc = new NTty(this);
    this.fileOps = ttyFileOps(this);
  }

  get kernel(): Kernel { return this.owner.kernel; }

  // TtyPort: the driver's side.
  receive(bytes: Uint8Array): number {
    // A hung-up line discards its input.
    if (this.hungUp) return bytes.length;
    return this.ldisc.receive(bytes);
  }

  /** A hung-up line discards its input: all of it fits. */
  receiveRoom(): number {
    return this.hungUp ? N_TTY_BUF_SIZE : this.ldisc.receiveRoom();
  }

  writeWakeup(): void { this.queue.wakeAll(); }

  hangup(): void { this.owner.hangup(this); }

  resize(rows: number, columns: number): void {
    this.setWindowSize(rows, columns, this.xpixels, this.ypixels);
  }

  /** TIOCSWINSZ: a changed size sends SIGWINCH to the foreground process group (tiocswinsz). */
  setWindowSize(rows: number, columns: number, xpixels: number, ypixels: number): void {
    if (rows === this.rows && columns === this.columns && xpixels === this.xpixels && ypixels === this.ypixels) return;
    this.rows = rows;
    this.columns = columns;
    this.xpixels = xpixels;
    this.ypixels = ypixels;
    if (this.foregroundGroup) signalProcessGroup(this.kernel, this.foregroundGroup, SIGWINCH);
  }

  // LineDisciplineHost: what N_TTY calls.
  emit(bytes: number[]): void {
    if (bytes.length > 0) this.driver.write(Uint8Array.from(bytes));
  }

  signal(signal: number): void {
    if (this.foregroundGroup) signalProcessGroup(this.kernel, this.foregroundGroup, signal);
  }

  inputChanged(): void {
    this.queue.wakeAll();
    this.linkedQueue?.wakeAll();
    // A reader made room (n_tty_check_unthrottle). Waiting for UNTHROTTLE_ROOM cannot stall: a reader
    // that stops taking input leaves either an empty buffer or, in canonical mode, no complete line
    // (receiveRoom() is then unlimited).
    if (this.driver.unthrottle && this.ldisc.receiveRoom() >= UNTHROTTLE_ROOM) this.driver.unthrottle();
  }

  setOutputStopped(stopped: boolean): void {
    this.outputStopped = stopped;
    if (!stopped) this.queue.wakeAll();
  }

  flushOutput(): void { /* Drivers keep no flushable queue of ours; their own output drains. */ }

  /** Open-time work the first time a file is used (see TtyOwner.firstUse). */
  noteUse(file: OpenFile, task: Task | null): void {
    if (this.seenFiles.has(file)) return;
    this.seenFiles.add(file);
    this.openCount++;
    if (task) this.owner.firstUse(this, file, task);
  }

  /**
   * tty_check_change / job_control: a process of a background group using its controlling tty gets
   * `signal` (SIGTTIN for reads, SIGTTOU for writes and changes) and its call restarts after it is
   * continued; ignored or blocked, SIGTTOU lets it through and SIGTTIN fails with EIO; an orphaned
   * group gets EIO.
   */
  checkChange(task: Task | null, signal: number): number {
    if (!task || this.owner.controllingTty(task) !== this) return 0;
    if (!this.foregroundGroup || task.processGroup === this.foregroundGroup) return 0;
    if (signalIgnoredOrBlocked(task, signal)) return signal === SIGTTIN ? -EIO : 0;
    if (isOrphanedProcessGroup(this.kernel, task.processGroup)) return -EIO;
    signalProcessGroup(this.kernel, task.processGroup, signal);
    return -ERESTARTSYS;
  }

  read(file: OpenFile, count: number, io: IoContext): Uint8Array | number {
    const task = this.kernel.current;
    this.noteUse(file, task);
    // hung_up_tty_read gives 0; a read already waiting when a pty's master closed sees TTY_OTHER_CLOSED (n_tty_read: EIO).
    if (this.hungUp) return this.otherClosed && task?.restarting ? -EIO : new Uint8Array(0);
    const allowed = this.checkChange(task, SIGTTIN);
    if (allowed < 0) return allowed;
    if (count === 0) return new Uint8Array(0);
    const nonblocking = (file.flags & O_NONBLOCK) !== 0;
    if (this.termios.lflag & ICANON) {
      if (this.ldisc.available() > 0) return this.ldisc.readLine(count);
      return nonblocking ? -EAGAIN : io.block(this.queue);
    }
    // Non-canonical: man 3 termios "MIN > 0, TIME == 0" and its three other cases.
    const minimum = this.termios.cc[VMIN]!;
    const time = this.termios.cc[VTIME]!;
    const available = this.ldisc.available();
    if (minimum === 0 && time === 0) return this.ldisc.readRaw(count);
    if (available >= Math.min(Math.max(minimum, 1), count)) return this.ldisc.readRaw(count);
    if (nonblocking) return available > 0 ? this.ldisc.readRaw(count) : -EAGAIN;
    if (time === 0 || (minimum > 0 && available === 0)) return io.block(this.queue);
    // A timer of TIME tenths of a second: from the call (MIN == 0) or between bytes (MIN > 0).
    const owner = task;
    if (!owner) return io.block(this.queue);
    const deadline = owner.restarting && owner.sleepDeadline !== null ? owner.sleepDeadline : this.kernel.clock.monotonic() + time * 100_000_000;
    this.queue.add(io.waiter);
    if (this.kernel.sleepUntil(owner, deadline) === 0) {
      this.queue.remove(io.waiter);
      return this.ldisc.readRaw(count);
    }
    return -ERESTARTSYS;
  }

  write(file: OpenFile, data: Uint8Array, io: IoContext): number {
    const task = this.kernel.current;
    this.noteUse(file, task);
    if (this.hungUp) return -EIO;
    if (this.termios.lflag & TOSTOP) {
      const allowed = this.checkChange(task, SIGTTOU);
      if (allowed < 0) return allowed;
    }
    if (data.length === 0) return 0;
    const written = this.outputStopped ? 0 : this.writeProcessed(data);
    if (written > 0) return written;
    return file.flags & O_NONBLOCK ? -EAGAIN : io.block(this.queue);
  }

  /** Output processing into the driver's room; returns how many input bytes were consumed. */
  private writeProcessed(data: Uint8Array): number {
    let room = this.driver.writeRoom();
    // Fast path: room for the worst case (every byte doubled by ONLCR).
    if (room >= data.length * 2) {
      const out = this.ldisc.processOutput(data);
      this.driver.write(Uint8Array.from(out));
      return data.length;
    }
    const out: number[] = [];
    let consumed = 0;
    for (; consumed < data.length; consumed++) {
      const column = this.ldisc.column;
      const bytes = this.ldisc.processOutput([data[consumed]!]);
      if (bytes.length > room) { this.ldisc.column = column; break; }
      room -= bytes.length;
      for (const b of bytes) out.push(b);
    }
    if (out.length > 0) this.driver.write(Uint8Array.from(out));
    return consumed;
  }

  poll(file: OpenFile): number {
    this.noteUse(file, this.kernel.current);
    if (this.hungUp) return POLLIN | POLLOUT | POLLERR | POLLHUP;
    const minimum = this.termios.cc[VMIN]!;
    // input_available_p: canonical lines; raw mode MIN bytes when TIME is 0 (at least one).
    const wanted = this.termios.lflag & ICANON ? 1 : this.termios.cc[VTIME] === 0 ? Math.max(minimum, 1) : 1;
    const readable = this.ldisc.available() >= wanted;
    const writable = !this.outputStopped && this.driver.writeRoom() > 0;
    return (readable ? POLLIN : 0) | (writable ? POLLOUT : 0);
  }

  release(file: OpenFile): void {
    if (!this.seenFiles.has(file)) return;
    this.seenFiles.delete(file);
    this.openCount--;
    if (this.openCount === 0) this.owner.lastClose(this);
  }
}

/** The FileOps of a tty: every open file of it (the device node, /dev/tty, /dev/console) uses these. */
function ttyFileOps(tty: Tty): FileOps {
  return {
    read: (file, count, _position, io) => tty.read(file, count, io),
    write: (file, data, _position, io) => tty.write(file, data, io),
    poll: (file) => ({ events: tty.poll(file), queue: tty.queue }),
    ioctl: (file, request, argument, user) => {
      const task = tty.kernel.current;
      tty.noteUse(file, task);
      return tty.owner.ioctl(tty, file, request >>> 0, argument, user, task);
    },
    release: (file) => tty.release(file),
  };
}
