/**
 * The VGA text console (Linux's vgacon + the VT100 parts of drivers/tty/vt/vt.c):
 * tty1's output is parsed for control characters and ECMA-48 escape sequences
 * and drawn into the 80x25 frame buffer at 0xB8000 (char | attribute << 8),
 * with the hardware cursor moved through CRTC registers 0Eh/0Fh. Supported:
 * cursor motion (CUU/CUD/CUF/CUB/CNL/CPL/CHA/CUP/HVP/VPA), ED, EL, ICH, DCH,
 * ECH, IL, DL, SGR (bold, underline, blink, reverse, 8 colours), DECSTBM scroll
 * regions, IND/RI/NEL, DECSC/DECRC, DECTCEM, the alternate screen (?1049/?47)
 * and the cursor position report (DSR 6) that busybox vi asks for.
 */
import type { IoPorts, PhysicalMemory } from '../../hal/index.js';
import type { TtyDriver, TtyPort } from '../tty/index.js';

const COLUMNS = 80;
const ROWS = 25;
/** ANSI colour n is VGA colour ANSI_TO_VGA[n] (the VGA palette orders blue, green, red bits the other way). */
const ANSI_TO_VGA = [0, 4, 2, 6, 1, 5, 3, 7];
const DEFAULT_ATTRIBUTE = 0x07;

const enum ParseState { Normal, Escape, Csi }

export class VgaConsole implements TtyDriver {
  port: TtyPort | null = null;
  private readonly cells: Uint16Array;
  private row = 0;
  private column = 0;
  /** A character was written in the last column: the next printable one wraps first (xterm/vt100 deferred wrap). */
  private wrapPending = false;
  private top = 0;
  private bottom = ROWS - 1;
  private foreground = 7;
  private background = 0;
  private bold = false;
  private blink = false;
  private reverse = false;
  private underline = false;
  private saved = { row: 0, column: 0 };
  private alternate: Uint16Array | null = null;
  private cursorVisible = true;
  private state = ParseState.Normal;
  private parameters: number[] = [];
  private privateMarker = '';

  constructor(readonly name: string, memory: PhysicalMemory, base: number, private readonly ports: IoPorts) {
    this.cells = new Uint16Array(memory.buffer, base, COLUMNS * ROWS);
  }

  startup(): void {
    this.eraseCells(0, COLUMNS * ROWS);
    this.moveCursor();
  }

  /** The screen as text lines (trailing blanks trimmed): for tests and status. */
  text(): string[] {
    const lines: string[] = [];
    for (let r = 0; r < ROWS; r++) {
      let line = '';
      for (let c = 0; c < COLUMNS; c++) line += String.fromCharCode(this.cells[r * COLUMNS + c]! & 0xff);
      lines.push(line.replace(/[\s\0]+$/, ''));
    }
    return lines;
  }

  get cursor(): { row: number; column: number } { return { row: this.row, column: this.column }; }

  write(bytes: Uint8Array): number {
    for (const byte of bytes) this.put(byte);
    this.moveCursor();
    return bytes.length;
  }

  /** The screen takes everything at once: there is no queue. */
  writeRoom(): number { return 65536; }
  charsInBuffer(): number { return 0; }

  private attribute(): number {
    let foreground = this.foreground | (this.bold ? 8 : 0);
    let background = this.background | (this.blink ? 8 : 0);
    if (this.reverse) [foreground, background] = [background, foreground];
    // A colour card has no underline attribute; vgacon shows it as a colour (cyan), as Linux does.
    if (this.underline && !this.reverse) foreground = (foreground & 8) | 3;
    return (background << 4) | foreground;
  }

  /** Erased cells take the current colours, as vgacon's video_erase_char. */
  private blank(): number { return 0x20 | (this.attribute() << 8); }

  private put(byte: number): void {
    switch (this.state) {
      case ParseState.Escape: this.escape(byte); return;
      case ParseState.Csi: this.csi(byte); return;
      case ParseState.Normal: break;
    }
    switch (byte) {
      case 0x07: return; // BEL
      case 0x08: if (this.column > 0) this.column--; this.wrapPending = false; return;
      case 0x09: this.column = Math.min(COLUMNS - 1, (this.column + 8) & ~7); return;
      case 0x0a: case 0x0b: case 0x0c: this.lineFeed(); return;
      case 0x0d: this.column = 0; this.wrapPending = false; return;
      case 0x1b: this.state = ParseState.Escape; return;
      default: break;
    }
    if (byte < 0x20) return;
    if (this.wrapPending) { this.column = 0; this.lineFeed(); }
    this.cells[this.row * COLUMNS + this.column] = byte | (this.attribute() << 8);
    if (this.column === COLUMNS - 1) this.wrapPending = true;
    else this.column++;
  }

