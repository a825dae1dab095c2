/**
 * N_TTY, the default line discipline (drivers/tty/n_tty.c): input processing
 * (ISTRIP, IGNCR/ICRNL/INLCR, IXON start/stop, ISIG signals, canonical line
 * editing with VERASE/VKILL/VWERASE/VLNEXT/VREPRINT/VEOF/VEOL, echo with
 * ECHOE/ECHOK/ECHOKE/ECHOCTL/ECHONL) into a 4096-byte read buffer, and output
 * processing (OPOST: ONLCR, OCRNL, ONOCR, ONLRET, OLCUC, XTABS). The tty owns
 * one of these and supplies the host: where echoes go, whom signals reach.
 */
import { SIGINT, SIGQUIT, SIGTSTP } from '../proc/index.js';
import type { Termios } from './termios.js';
import {
  ECHO, ECHOCTL, ECHOE, ECHOK, ECHOKE, ECHONL, ICANON, ICRNL, IEXTEN, IGNCR, INLCR, ISIG, ISTRIP, IUCLC, IXANY, IXON, NOFLSH, OCRNL,
  OLCUC, ONLCR, ONLRET, ONOCR, OPOST, TABDLY, VEOF, VEOL, VEOL2, VERASE, VINTR, VKILL, VLNEXT, VQUIT, VREPRINT, VSTART, VSTOP, VSUSP,
  VWERASE, XTABS,
} from './termios.js';

/** N_TTY_BUF_SIZE. */
export const N_TTY_BUF_SIZE = 4096;
/** Room (in bytes) a reader must make before a throttled driver is asked for more (n_tty's unthrottle threshold, scaled to batch). */
export const UNTHROTTLE_ROOM = 1024;

/** Read buffer entries: a plain byte 0-255, a line delimiter byte + DELIMITER, or EOF_MARK (a delimiter that reads as nothing). */
const DELIMITER = 0x100;
const EOF_MARK = -1;

export interface LineDisciplineHost {
  readonly termios: Termios;
  /** Bytes to the terminal now (echoes), already output-processed. */
  emit(bytes: number[]): void;
  /** ISIG: a signal to the foreground process group. */
  signal(signal: number): void;
  /** Input became readable (or the buffer was flushed): wake readers and pollers. */
  inputChanged(): void;
  /** IXON: output stopped (^S) or started (^Q). */
  setOutputStopped(stopped: boolean): void;
  readonly outputStopped: boolean;
  /** The tty's output is flushed too (ISIG without NOFLSH). */
  flushOutput(): void;
}

const isControl = (c: number): boolean => c < 0x20 || c === 0x7f;

export class NTty {
  /** The read buffer: complete lines first (the first `committed` entries), then the line being edited. */
  private buffer: number[] = [];
  private committed = 0;
  private literalNext = false;
  /** Echoes of the bytes being received, sent in one write when receive() ends (n_tty's echo buffer, flush_echoes). */
  private echoes: number[] = [];
  private receiving = false;
  /** Output column (for tab erase and ONOCR), and the column where the line being edited began. */
  column = 0;
  private lineStartColumn = 0;

  constructor(private readonly host: LineDisciplineHost) {}

  private get termios(): Termios { return this.host.termios; }

  private lflag(bit: number): boolean { return (this.termios.lflag & bit) !== 0; }
  private iflag(bit: number): boolean { return (this.termios.iflag & bit) !== 0; }

  get canonical(): boolean { return this.lflag(ICANON); }

  /** Entries in the read buffer (room left is N_TTY_BUF_SIZE minus this). */
  get bufferLength(): number { return this.buffer.length; }

  /** Bytes a reader could take now: whole lines in canonical mode, everything otherwise (FIONREAD counts bytes). */
  available(): number {
    return this.canonical ? this.committed : this.buffer.length;
  }

  /** FIONREAD / TIOCINQ: bytes readable, EOF marks excluded. */
  bytesReadable(): number {
    const limit = this.canonical ? this.committed : this.buffer.length;
    let n = 0;
    for (let i = 0; i < limit; i++) if (this.buffer[i] !== EOF_MARK) n++;
    return n;
  }

  /** Canonical read: up to `count` bytes of the first line, its delimiter included (EOF gives an empty read). */
  readLine(count: number): Uint8Array {
    const out: number[] = [];
    let taken = 0;
    while (taken < this.committed && out.length < count) {
      const entry = this.buffer[taken++]!;
      if (entry === EOF_MARK) break;
      out.push(entry & 0xff);
      if (entry >= DELIMITER) break;
    }
    this.consume(taken);
    return Uint8Array.from(out);
  }

  /** Non-canonical read: up to `count` bytes. */
  readRaw(count: number): Uint8Array {
    const n = Math.min(count, this.buffer.length);
    const out = Uint8Array.from(this.buffer.slice(0, n), (entry) => entry & 0xff);
    this.consume(n);
    return out;
  }

  private consume(n: number): void {
    this.buffer.splice(0, n);
    this.committed = Math.max(0, this.committed - n);
    // Room appeared: writers of input (a pty master) may continue.
    if (n > 0) this.host.inputChanged();
  }

