/**
 * The PS/2 keyboard driver (Linux's drivers/input/keyboard/atkbd.c with the
 * US keymap of drivers/tty/vt/defkeymap.map, reduced): reads scancode set 1
 * from the 8042 on IRQ 1, tracks shift, ctrl, alt and caps lock, and hands
 * the console the bytes a Linux VT sends — control characters for ctrl,
 * ESC-prefixed bytes for alt (meta), and VT escape sequences for the cursor
 * and editing keys (ESC [ A ..., ESC [ 1 ~ for Home as the linux terminfo has it).
 */
import type { IoPorts } from '../../hal/index.js';

const DATA = 0x60;
const STATUS = 0x64;
const OUTPUT_FULL = 0x01;

// Scancode set 1, make codes 0x00-0x39: [unshifted, shifted] (IBM PC AT US layout).
const KEYS: Record<number, [string, string]> = {
  0x01: ['\x1b', '\x1b'], 0x02: ['1', '!'], 0x03: ['2', '@'], 0x04: ['3', '#'], 0x05: ['4', '$'], 0x06: ['5', '%'],
  0x07: ['6', '^'], 0x08: ['7', '&'], 0x09: ['8', '*'], 0x0a: ['9', '('], 0x0b: ['0', ')'], 0x0c: ['-', '_'],
  0x0d: ['=', '+'], 0x0e: ['\x7f', '\x7f'], 0x0f: ['\t', '\t'], 0x10: ['q', 'Q'], 0x11: ['w', 'W'], 0x12: ['e', 'E'],
  0x13: ['r', 'R'], 0x14: ['t', 'T'], 0x15: ['y', 'Y'], 0x16: ['u', 'U'], 0x17: ['i', 'I'], 0x18: ['o', 'O'],
  0x19: ['p', 'P'], 0x1a: ['[', '{'], 0x1b: [']', '}'], 0x1c: ['\r', '\r'], 0x1e: ['a', 'A'], 0x1f: ['s', 'S'],
  0x20: ['d', 'D'], 0x21: ['f', 'F'], 0x22: ['g', 'G'], 0x23: ['h', 'H'], 0x24: ['j', 'J'], 0x25: ['k', 'K'],
  0x26: ['l', 'L'], 0x27: [';', ':'], 0x28: ["'", '"'], 0x29: ['`', '~'], 0x2b: ['\\', '|'], 0x2c: ['z', 'Z'],
  0x2d: ['x', 'X'], 0x2e: ['c', 'C'], 0x2f: ['v', 'V'], 0x30: ['b', 'B'], 0x31: ['n', 'N'], 0x32: ['m', 'M'],
  0x33: [',', '<'], 0x34: ['.', '>'], 0x35: ['/', '?'], 0x37: ['*', '*'], 0x39: [' ', ' '],
};

/** Keys after the 0xE0 prefix, as the linux console sends them (terminfo "linux"). */
const EXTENDED: Record<number, string> = {
  0x48: '\x1b[A', 0x50: '\x1b[B', 0x4d: '\x1b[C', 0x4b: '\x1b[D', 0x47: '\x1b[1~', 0x4f: '\x1b[4~',
  0x49: '\x1b[5~', 0x51: '\x1b[6~', 0x52: '\x1b[2~', 0x53: '\x1b[3~', 0x1c: '\r', 0x35: '/',
};

const LEFT_SHIFT = 0x2a;
const RIGHT_SHIFT = 0x36;
const CTRL = 0x1d;
const ALT = 0x38;
const CAPS_LOCK = 0x3a;

export class KeyboardDriver {
  private shift = false;
  private ctrl = false;
  private alt = false;
  private capsLock = false;
  private extended = false;

  constructor(private readonly ports: IoPorts, private readonly deliver: (bytes: Uint8Array) => void) {}

  /** Empties the controller's output buffer and enables scanning (the controller's defaults suit: IRQ on, translation on). */
  startup(): void {
    for (let i = 0; i < 16 && (this.ports.in8(STATUS) & OUTPUT_FULL) !== 0; i++) this.ports.in8(DATA);
    this.ports.out8(DATA, 0xf4);
    for (let i = 0; i < 4 && (this.ports.in8(STATUS) & OUTPUT_FULL) !== 0; i++) this.ports.in8(DATA);
  }

  interrupt(): void {
    for (let i = 0; i < 16 && (this.ports.in8(STATUS) & OUTPUT_FULL) !== 0; i++) {
      const bytes = this.scancode(this.ports.in8(DATA));
      if (bytes.length > 0) this.deliver(bytes);
    }
  }

  /** One scancode → the bytes it types (none for modifiers, releases and prefixes). */
  scancode(code: number): Uint8Array {
    if (code === 0xe0) { this.extended = true; return new Uint8Array(0); }
    // ACK and echo replies; 0xAA is not among them: in set 1 it is also left shift's break code.
    if (code === 0xfa || code === 0xee) return new Uint8Array(0);
    const extended = this.extended;
    this.extended = false;
    const release = (code & 0x80) !== 0;
    const key = code & 0x7f;
    if (key === LEFT_SHIFT || key === RIGHT_SHIFT) { if (!extended) this.shift = !release; return new Uint8Array(0); }
    if (key === CTRL) { this.ctrl = !release; return new Uint8Array(0); }
    if (key === ALT) { this.alt = !release; return new Uint8Array(0); }
    if (release) return new Uint8Array(0);
    if (key === CAPS_LOCK) { this.capsLock = !this.capsLock; return new Uint8Array(0); }
    let text: string | undefined;
    if (extended) text = EXTENDED[key];
    else {
      const pair = KEYS[key];
      if (pair) {
        const letter = /[a-z]/.test(pair[0]);
        text = (this.shift !== (letter && this.capsLock)) ? pair[1] : pair[0];
        if (this.ctrl) text = controlOf(text);
      }
    }
    if (text === undefined) return new Uint8Array(0);
    if (this.alt) text = '\x1b' + text; // meta sends ESC first (vt's "meta key sends escape")
    return new TextEncoder().encode(text);
  }
}

/** Ctrl+key: @ A-Z [ \ ] ^ _ map to 0x00-0x1f, '?' to DEL, '2' to NUL, as the linux keymap has them. */
function controlOf(text: string): string {
  const code = text.toUpperCase().charCodeAt(0);
  if (code >= 0x40 && code <= 0x5f) return String.fromCharCode(code & 0x1f);
  if (text === '?') return '\x7f';
  if (text === ' ' || text === '2') return '\0';
  return text;
}