  private escape(byte: number): void {
    this.state = ParseState.Normal;
    switch (String.fromCharCode(byte)) {
      case '[': this.state = ParseState.Csi; this.parameters = []; this.privateMarker = ''; return;
      case '7': this.saved = { row: this.row, column: this.column }; return;
      case '8': this.setPosition(this.saved.row, this.saved.column); return;
      case 'D': this.lineFeed(); return;
      case 'E': this.column = 0; this.lineFeed(); return;
      case 'M': this.reverseIndex(); return;
      case 'c': this.reset(); return;
      default: return; // unknown or unsupported: dropped, as vt.c does
    }
  }

  private csi(byte: number): void {
    const ch = String.fromCharCode(byte);
    if (byte >= 0x30 && byte <= 0x39) {
      if (this.parameters.length === 0) this.parameters.push(0);
      const last = this.parameters.length - 1;
      this.parameters[last] = Math.min(9999, this.parameters[last]! * 10 + (byte - 0x30));
      return;
    }
    if (ch === ';') { if (this.parameters.length === 0) this.parameters.push(0); this.parameters.push(0); return; }
    if (ch === '?' || ch === '>' || ch === '=') { this.privateMarker = ch; return; }
    if (byte < 0x40 || byte > 0x7e) { if (byte === 0x18 || byte === 0x1a || byte === 0x1b) this.state = byte === 0x1b ? ParseState.Escape : ParseState.Normal; return; }
    this.state = ParseState.Normal;
    this.command(ch);
  }

  private command(ch: string): void {
    const p = this.parameters;
    const n = Math.max(1, p[0] ?? 1);
    if (this.privateMarker === '?') {
      const set = ch === 'h';
      if (ch !== 'h' && ch !== 'l') return;
      for (const mode of p) {
        if (mode === 25) this.cursorVisible = set;
        else if (mode === 1049 || mode === 47 || mode === 1047) this.alternateScreen(set);
      }
      return;
    }
    if (this.privateMarker !== '') return;
    switch (ch) {
      case 'A': this.setPosition(this.row - n, this.column); return;
      case 'B': case 'e': this.setPosition(this.row + n, this.column); return;
      case 'C': case 'a': this.setPosition(this.row, this.column + n); return;
      case 'D': this.setPosition(this.row, this.column - n); return;
      case 'E': this.setPosition(this.row + n, 0); return;
      case 'F': this.setPosition(this.row - n, 0); return;
      case 'G': case '`': this.setPosition(this.row, n - 1); return;
      case 'd': this.setPosition(n - 1, this.column); return;
      case 'H': case 'f': this.setPosition(Math.max(1, p[0] ?? 1) - 1, Math.max(1, p[1] ?? 1) - 1); return;
      case 'J': this.eraseDisplay(p[0] ?? 0); return;
      case 'K': this.eraseLine(p[0] ?? 0); return;
      case 'L': if (this.row >= this.top && this.row <= this.bottom) this.scrollDown(this.row, this.bottom, n); return;
      case 'M': if (this.row >= this.top && this.row <= this.bottom) this.scrollUp(this.row, this.bottom, n); return;
      case 'P': this.deleteCharacters(n); return;
      case '@': this.insertCharacters(n); return;
      case 'X': this.eraseCells(this.row * COLUMNS + this.column, Math.min(n, COLUMNS - this.column)); return;
      case 'S': this.scrollUp(this.top, this.bottom, n); return;
      case 'T': this.scrollDown(this.top, this.bottom, n); return;
      case 'm': this.selectGraphicRendition(p.length === 0 ? [0] : p); return;
      case 'r': {
        const top = Math.max(1, p[0] ?? 1) - 1;
        const bottom = Math.min(ROWS, p[1] || ROWS) - 1;
        if (top < bottom) { this.top = top; this.bottom = bottom; this.setPosition(0, 0); }
        return;
      }
      case 's': this.saved = { row: this.row, column: this.column }; return;
      case 'u': this.setPosition(this.saved.row, this.saved.column); return;
      case 'n':
        // Device status report: 5 = "terminal OK", 6 = cursor position (1-based), answered on the input side.
        if (p[0] === 5) this.port?.receive(new TextEncoder().encode('\x1b[0n'));
        else if (p[0] === 6) this.port?.receive(new TextEncoder().encode(`\x1b[${this.row + 1};${this.column + 1}R`));
        return;
      default: return;
    }
  }