  flushInput(): void {
    this.buffer = [];
    this.committed = 0;
    this.literalNext = false;
    this.host.inputChanged();
  }

  /** ICANON was switched (n_tty_set_termios): leaving canonical mode makes the pending line readable. */
  termiosChanged(): void {
    if (!this.canonical) this.committed = this.buffer.length;
    this.host.inputChanged();
  }

  /**
   * How many input bytes fit without loss (n_tty_receive_buf_common): the buffer's room less one.
   * When that is none in canonical mode with no complete line, the line overflows: one byte at a
   * time is taken (and dropped unless it ends the line), so a reader waiting for a newline cannot
   * deadlock. 0: the reader is behind; the rest waits with the driver.
   */
  receiveRoom(): number {
    const room = N_TTY_BUF_SIZE - 1 - this.buffer.length;
    if (room > 0) return room;
    return this.canonical && this.committed === 0 ? 1 : 0;
  }

  /** Takes bytes while there is room (see receiveRoom); returns how many were taken. */
  receive(bytes: Uint8Array): number {
    let taken = 0;
    this.receiving = true;
    try {
      while (taken < bytes.length) {
        const room = this.receiveRoom();
        if (room === 0) break;
        const end = Math.min(bytes.length, taken + room);
        for (; taken < end; taken++) this.receiveChar(bytes[taken]!);
      }
    } finally {
      this.receiving = false;
    }
    this.flushEchoes();
    this.host.inputChanged();
    return taken;
  }

  /** Echo output, kept in order with the echoes before it. */
  private echo(bytes: number[]): void {
    if (!this.receiving) { this.host.emit(bytes); return; }
    for (const byte of bytes) this.echoes.push(byte);
  }

  private flushEchoes(): void {
    if (this.echoes.length === 0) return;
    const bytes = this.echoes;
    this.echoes = [];
    this.host.emit(bytes);
  }

  private receiveChar(input: number): void {
    const termios = this.termios;
    const cc = termios.cc;
    let c = this.iflag(ISTRIP) ? input & 0x7f : input;
    if (this.iflag(IUCLC) && this.lflag(IEXTEN) && c >= 0x41 && c <= 0x5a) c += 0x20;
    if (this.literalNext) {
      this.literalNext = false;
      this.echoChar(c);
      this.put(c);
      return;
    }
    if (this.iflag(IXON)) {
      if (c === cc[VSTOP] && c !== 0) { this.host.setOutputStopped(true); return; }
      if (c === cc[VSTART] && c !== 0) { this.host.setOutputStopped(false); return; }
      if (this.host.outputStopped && this.iflag(IXANY)) this.host.setOutputStopped(false);
    }
    if (this.lflag(ISIG) && c !== 0) {
      const signal = c === cc[VINTR] ? SIGINT : c === cc[VQUIT] ? SIGQUIT : c === cc[VSUSP] ? SIGTSTP : 0;
      if (signal) {
        // n_tty_receive_signal_char: signal first, then flush (unless NOFLSH), restart output, echo.
        this.flushEchoes();
        this.host.signal(signal);
        if (!this.lflag(NOFLSH)) { this.flushInput(); this.host.flushOutput(); }
        if (this.iflag(IXON)) this.host.setOutputStopped(false);
        this.echoChar(c);
        return;
      }
    }
    if (c === 0x0d) {
      if (this.iflag(IGNCR)) return;
      if (this.iflag(ICRNL)) c = 0x0a;
    } else if (c === 0x0a && this.iflag(INLCR)) {
      c = 0x0d;
    }
    if (this.canonical && c !== 0) {
      if (c === cc[VERASE] || c === cc[VKILL] || (c === cc[VWERASE] && this.lflag(IEXTEN))) { this.erase(c); return; }
      if (c === cc[VLNEXT] && this.lflag(IEXTEN)) {
        this.literalNext = true;
        if (this.lflag(ECHO) && this.lflag(ECHOCTL)) this.echo(this.processOutput([0x5e, 0x08]));
        return;
      }
      if (c === cc[VREPRINT] && this.lflag(ECHO) && this.lflag(IEXTEN)) { this.reprint(c); return; }
    }
    if (this.canonical && c === 0x0a) {
      if (this.lflag(ECHO) || this.lflag(ECHONL)) this.echo(this.processOutput([0x0a]));
      this.putDelimiter(c + DELIMITER);
      return;
    }
    if (this.canonical && c !== 0 && c === cc[VEOF]) {
      this.putDelimiter(EOF_MARK);
      return;
    }
    if (this.canonical && c !== 0 && (c === cc[VEOL] || (c === cc[VEOL2] && this.lflag(IEXTEN)))) {
      this.echoChar(c);
      this.putDelimiter(c + DELIMITER);
      return;
    }
    this.echoChar(c);
    this.put(c);
  }

  /** A byte of the line being edited (non-canonical: readable at once). Dropped when the buffer is full, as Linux. */
  private put(c: number): void {
    // In canonical mode the last byte of room is kept for a line delimiter.
    if (this.buffer.length >= N_TTY_BUF_SIZE - 1) return;
    if (this.canonical && this.buffer.length === this.committed) this.lineStartColumn = this.column;
    this.buffer.push(c);
    if (!this.canonical) this.committed = this.buffer.length;
  }

