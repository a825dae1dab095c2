/**
 * struct termios and its flag bits (include/uapi/asm-generic/termbits.h; i386
 * uses the generic layout: four u32 flag words, c_line, c_cc[NCCS = 19], 36
 * bytes; termios2 adds c_ispeed and c_ospeed, 44 bytes). The defaults are
 * Linux's tty_std_termios (drivers/tty/tty_io.c) with each driver's changes.
 */

export const NCCS = 19;
export const TERMIOS_SIZE = 36;
export const TERMIOS2_SIZE = 44;

// c_cc indices.
export const VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSWTC = 7, VSTART = 8, VSTOP = 9,
  VSUSP = 10, VEOL = 11, VREPRINT = 12, VDISCARD = 13, VWERASE = 14, VLNEXT = 15, VEOL2 = 16;

// c_iflag.
export const IGNBRK = 0o1, BRKINT = 0o2, IGNPAR = 0o4, PARMRK = 0o10, INPCK = 0o20, ISTRIP = 0o40, INLCR = 0o100, IGNCR = 0o200,
  ICRNL = 0o400, IUCLC = 0o1000, IXON = 0o2000, IXANY = 0o4000, IXOFF = 0o10000, IMAXBEL = 0o20000, IUTF8 = 0o40000;

// c_oflag.
export const OPOST = 0o1, OLCUC = 0o2, ONLCR = 0o4, OCRNL = 0o10, ONOCR = 0o20, ONLRET = 0o40, TABDLY = 0o14000, XTABS = 0o14000;

// c_cflag.
export const CBAUD = 0o10017, B0 = 0, B9600 = 0o15, B38400 = 0o17, CSIZE = 0o60, CS8 = 0o60, CREAD = 0o200, HUPCL = 0o2000,
  CLOCAL = 0o4000, BOTHER = 0o10000;

// c_lflag.
export const ISIG = 0o1, ICANON = 0o2, XCASE = 0o4, ECHO = 0o10, ECHOE = 0o20, ECHOK = 0o40, ECHONL = 0o100, NOFLSH = 0o200,
  TOSTOP = 0o400, ECHOCTL = 0o1000, ECHOPRT = 0o2000, ECHOKE = 0o4000, FLUSHO = 0o10000, PENDIN = 0o40000, IEXTEN = 0o100000,
  EXTPROC = 0o200000;

/** The speeds the CBAUD codes name (B0..B38400, then B57600.. from CBAUDEX). */
const BAUD_TABLE = [0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400,
  57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000];

export function baudOf(cflag: number): number {
  const code = cflag & CBAUD;
  const index = code & 0o10000 ? 15 + (code & 0o17) : code;
  return BAUD_TABLE[index] ?? 0;
}

export class Termios {
  readonly cc = new Uint8Array(NCCS);

  constructor(public iflag: number, public oflag: number, public cflag: number, public lflag: number, public line = 0) {}

  /** tty_std_termios with INIT_C_CC: ^C ^\ DEL ^U ^D, VTIME 0, VMIN 1, ^Q ^S ^Z, ^R ^O ^W ^V. */
  static standard(cflag = B38400 | CS8 | CREAD | HUPCL): Termios {
    const termios = new Termios(ICRNL | IXON, OPOST | ONLCR, cflag, ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN);
    termios.cc.set([3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0]);
    return termios;
  }

  /** The pty master's (drivers/tty/pty.c unix98_pty_init): raw, B38400 | CS8 | CREAD. */
  static ptyMaster(): Termios {
    const termios = Termios.standard(B38400 | CS8 | CREAD);
    termios.iflag = 0;
    termios.oflag = 0;
    termios.lflag = 0;
    return termios;
  }

  copy(): Termios {
    const termios = new Termios(this.iflag, this.oflag, this.cflag, this.lflag, this.line);
    termios.cc.set(this.cc);
    return termios;
  }

  /** The user-space struct: termios (36 bytes) or termios2 (44, with the speeds). */
  encode(size: number = TERMIOS_SIZE): Uint8Array {
    const bytes = new Uint8Array(size);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, this.iflag >>> 0, true);
    view.setUint32(4, this.oflag >>> 0, true);
    view.setUint32(8, this.cflag >>> 0, true);
    view.setUint32(12, this.lflag >>> 0, true);
    bytes[16] = this.line;
    bytes.set(this.cc, 17);
    if (size >= TERMIOS2_SIZE) {
      const speed = baudOf(this.cflag);
      view.setUint32(36, speed, true);
      view.setUint32(40, speed, true);
    }
    return bytes;
  }

  static decode(bytes: Uint8Array): Termios {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const termios = new Termios(view.getUint32(0, true), view.getUint32(4, true), view.getUint32(8, true), view.getUint32(12, true), bytes[16]!);
    termios.cc.set(bytes.subarray(17, 17 + NCCS));
    return termios;
  }
}
