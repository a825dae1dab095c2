/**
 * The tty ioctls (drivers/tty/tty_io.c tty_ioctl, tty_ioctl.c, tty_jobctrl.c,
 * n_tty_ioctl): termios get/set (TCGETS*, TCSETS* and the termios2 forms),
 * window size, foreground process group, controlling terminal, queue sizes,
 * flush and flow control. Requests that change the terminal go through the
 * job-control check (a background process gets SIGTTOU). Unknown: ENOTTY.
 */
import { EFAULT, EINVAL, EIO, ENOTTY, EPERM, ESRCH } from '../lib/index.js';
import type { FileOps, UserAccess } from '../fs/index.js';
import type { Task } from '../proc/index.js';
import { processGroupHolder, SIGTTOU } from '../proc/index.js';
import { NCCS, Termios, TERMIOS2_SIZE, TERMIOS_SIZE, ICANON, IXON, VSTART, VSTOP } from './termios.js';
import type { Tty } from './tty.js';

type OpenFile = Parameters<NonNullable<FileOps['read']>>[0];

export const TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TCSBRK = 0x5409, TCXONC = 0x540a,
  TCFLSH = 0x540b, TIOCEXCL = 0x540c, TIOCNXCL = 0x540d, TIOCSCTTY = 0x540e, TIOCGPGRP = 0x540f, TIOCSPGRP = 0x5410,
  TIOCOUTQ = 0x5411, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541b, TIOCINQ = 0x541b, TIOCPKT = 0x5420,
  TIOCNOTTY = 0x5422, TIOCSETD = 0x5423, TIOCGETD = 0x5424, TCSBRKP = 0x5425, TIOCSBRK = 0x5427, TIOCCBRK = 0x5428,
  TIOCGSID = 0x5429, TCGETS2 = 0x802c542a, TCSETS2 = 0x402c542b, TCSETSW2 = 0x402c542c, TCSETSF2 = 0x402c542d,
  TIOCGPTN = 0x80045430, TIOCSPTLCK = 0x40045431, TIOCGDEV = 0x80045432, TIOCVHANGUP = 0x5437, TIOCGPTPEER = 0x5441;

const TCOOFF = 0, TCOON = 1, TCIOFF = 2, TCION = 3;
const TCIFLUSH = 0, TCOFLUSH = 1, TCIOFLUSH = 2;

export function putInt(user: UserAccess, address: number, value: number): number {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, value, true);
  return user.copyToUser(address, out) < 0 ? -EFAULT : 0;
}

export function getInt(user: UserAccess, address: number): number | null {
  const bytes = user.copyFromUser(address, 4);
  if (typeof bytes === 'number') return null;
  return new DataView(bytes.buffer, bytes.byteOffset).getInt32(0, true);
}

/** struct winsize: ws_row, ws_col, ws_xpixel, ws_ypixel (u16 each). */
export function getWindowSize(tty: Tty, user: UserAccess, address: number): number {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint16(0, tty.rows, true);
  view.setUint16(2, tty.columns, true);
  view.setUint16(4, tty.xpixels, true);
  view.setUint16(6, tty.ypixels, true);
  return user.copyToUser(address, out) < 0 ? -EFAULT : 0;
}

export function setWindowSize(tty: Tty, user: UserAccess, address: number): number {
  const bytes = user.copyFromUser(address, 8);
  if (typeof bytes === 'number') return -EFAULT;
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  tty.setWindowSize(view.getUint16(0, true), view.getUint16(2, true), view.getUint16(4, true), view.getUint16(6, true));
  return 0;
}

/** set_termios: the new settings take effect; TCSETSF also flushes unread input. */
function setTermios(tty: Tty, user: UserAccess, address: number, size: number, flush: boolean, task: Task | null): number {
  const allowed = tty.checkChange(task, SIGTTOU);
  if (allowed < 0) return allowed;
  const bytes = user.copyFromUser(address, size);
  if (typeof bytes === 'number') return -EFAULT;
  const old = tty.termios;
  const termios = Termios.decode(bytes.subarray(0, 17 + NCCS));
  tty.termios = termios;
  if (flush) tty.ldisc.flushInput();
  if ((old.lflag ^ termios.lflag) & ICANON) tty.ldisc.termiosChanged();
  if (tty.outputStopped && (termios.iflag & IXON) === 0) tty.setOutputStopped(false);
  tty.driver.setTermios?.(termios.cflag, 0, 0);
  tty.queue.wakeAll();
  return 0;
}

