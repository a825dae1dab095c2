/**
 * Pseudo-terminals (drivers/tty/pty.c, Unix 98): opening /dev/ptmx makes a
 * pair — the master, an open file whose reads return what the slave's
 * programs wrote (after output processing) and whose writes are the slave's
 * keyboard — and the slave, a Tty at /dev/pts/N with its own line discipline.
 * Master closed: the slave hangs up. Slave closed: master reads fail with EIO.
 */
import { EAGAIN, EFAULT, EINVAL, EIO, ENOTTY, WaitQueue } from '../lib/index.js';
import type { FileOps, IoContext, UserAccess } from '../fs/index.js';
import { O_NONBLOCK, POLLHUP, POLLIN, POLLOUT } from '../fs/index.js';
import type { Task } from '../proc/index.js';
import { N_TTY_BUF_SIZE } from './n-tty.js';
import { B38400, CREAD, CS8, ICANON, Termios } from './termios.js';
import {
  FIONREAD, getInt, getWindowSize, putInt, setWindowSize, TCFLSH, TCGETS, TCGETS2, TCSETS, TCSETS2, TCSETSF, TCSETSF2, TCSETSW,
  TCSETSW2, TIOCGPGRP, TIOCGPTN, TIOCGPTPEER, TIOCGSID, TIOCGWINSZ, TIOCOUTQ, TIOCPKT, TIOCSPTLCK, TIOCSWINSZ, ttyIoctl,
} from './tty-ioctl.js';
import { Tty } from './tty.js';
import type { TtyOwner } from './tty.js';
import type { TtyDriver } from './tty-driver.js';

type OpenFile = Parameters<NonNullable<FileOps['read']>>[0];

/** How much slave output the master holds before the slave's writers block (Linux's tty buffer is ~64 KiB). */
export const PTY_BUFFER_SIZE = 65536;
export const PTY_SLAVE_MAJOR = 136;

export class PtyPair {
  readonly slave: Tty;
  /** Slave output not yet read by the master. */
  private output: Uint8Array[] = [];
  private outputLength = 0;
  locked = true;
  masterClosed = false;
  /** The slave was opened at least once (its last close then ends master reads with EIO). */
  slaveOpened = false;
  readonly masterQueue = new WaitQueue();

  constructor(owner: TtyOwner, readonly index: number, rdev: number) {
    const driver: TtyDriver = {
      name: `pts/${index}`,
      write: (bytes) => {
        const n = Math.min(bytes.length, PTY_BUFFER_SIZE - this.outputLength);
        if (n <= 0) return 0;
        this.output.push(bytes.slice(0, n));
        this.outputLength += n;
        this.masterQueue.wakeAll();
        return n;
      },
      writeRoom: () => this.masterClosed ? PTY_BUFFER_SIZE : PTY_BUFFER_SIZE - this.outputLength,
      charsInBuffer: () => 0,
    };
    this.slave = new Tty(owner, `pts/${index}`, rdev, driver, Termios.standard(B38400 | CS8 | CREAD));
    this.slave.linkedQueue = this.masterQueue;
  }

  /** Master read: the slave's output, EIO once the slave closed and everything was read. */
  masterRead(file: OpenFile, count: number, io: IoContext): Uint8Array | number {
    if (this.outputLength === 0) {
      if (this.slaveOpened && this.slave.openCount === 0) return -EIO;
      return file.flags & O_NONBLOCK ? -EAGAIN : io.block(this.masterQueue);
    }
    const out = new Uint8Array(Math.min(count, this.outputLength));
    let done = 0;
    while (done < out.length) {
      const chunk = this.output[0]!;
      const n = Math.min(chunk.length, out.length - done);
      out.set(chunk.subarray(0, n), done);
      done += n;
      if (n === chunk.length) this.output.shift();
      else this.output[0] = chunk.subarray(n);
    }
    this.outputLength -= done;
    this.slave.writeWakeup();
    return out;
  }

  /** Room in the slave's input: a raw-mode reader that does not read holds the master's writers back. */
  private inputRoom(): number {
    const used = this.slave.ldisc.bufferLength;
    // Canonical mode with no complete line: the line discipline drops excess bytes, as Linux does.
    if (this.slave.termios.lflag & ICANON && this.slave.ldisc.available() === 0) return N_TTY_BUF_SIZE;
    return Math.max(0, N_TTY_BUF_SIZE - 1 - used);
  }

