import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Timeline } from '../time/timeline.js';
import { Ps2Keyboard } from './ps2-keyboard.js';
import { VgaText, VGA_TEXT_BASE } from './vga-text.js';

function line() {
  return { level: false, edges: 0, set(level: boolean) { if (level && !this.level) this.edges++; this.level = level; }, pulse() { this.set(true); this.set(false); } };
}

test('8042: self-test 0x55, port test 0x00, configuration byte read and write (8042 command table)', () => {
  const irq = line();
  const kbc = new Ps2Keyboard(irq);
  kbc.out8(4, 0xaa);
  assert.equal(kbc.in8(4) & 1, 1, 'output buffer full');
  assert.equal(kbc.in8(0), 0x55);
  kbc.out8(4, 0xab);
  assert.equal(kbc.in8(0), 0x00);
  kbc.out8(4, 0x20);
  const config = kbc.in8(0);
  assert.equal(config & 0x01, 1, 'port 1 interrupt enabled');
  assert.equal(config & 0x40, 0x40, 'translation to set 1 on');
  kbc.out8(4, 0x60);
  kbc.out8(0, config & ~0x01);
  kbc.out8(4, 0x20);
  assert.equal(kbc.in8(0), config & ~0x01);
});

test('keyboard commands: reset answers ACK and BAT passed, echo, LEDs take a parameter, unknown → resend', () => {
  const kbc = new Ps2Keyboard(line());
  const read = (): number[] => { const out: number[] = []; while (kbc.in8(4) & 1) out.push(kbc.in8(0)); return out; };
  kbc.out8(0, 0xff);
  assert.deepEqual(read(), [0xfa, 0xaa]);
  kbc.out8(0, 0xee);
  assert.deepEqual(read(), [0xee]);
  kbc.out8(0, 0xed);
  kbc.out8(0, 0x07);
  assert.deepEqual(read(), [0xfa, 0xfa]);
  assert.equal(kbc.leds, 7);
  kbc.out8(0, 0xf2);
  assert.deepEqual(read(), [0xfa, 0xab, 0x41], 'identify through translation: MF2 keyboard');
  kbc.out8(0, 0x12);
  assert.deepEqual(read(), [0xfe]);
});

test('scancodes raise IRQ 1 once per byte and stop while the keyboard is disabled', () => {
  const irq = line();
  const kbc = new Ps2Keyboard(irq);
  kbc.press([0x1e, 0x9e]); // 'a' down and up
  assert.equal(irq.level, true);
  const before = irq.edges;
  assert.equal(kbc.in8(0), 0x1e);
  assert.equal(irq.edges, before + 1, 'the second byte is a new edge');
  assert.equal(kbc.in8(0), 0x9e);
  assert.equal(irq.level, false);
  kbc.out8(4, 0xad); // disable the keyboard port
  kbc.press([0x1e]);
  assert.equal(kbc.in8(4) & 1, 0);
});

test('VGA text: CRTC index/data ports hold the cursor location and shape; cells are RAM at 0xB8000', () => {
  const ram = new Uint8Array(new SharedArrayBuffer(1 << 20));
  const cpu = { instructionsRetired: 0, eventDeadline: Infinity, onEventDeadline: () => undefined };
  const rendered: { cursor: { row: number; column: number; visible: boolean }; first: number }[] = [];
  const vga = new VgaText(ram, new Timeline('virtual', cpu), {
    render: (cells, _columns, _rows, cursor) => rendered.push({ cursor: { ...cursor }, first: cells[0]! }),
  });
  // Ports relative to 0x3C0: 0x3D4 is +0x14, 0x3D5 is +0x15.
  vga.out8(0x14, 0x0e); vga.out8(0x15, 0x00);
  vga.out8(0x14, 0x0f); vga.out8(0x15, 81);
  assert.equal(vga.cursorOffset, 81);
  vga.out8(0x14, 0x0f);
  assert.equal(vga.in8(0x15), 81, 'CRTC registers read back');
  new Uint16Array(ram.buffer, VGA_TEXT_BASE, 1)[0] = 0x0741; // 'A', light grey on black
  vga.render();
  assert.deepEqual(rendered.at(-1), { cursor: { row: 1, column: 1, visible: true }, first: 0x0741 });
  vga.render();
  assert.equal(rendered.length, 1, 'nothing changed: nothing rendered');
  vga.out8(0x14, 0x0a); vga.out8(0x15, 0x20); // cursor disable (CRTC 0Ah bit 5)
  vga.render();
  assert.equal(rendered.at(-1)!.cursor.visible, false);
  assert.notEqual(vga.in8(0x1a) & 0x08, vga.in8(0x1a) & 0x08, 'input status #1 toggles its retrace bit for pollers');
});
