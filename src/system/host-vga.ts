/**
 * The VGA text screen and the PS/2 keyboard on a host terminal, for
 * `ir0 boot --cmdline console=tty1`: the display backend redraws the rows
 * that changed as ANSI text (VGA attributes → SGR colours), and the keyboard
 * backend turns the bytes typed at the host terminal into set 1 scancodes,
 * as if a PC keyboard were pressed (US layout; ctrl letters, ESC [ arrows).
 */
import type { DisplayBackend, KeyboardBackend } from '../hal/index.js';

/** VGA colour n is ANSI colour VGA_TO_ANSI[n]. */
const VGA_TO_ANSI = [0, 4, 2, 6, 1, 5, 3, 7];

/** SGR for a VGA attribute byte: bright foreground as bold, background without its blink bit; 0x07 is the default. */
function sgr(attribute: number): string {
  // The console's normal colours (light grey on black) show as the terminal's own defaults.
  if (attribute === 0x07) return '\x1b[0m';
  const foreground = attribute & 0x0f;
  const background = (attribute >>> 4) & 0x07;
  return `\x1b[0;${foreground & 8 ? '1;' : ''}${30 + VGA_TO_ANSI[foreground & 7]!};${40 + VGA_TO_ANSI[background]!}m`;
}

export function terminalDisplay(write: (bytes: Uint8Array) => void): DisplayBackend {
  let shown: Uint16Array | null = null;
  const encoder = new TextEncoder();
  return {
    render(cells, columns, rows, cursor) {
      let out = '\x1b[?25l';
      for (let row = 0; row < rows; row++) {
        const start = row * columns;
        if (shown) {
          let same = true;
          for (let c = 0; same && c < columns; c++) same = shown[start + c] === cells[start + c];
          if (same) continue;
        }
        out += `\x1b[${row + 1};1H`;
        // Trailing blanks in the normal colours are erased (EL), not written: the terminal keeps them empty cells.
        let end = columns;
        while (end > 0 && ((cells[start + end - 1]! & 0xff) === 0x20 || (cells[start + end - 1]! & 0xff) === 0) && cells[start + end - 1]! >>> 8 === 0x07) end--;
        let attribute = -1;
        for (let c = 0; c < end; c++) {
          const cell = cells[start + c]!;
          if (cell >>> 8 !== attribute) { attribute = cell >>> 8; out += sgr(attribute); }
          const code = cell & 0xff;
          out += code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : code === 0 ? ' ' : '?';
        }
        out += '\x1b[0m\x1b[K';
      }
      shown = cells.slice();
      out += `\x1b[0m\x1b[${cursor.row + 1};${cursor.column + 1}H${cursor.visible ? '\x1b[?25h' : ''}`;
      write(encoder.encode(out));
    },
  };
}

// Set 1 make codes of the US layout: the unshifted and the shifted character of each key.
const ROWS: [number, string, string][] = [
  [0x02, '1234567890-=', '!@#$%^&*()_+'], [0x10, 'qwertyuiop[]', 'QWERTYUIOP{}'], [0x1e, "asdfghjkl;'`", 'ASDFGHJKL:"~'],
  [0x2b, '\\zxcvbnm,./', '|ZXCVBNM<>?'],
];
const LEFT_SHIFT = 0x2a;
const CTRL = 0x1d;

/** The scancodes that type `byte`; empty for bytes no key makes. */
export function scancodesOf(byte: number): number[] {
  const press = (code: number): number[] => [code, code | 0x80];
  const ch = String.fromCharCode(byte);
  switch (byte) {
    case 0x0d: case 0x0a: return press(0x1c);
    case 0x7f: case 0x08: return press(0x0e);
    case 0x09: return press(0x0f);
    case 0x1b: return press(0x01);
    case 0x20: return press(0x39);
    default: break;
  }
  for (const [first, plain, shifted] of ROWS) {
    const index = plain.indexOf(ch);
    if (index >= 0) return press(first + index);
    const upper = shifted.indexOf(ch);
    if (upper >= 0) return [LEFT_SHIFT, ...press(first + upper), LEFT_SHIFT | 0x80];
  }
  if (byte >= 1 && byte <= 26) {
    // Ctrl-letter: hold ctrl, press the letter.
    const letter = scancodesOf(0x60 + byte);
    return [CTRL, ...letter, CTRL | 0x80];
  }
  return [];
}

/** A keyboard fed from `read` (the console channel's ring); ESC [ A-D become the cursor keys. */
export function terminalKeyboard(read: () => Uint8Array | null): KeyboardBackend {
  let deliver: (codes: Uint8Array) => void = () => undefined;
  const arrows: Record<string, number> = { A: 0x48, B: 0x50, C: 0x4d, D: 0x4b, H: 0x47, F: 0x4f };
  return {
    connect: (callback) => { deliver = callback; },
    poll: () => {
      const bytes = read();
      if (!bytes) return;
      const codes: number[] = [];
      for (let i = 0; i < bytes.length; i++) {
        const arrow = bytes[i] === 0x1b && bytes[i + 1] === 0x5b ? arrows[String.fromCharCode(bytes[i + 2] ?? 0)] : undefined;
        if (arrow !== undefined) { codes.push(0xe0, arrow, 0xe0, arrow | 0x80); i += 2; continue; }
        codes.push(...scancodesOf(bytes[i]!));
      }
      if (codes.length > 0) deliver(Uint8Array.from(codes));
    },
  };
}
