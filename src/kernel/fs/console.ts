/**
 * The console device (/dev/console, /dev/tty, and pid 1's stdio): bytes go to
 * and come from a host backend that system/ wires in. TCGETS answers with a
 * cooked-mode termios and TIOCGWINSZ with the backend's size when the backend
 * is a terminal; otherwise ENOTTY, which is how isatty(3) says "not a tty".
 */
import { EFAULT, EINVAL, ENOTTY } from '../lib/index.js';
import type { FileOps } from './inode.js';

export interface ConsoleBackend {
  write(data: Uint8Array): void;
  /** Up to `max` bytes; an empty array at end of input; null when nothing is available yet. */
  read(max: number): Uint8Array | null;
  readonly isTerminal: boolean;
  windowSize(): { rows: number; columns: number };
}

export const TCGETS = 0x5401;
export const TCSETS = 0x5402;
export const TCSETSW = 0x5403;
export const TCSETSF = 0x5404;
export const TIOCGPGRP = 0x540f;
export const TIOCSPGRP = 0x5410;
export const TIOCGWINSZ = 0x5413;
export const TIOCSWINSZ = 0x5414;
export const FIONREAD = 0x541b;
export const FIONBIO = 0x5421;

/**
 * struct termios (asm-generic/termbits.h, 36 bytes on i386: 4 flag words,
 * c_line, 19 c_cc bytes, padding) with Linux's defaults for a cooked tty.
 */
function defaultTermios(): Uint8Array {
  const bytes = new Uint8Array(36);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x0500, true); // c_iflag: ICRNL | IXON
  view.setUint32(4, 0x0005, true); // c_oflag: OPOST | ONLCR
  view.setUint32(8, 0x00bf, true); // c_cflag: B38400 | CS8 | CREAD
  view.setUint32(12, 0x8a3b, true); // c_lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN | ECHOCTL | ECHOKE
  // c_cc: VINTR ^C, VQUIT ^\, VERASE DEL, VKILL ^U, VEOF ^D, VTIME 0, VMIN 1, ..., VSUSP ^Z.
  bytes.set([3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0], 17);
  return bytes;
}

export function createConsoleOps(backend: ConsoleBackend): FileOps {
  let termios = defaultTermios();
  let foregroundGroup = 1;
  return {
    read: (_file, count) => backend.read(count) ?? new Uint8Array(0),
    write: (_file, data) => { backend.write(data); return data.length; },
    ioctl: (_file, request, argument, user) => {
      if (!backend.isTerminal) return -ENOTTY;
      switch (request) {
        case TCGETS: return user.copyToUser(argument, termios) < 0 ? -EFAULT : 0;
        case TCSETS: case TCSETSW: case TCSETSF: {
          const data = user.copyFromUser(argument, 36);
          if (typeof data === 'number') return -EFAULT;
          termios = data;
          return 0;
        }
        case TIOCGWINSZ: {
          const size = backend.windowSize();
          const out = new Uint8Array(8);
          const view = new DataView(out.buffer);
          view.setUint16(0, size.rows, true);
          view.setUint16(2, size.columns, true);
          return user.copyToUser(argument, out) < 0 ? -EFAULT : 0;
        }
        case TIOCSWINSZ: return 0;
        case TIOCGPGRP: {
          const out = new Uint8Array(4);
          new DataView(out.buffer).setInt32(0, foregroundGroup, true);
          return user.copyToUser(argument, out) < 0 ? -EFAULT : 0;
        }
        case TIOCSPGRP: {
          const data = user.copyFromUser(argument, 4);
          if (typeof data === 'number') return -EFAULT;
          foregroundGroup = new DataView(data.buffer).getInt32(0, true);
          return 0;
        }
        default: return -EINVAL;
      }
    },
  };
}