  /** Master write: the slave's input (typed keys). */
  masterWrite(file: OpenFile, data: Uint8Array, io: IoContext): number {
    if (data.length === 0) return 0;
    const room = this.inputRoom();
    if (room === 0) return file.flags & O_NONBLOCK ? -EAGAIN : io.block(this.masterQueue);
    // The line discipline says how much it took: after an overflowing line's newline the rest waits for the reader.
    const taken = this.slave.receive(data.subarray(0, Math.min(room, data.length)));
    if (taken > 0) return taken;
    return file.flags & O_NONBLOCK ? -EAGAIN : io.block(this.masterQueue);
  }

  masterPoll(): number {
    const hangup = this.slaveOpened && this.slave.openCount === 0;
    return (this.outputLength > 0 ? POLLIN : 0) | (this.inputRoom() > 0 ? POLLOUT : 0) | (hangup ? POLLHUP : 0);
  }

  /** Master ioctls: its own termios; the window size and group are the slave's (tty_pair_get_tty). */
  masterIoctl(request: number, argument: number, user: UserAccess, openPeer: (flags: number) => number): number {
    switch (request) {
      // tty_mode_ioctl: termios requests on a pty master act on its slave (tty_pair_get_tty).
      case TCGETS: case TCGETS2: case TCSETS: case TCSETSW: case TCSETSF: case TCSETS2: case TCSETSW2: case TCSETSF2:
        return ttyIoctl(this.slave, null, request, argument, user, null);
      case TIOCGWINSZ: return getWindowSize(this.slave, user, argument);
      case TIOCSWINSZ: return setWindowSize(this.slave, user, argument);
      case TIOCGPGRP: return putInt(user, argument, this.slave.foregroundGroup);
      case TIOCGSID: return this.slave.session ? putInt(user, argument, this.slave.session) : -ENOTTY;
      case TIOCGPTN: return putInt(user, argument, this.index);
      case TIOCSPTLCK: {
        const lock = getInt(user, argument);
        if (lock === null) return -EFAULT;
        this.locked = lock !== 0;
        return 0;
      }
      case TIOCGPTPEER: return openPeer(argument);
      case FIONREAD: return putInt(user, argument, this.outputLength);
      case TIOCOUTQ: return putInt(user, argument, this.slave.ldisc.bytesReadable());
      case TCFLSH:
        if (argument === 0 || argument === 2) { this.output = []; this.outputLength = 0; this.slave.writeWakeup(); }
        if (argument === 1 || argument === 2) this.slave.ldisc.flushInput();
        return argument >= 0 && argument <= 2 ? 0 : -EINVAL;
      case TIOCPKT: {
        const mode = getInt(user, argument);
        if (mode === null) return -EFAULT;
        return mode === 0 ? 0 : -EINVAL;
      }
      default: return -ENOTTY;
    }
  }
}

/** What the master side needs from devpts: opening the peer and closing the pair. */
export interface PtyMasterHost {
  /** The pair of this master file, made on its first use (there is no open hook for device files). */
  pairOf(file: OpenFile): PtyPair | number;
  openPeer(pair: PtyPair, flags: number, task: Task | null): number;
  closeMaster(file: OpenFile): void;
  readonly currentTask: () => Task | null;
}

/** The FileOps of /dev/ptmx: every open file is the master of its own pair. */
export function ptmxFileOps(host: PtyMasterHost): FileOps {
  return {
    read: (file, count, _position, io) => {
      const pair = host.pairOf(file);
      return typeof pair === 'number' ? pair : pair.masterRead(file, count, io);
    },
    write: (file, data, _position, io) => {
      const pair = host.pairOf(file);
      return typeof pair === 'number' ? pair : pair.masterWrite(file, data, io);
    },
    poll: (file) => {
      const pair = host.pairOf(file);
      if (typeof pair === 'number') return { events: POLLHUP, queue: null };
      return { events: pair.masterPoll(), queue: pair.masterQueue };
    },
    ioctl: (file, request, argument, user) => {
      const pair = host.pairOf(file);
      if (typeof pair === 'number') return pair;
      return pair.masterIoctl(request >>> 0, argument, user, (flags) => host.openPeer(pair, flags, host.currentTask()));
    },
    release: (file) => host.closeMaster(file),
  };
}