  private selectGraphicRendition(parameters: number[]): void {
    for (const code of parameters) {
      if (code === 0) { this.foreground = 7; this.background = 0; this.bold = this.blink = this.reverse = this.underline = false; }
      else if (code === 1) this.bold = true;
      else if (code === 4) this.underline = true;
      else if (code === 5) this.blink = true;
      else if (code === 7) this.reverse = true;
      else if (code === 22) this.bold = false;
      else if (code === 24) this.underline = false;
      else if (code === 25) this.blink = false;
      else if (code === 27) this.reverse = false;
      else if (code >= 30 && code <= 37) this.foreground = ANSI_TO_VGA[code - 30]!;
      else if (code === 39) this.foreground = 7;
      else if (code >= 40 && code <= 47) this.background = ANSI_TO_VGA[code - 40]!;
      else if (code === 49) this.background = 0;
      else if (code >= 90 && code <= 97) { this.foreground = ANSI_TO_VGA[code - 90]!; this.bold = true; }
    }
  }

  private setPosition(row: number, column: number): void {
    this.row = Math.max(0, Math.min(ROWS - 1, row));
    this.column = Math.max(0, Math.min(COLUMNS - 1, column));
    this.wrapPending = false;
  }

  private lineFeed(): void {
    this.wrapPending = false;
    if (this.row === this.bottom) this.scrollUp(this.top, this.bottom, 1);
    else if (this.row < ROWS - 1) this.row++;
  }

  private reverseIndex(): void {
    if (this.row === this.top) this.scrollDown(this.top, this.bottom, 1);
    else if (this.row > 0) this.row--;
  }

  /** Moves rows top+n..bottom up by n and blanks the n rows at the bottom. */
  private scrollUp(top: number, bottom: number, n: number): void {
    n = Math.min(n, bottom - top + 1);
    this.cells.copyWithin(top * COLUMNS, (top + n) * COLUMNS, (bottom + 1) * COLUMNS);
    this.eraseCells((bottom + 1 - n) * COLUMNS, n * COLUMNS);
  }

  private scrollDown(top: number, bottom: number, n: number): void {
    n = Math.min(n, bottom - top + 1);
    this.cells.copyWithin((top + n) * COLUMNS, top * COLUMNS, (bottom + 1 - n) * COLUMNS);
    this.eraseCells(top * COLUMNS, n * COLUMNS);
  }

  private eraseCells(start: number, count: number): void {
    this.cells.fill(this.blank(), start, start + count);
  }

  private eraseDisplay(mode: number): void {
    const here = this.row * COLUMNS + this.column;
    if (mode === 0) this.eraseCells(here, COLUMNS * ROWS - here);
    else if (mode === 1) this.eraseCells(0, here + 1);
    else this.eraseCells(0, COLUMNS * ROWS);
  }

  private eraseLine(mode: number): void {
    const start = this.row * COLUMNS;
    if (mode === 0) this.eraseCells(start + this.column, COLUMNS - this.column);
    else if (mode === 1) this.eraseCells(start, this.column + 1);
    else this.eraseCells(start, COLUMNS);
  }

  private deleteCharacters(n: number): void {
    const start = this.row * COLUMNS;
    n = Math.min(n, COLUMNS - this.column);
    this.cells.copyWithin(start + this.column, start + this.column + n, start + COLUMNS);
    this.eraseCells(start + COLUMNS - n, n);
  }

  private insertCharacters(n: number): void {
    const start = this.row * COLUMNS;
    n = Math.min(n, COLUMNS - this.column);
    this.cells.copyWithin(start + this.column + n, start + this.column, start + COLUMNS - n);
    this.eraseCells(start + this.column, n);
  }

  private alternateScreen(enter: boolean): void {
    if (enter && !this.alternate) {
      this.alternate = this.cells.slice();
      this.saved = { row: this.row, column: this.column };
      this.eraseCells(0, COLUMNS * ROWS);
    } else if (!enter && this.alternate) {
      this.cells.set(this.alternate);
      this.alternate = null;
      this.setPosition(this.saved.row, this.saved.column);
    }
  }

  private reset(): void {
    this.foreground = 7; this.background = 0; this.bold = this.blink = this.reverse = this.underline = false;
    this.top = 0; this.bottom = ROWS - 1;
    this.cursorVisible = true;
    this.eraseCells(0, COLUMNS * ROWS);
    this.setPosition(0, 0);
  }

  /** The hardware cursor (CRTC 0Eh/0Fh) and its enable bit (0Ah bit 5). */
  private moveCursor(): void {
    const offset = this.row * COLUMNS + this.column;
    const io = this.ports;
    io.out8(0x3d4, 0x0a);
    io.out8(0x3d5, this.cursorVisible ? 0x0d : 0x20);
    io.out8(0x3d4, 0x0e);
    io.out8(0x3d5, offset >>> 8);
    io.out8(0x3d4, 0x0f);
    io.out8(0x3d5, offset & 0xff);
  }
}

/** The default attribute (light grey on black), for tests. */
export const VGA_DEFAULT_ATTRIBUTE = DEFAULT_ATTRIBUTE;