/** The ioctls of a tty opened by `task` (null outside a syscall). */
export function ttyIoctl(tty: Tty, file: OpenFile | null, request: number, argument: number, user: UserAccess, task: Task | null): number {
  if (tty.hungUp && request !== TIOCSPGRP && request !== TIOCNOTTY) return -EIO;
  const controlling = task !== null && tty.owner.controllingTty(task) === tty;
  switch (request) {
    case TCGETS: return user.copyToUser(argument, tty.termios.encode(TERMIOS_SIZE)) < 0 ? -EFAULT : 0;
    case TCGETS2: return user.copyToUser(argument, tty.termios.encode(TERMIOS2_SIZE)) < 0 ? -EFAULT : 0;
    case TCSETS: case TCSETSW: return setTermios(tty, user, argument, TERMIOS_SIZE, false, task);
    case TCSETSF: return setTermios(tty, user, argument, TERMIOS_SIZE, true, task);
    case TCSETS2: case TCSETSW2: return setTermios(tty, user, argument, TERMIOS2_SIZE, false, task);
    case TCSETSF2: return setTermios(tty, user, argument, TERMIOS2_SIZE, true, task);
    case TIOCGWINSZ: return getWindowSize(tty, user, argument);
    case TIOCSWINSZ: return setWindowSize(tty, user, argument);
    case TIOCGPGRP:
      if (!controlling) return -ENOTTY;
      return putInt(user, argument, tty.foregroundGroup);
    case TIOCSPGRP: {
      const allowed = tty.checkChange(task, SIGTTOU);
      if (allowed === -EIO) return -ENOTTY;
      if (allowed < 0) return allowed;
      const group = getInt(user, argument);
      if (group === null) return -EFAULT;
      if (group < 0) return -EINVAL;
      if (!task || !controlling || tty.session !== task.session) return -ENOTTY;
      const holder = processGroupHolder(tty.kernel, group);
      if (holder === null) return -ESRCH;
      if (holder.session !== task.session) return -EPERM;
      tty.foregroundGroup = group;
      return 0;
    }
    case TIOCGSID:
      if (!controlling || !tty.session) return -ENOTTY;
      return putInt(user, argument, tty.session);
    case TIOCSCTTY: return task && file ? tty.owner.makeControllingTty(tty, task, argument === 1, file) : -EPERM;
    case TIOCNOTTY:
      if (!task || !controlling) return -ENOTTY;
      if (task.session === task.tgid) tty.owner.disassociate(tty, false);
      return 0;
    case TIOCOUTQ: return putInt(user, argument, tty.driver.charsInBuffer());
    case TIOCINQ: return putInt(user, argument, tty.ldisc.bytesReadable());
    case TCFLSH: {
      const allowed = tty.checkChange(task, SIGTTOU);
      if (allowed < 0) return allowed;
      if (argument === TCIFLUSH || argument === TCIOFLUSH) tty.ldisc.flushInput();
      else if (argument !== TCOFLUSH) return -EINVAL;
      return 0;
    }
    case TCXONC: {
      const allowed = tty.checkChange(task, SIGTTOU);
      if (allowed < 0) return allowed;
      switch (argument) {
        case TCOOFF: tty.setOutputStopped(true); return 0;
        case TCOON: tty.setOutputStopped(false); return 0;
        case TCIOFF: tty.driver.write(Uint8Array.of(tty.termios.cc[VSTOP]!)); return 0;
        case TCION: tty.driver.write(Uint8Array.of(tty.termios.cc[VSTART]!)); return 0;
        default: return -EINVAL;
      }
    }
    case TCSBRK: case TCSBRKP: case TIOCSBRK: case TIOCCBRK: return 0;
    case TIOCEXCL: case TIOCNXCL: return 0;
    case TIOCGETD: return putInt(user, argument, 0);
    case TIOCSETD: {
      const discipline = getInt(user, argument);
      if (discipline === null) return -EFAULT;
      return discipline === 0 ? 0 : -EINVAL;
    }
    case TIOCGDEV: return putInt(user, argument, tty.rdev);
    case TIOCVHANGUP:
      if (!task || task.credentials.euid !== 0) return -EPERM;
      tty.hangup();
      return 0;
    default: return -ENOTTY;
  }
}
