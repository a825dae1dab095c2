/**
 * The contract between the TTY layer (line discipline, termios, job control)
 * and the hardware drivers under it (Linux's tty_driver / tty_port): a
 * serial UART, the VGA console with the keyboard, the master side of a pty.
 * A driver registers itself and gets a TtyPort; its interrupt handler pushes
 * received bytes into the port, and the TTY layer calls the driver to send.
 */

export interface TtyDriver {
  /** Device name without /dev: "ttyS0", "tty1". */
  readonly name: string;
  /** Queues output for the hardware; returns how many bytes were taken (0 when full). */
  write(bytes: Uint8Array): number;
  /** Free room in the driver's output queue (blocking writers wait until it grows). */
  writeRoom(): number;
  /** Bytes queued but not yet sent (TIOCOUTQ). */
  charsInBuffer(): number;
  /** termios changed (c_cflag speed/size/parity): drivers that model the line may apply it. */
  setTermios?(cflag: number, ispeed: number, ospeed: number): void;
  /**
   * The line discipline has room again after a reader took input (tty_unthrottle): a driver that
   * stopped receiving because receiveRoom() was 0 starts again. Called often; cheap when not throttled.
   */
  unthrottle?(): void;
  /** The line's initial c_cflag (speed, size, HUPCL, CLOCAL): a 16550 says B9600 | CS8 | CREAD | HUPCL | CLOCAL; default tty_std_termios's B38400 | CS8 | CREAD | HUPCL. */
  readonly initialCflag?: number;
}

/** What a driver holds of its tty: the entry points it calls from its interrupt handlers. */
export interface TtyPort {
  /**
   * Bytes arrived from the line (keyboard, serial receiver): fed through the line discipline as far
   * as receiveRoom() allows; returns how many were taken (a driver that read more loses the rest).
   */
  receive(bytes: Uint8Array): number;
  /**
   * How many bytes receive() takes now without dropping any (tty->receive_room). 0: the reader
   * is behind; the driver leaves the rest on the line and waits for unthrottle().
   */
  receiveRoom(): number;
  /** The driver's output queue has room again: blocked writers may continue. */
  writeWakeup(): void;
  /** Carrier lost (the terminal was closed): hangup of the session (SIGHUP, EIO on reads). */
  hangup(): void;
  /** The terminal's size changed (as TIOCSWINSZ: SIGWINCH to the foreground process group). */
  resize(rows: number, columns: number): void;
}

/** Where drivers register (kernel.ttys, set at boot by the TTY layer). */
export interface TtyRegistry {
  /** Creates /dev/`driver.name` as a character device `major:minor` and returns the port for the driver's ISRs. */
  register(driver: TtyDriver, major: number, minor: number): TtyPort;
  /** Which registered tty /dev/console is (console= on the command line picks it; the first registered otherwise). */
  setConsole(name: string): void;
}
