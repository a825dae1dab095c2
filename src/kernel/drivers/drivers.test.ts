import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IoPorts, PhysicalMemory } from '../../hal/index.js';
import { KeyboardDriver } from './keyboard.js';
import { VgaConsole } from './vga-console.js';

/** Ports that remember CRTC writes (0x3D4/0x3D5) and nothing else. */
function fakePorts(): IoPorts & { crtc: number[] } {
  let index = 0;
  const crtc = new Array<number>(32).fill(0);
  return {
    crtc,
    in8: () => 0xff, in16: () => 0xffff, in32: () => 0xffffffff,
    out8: (port, value) => { if (port === 0x3d4) index = value; else if (port === 0x3d5) crtc[index] = value; },
    out16: () => undefined, out32: () => undefined, insw: () => undefined, outsw: () => undefined,
  };
}

function vgaConsole() {
  const buffer = new SharedArrayBuffer(1 << 20);
  const memory: PhysicalMemory = { buffer, size: buffer.byteLength, map: [] };
  const ports = fakePorts();
  const console = new VgaConsole('tty1', memory, 0xb8000, ports);
  const replies: string[] = [];
  console.port = { receive: (bytes) => replies.push(new TextDecoder().decode(bytes)), receiveRoom: () => 4096, writeWakeup: () => undefined, hangup: () => undefined, resize: () => undefined };
  console.startup();
  const cells = new Uint16Array(buffer, 0xb8000, 80 * 25);
  const write = (text: string): void => { console.write(new TextEncoder().encode(text)); };
  return { console, cells, ports, write, replies };
}

test('VGA console: text, CR/LF, wrap at column 80 and scrolling at the bottom', () => {
  const { console, write } = vgaConsole();
  write('hello\r\nworld');
  assert.deepEqual(console.text().slice(0, 2), ['hello', 'world']);
  write('\r\n' + 'x'.repeat(81));
  assert.equal(console.text()[2], 'x'.repeat(80));
  assert.equal(console.text()[3], 'x');
  for (let i = 0; i < 30; i++) write(`\r\nline ${i}`);
  assert.equal(console.text()[24], 'line 29');
  assert.equal(console.text()[0], 'line 5');
});

test('VGA console: cursor motion, erase in line/display, insert/delete characters, and the hardware cursor', () => {
  const { console, write, ports } = vgaConsole();
  write('abcdef\x1b[1;3H'); // CUP row 1 column 3
  assert.deepEqual(console.cursor, { row: 0, column: 2 });
  assert.equal((ports.crtc[0x0e]! << 8) | ports.crtc[0x0f]!, 2, 'CRTC 0Eh/0Fh follow the cursor');
  write('\x1b[K');
  assert.equal(console.text()[0], 'ab');
  write('\x1b[5;10HXY\x1b[2D\x1b[@');
  assert.equal(console.text()[4], ' '.repeat(10) + 'XY', 'ICH shifts the rest of the line right');
  write('\x1b[P');
  assert.equal(console.text()[4], '         XY');
  write('\x1b[2J\x1b[H');
  assert.ok(console.text().every((line) => line === ''));
  assert.deepEqual(console.cursor, { row: 0, column: 0 });
});

test('VGA console: SGR colours become VGA attributes (ANSI red is VGA 4), reverse swaps them', () => {
  const { write, cells } = vgaConsole();
  write('\x1b[31;44mA\x1b[0mB\x1b[7mC\x1b[1;32mD');
  assert.equal(cells[0]! >>> 8, (1 << 4) | 4, 'red on blue');
  assert.equal(cells[1]! >>> 8, 0x07);
  assert.equal(cells[2]! >>> 8, 0x70, 'reverse video');
  assert.equal(cells[3]! >>> 8, (0x0a << 4) | 0, 'bold green, reversed');
});

test('VGA console: scroll regions (DECSTBM), reverse index, insert/delete lines', () => {
  const { console, write } = vgaConsole();
  for (let i = 0; i < 25; i++) write(`\x1b[${i + 1};1Hrow${i}`);
  write('\x1b[5;10r\x1b[10;1H\n'); // region rows 5-10, LF at its bottom scrolls only the region
  const text = console.text();
  assert.equal(text[3], 'row3');
  assert.equal(text[4], 'row5');
  assert.equal(text[9], '');
  assert.equal(text[10], 'row10');
  write('\x1b[5;1H\x1bM'); // RI at the top of the region scrolls it down
  assert.equal(console.text()[4], '');
  assert.equal(console.text()[5], 'row5');
  write('\x1b[r\x1b[1;1H\x1b[2M');
  assert.equal(console.text()[0], 'row2');
});

test('VGA console: the cursor position report answers on the input side; broken sequences are dropped', () => {
  const { console, write, replies } = vgaConsole();
  write('\x1b[3;7H\x1b[6n');
  assert.deepEqual(replies, ['\x1b[3;7R']);
  write('\x1b[\x1b[999;999Hok\x1b]\x1b[?');
  // CUP is clamped to row 25 column 80; 'o' fills the last column and 'k' wraps, scrolling the screen.
  assert.equal(console.text()[23]?.endsWith('o'), true);
  assert.equal(console.text()[24], 'k');
});

test('keyboard: set 1 scancodes with shift, caps lock, ctrl, alt and the cursor keys', () => {
  const typed: string[] = [];
  const keyboard = new KeyboardDriver(fakePorts(), (bytes) => typed.push(new TextDecoder().decode(bytes)));
  const press = (...codes: number[]): string => codes.map((c) => new TextDecoder().decode(keyboard.scancode(c))).join('');
  assert.equal(press(0x23, 0xa3, 0x17, 0x97), 'hi');
  assert.equal(press(0x2a, 0x23, 0xa3, 0xaa, 0x02), 'H1');
  assert.equal(press(0x3a, 0xba, 0x1e, 0x2a, 0x1e, 0xaa, 0x3a, 0xba), 'Aa', 'caps lock with shift gives lower case');
  assert.equal(press(0x1d, 0x2e, 0x9d), '\x03', 'ctrl-c');
  assert.equal(press(0x38, 0x30, 0xb8), '\x1bb', 'alt-b sends ESC b');
  assert.equal(press(0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0x4b), '\x1b[A\x1b[D');
  assert.equal(press(0x1c, 0x0e), '\r\x7f', 'Enter is CR, Backspace is DEL as on a Linux VT');
  assert.deepEqual(typed, []);
});