  private putDelimiter(entry: number): void {
    if (this.buffer.length >= N_TTY_BUF_SIZE) return;
    this.buffer.push(entry);
    this.committed = this.buffer.length;
  }

  /** echo_char: control characters as ^X under ECHOCTL (tab and newline as themselves). */
  private echoChar(c: number): void {
    if (!this.lflag(ECHO)) return;
    if (this.lflag(ECHOCTL) && isControl(c) && c !== 0x09 && c !== 0x0a) this.echo(this.processOutput([0x5e, c ^ 0x40]));
    else if (this.receiving) this.outputChar(c, this.echoes);
    else this.echo(this.processOutput([c]));
  }

  /** Width of an echoed byte at `column` (tabs to the next multiple of 8; ^X takes two under ECHOCTL). */
  private echoWidth(c: number, column: number): number {
    if (c === 0x09) return 8 - (column & 7);
    if (isControl(c)) return this.lflag(ECHOCTL) ? 2 : 0;
    return 1;
  }

  /** eraser(): VERASE one character, VWERASE one word, VKILL the line; echoed per ECHOE/ECHOK/ECHOKE. */
  private erase(c: number): void {
    const cc = this.termios.cc;
    if (this.buffer.length === this.committed) return;
    const kind = c === cc[VERASE] ? 'erase' : c === cc[VWERASE] ? 'word' : 'kill';
    if (kind === 'kill') {
      if (!this.lflag(ECHO)) { this.buffer.length = this.committed; return; }
      if (!this.lflag(ECHOK) || !this.lflag(ECHOKE) || !this.lflag(ECHOE)) {
        this.buffer.length = this.committed;
        this.echoChar(c);
        if (this.lflag(ECHOK)) this.echo(this.processOutput([0x0a]));
        return;
      }
    }
    let seenAlnum = false;
    while (this.buffer.length > this.committed) {
      const last = this.buffer[this.buffer.length - 1]! & 0xff;
      if (kind === 'word') {
        const alnum = (last >= 0x30 && last <= 0x39) || (last >= 0x41 && last <= 0x5a) || (last >= 0x61 && last <= 0x7a) || last === 0x5f;
        if (alnum) seenAlnum = true;
        else if (seenAlnum) break;
      }
      this.buffer.pop();
      if (this.lflag(ECHO)) {
        if (kind === 'erase' && !this.lflag(ECHOE)) {
          this.echoChar(cc[VERASE]!);
        } else if (last === 0x09) {
          // The tab's width depends on what precedes it on the line: recompute from the line start.
          let column = this.lineStartColumn;
          for (let i = this.committed; i < this.buffer.length; i++) column += this.echoWidth(this.buffer[i]! & 0xff, column);
          const back = Math.max(0, this.column - column);
          this.echo(this.processOutput(new Array<number>(back).fill(0x08)));
        } else {
          const rubouts = isControl(last) && this.lflag(ECHOCTL) ? 2 : isControl(last) ? 0 : 1;
          const sequence: number[] = [];
          for (let i = 0; i < rubouts; i++) sequence.push(0x08, 0x20, 0x08);
          this.echo(this.processOutput(sequence));
        }
      }
      if (kind === 'erase') break;
    }
  }

  /** VREPRINT: echo ^R, a newline, and the line being edited. */
  private reprint(c: number): void {
    this.echoChar(c);
    this.echo(this.processOutput([0x0a]));
    for (let i = this.committed; i < this.buffer.length; i++) this.echoChar(this.buffer[i]! & 0xff);
  }

  /** OPOST output processing (do_output_char), tracking the column. */
  processOutput(bytes: ArrayLike<number>): number[] {
    const out: number[] = [];
    for (let i = 0; i < bytes.length; i++) this.outputChar(bytes[i]!, out);
    return out;
  }

  /** do_output_char for one byte, appended to `out` (the echo path's hot loop: no array per byte). */
  private outputChar(input: number, out: number[]): void {
    const oflag = this.termios.oflag;
    let c = input;
    if ((oflag & OPOST) === 0) { out.push(c); return; }
    switch (c) {
      case 0x0a:
        if (oflag & ONLRET) this.column = 0;
        if (oflag & ONLCR) { this.column = 0; out.push(0x0d, 0x0a); return; }
        break;
      case 0x0d:
        if (oflag & ONOCR && this.column === 0) return;
        if (oflag & OCRNL) { c = 0x0a; if (oflag & ONLRET) this.column = 0; break; }
        this.column = 0;
        break;
      case 0x09: {
        const spaces = 8 - (this.column & 7);
        if ((oflag & TABDLY) === XTABS) { for (let s = 0; s < spaces; s++) out.push(0x20); this.column += spaces; return; }
        this.column += spaces;
        break;
      }
      case 0x08:
        if (this.column > 0) this.column--;
        break;
      default:
        if (oflag & OLCUC && c >= 0x61 && c <= 0x7a) c -= 0x20;
        if (!isControl(c)) this.column++;
    }
    out.push(c);
  }
}
