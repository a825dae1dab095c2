/**
 * VGA in 80x25 colour text mode: the frame buffer is RAM at 0xB8000 (one
 * 16-bit cell per character: code point | attribute << 8), the CRT
 * controller's index/data ports 0x3D4/0x3D5 hold the cursor shape, the start
 * address and the cursor location, 0x3DA is input status #1. The screen is
 * handed to a DisplayBackend at most every REFRESH_NS of machine time, and
 * only when a cell or the cursor changed.
 * Registers: IBM VGA Technical Reference, CRT Controller Registers 0Ah-0Fh.
 */
import type { DisplayBackend } from '../../hal/platform.js';
import type { PortDevice } from '../bus/io-bus.js';
import type { Timeline, TimelineEvent } from '../time/timeline.js';

export const VGA_TEXT_BASE = 0xb8000;
export const VGA_COLUMNS = 80;
export const VGA_ROWS = 25;
const REFRESH_NS = 16_000_000;

const CRTC_CURSOR_START = 0x0a;
const CRTC_CURSOR_END = 0x0b;
const CRTC_START_HIGH = 0x0c;
const CRTC_START_LOW = 0x0d;
const CRTC_CURSOR_HIGH = 0x0e;
const CRTC_CURSOR_LOW = 0x0f;

/** Ports 0x3C0-0x3DF: the CRT controller at +0x14/+0x15, input status #1 at +0x1A, misc output at +0x02/+0x0C. */
export class VgaText implements PortDevice {
  /** CRT controller registers 0x00-0x18. */
  readonly crtc = new Uint8Array(0x19);
  private crtcIndex = 0;
  private miscOutput = 0x67;
  private retraceToggle = 0;
  private readonly cells: Uint16Array;
  private readonly shown = new Uint16Array(VGA_COLUMNS * VGA_ROWS);
  private shownCursor = -1;
  private readonly refresh: TimelineEvent;

  constructor(ram: Uint8Array, private readonly timeline: Timeline, private readonly backend?: DisplayBackend) {
    this.cells = new Uint16Array(ram.buffer, ram.byteOffset + VGA_TEXT_BASE, VGA_COLUMNS * VGA_ROWS);
    this.crtc[CRTC_CURSOR_START] = 0x0d; // the BIOS's underline cursor, scan lines 13-14
    this.crtc[CRTC_CURSOR_END] = 0x0e;
    this.shown.fill(0xffff);
    this.refresh = timeline.event('vga-refresh', () => this.render());
    if (backend) timeline.schedule(this.refresh, REFRESH_NS);
  }

  in8(offset: number): number {
    switch (offset) {
      case 0x14: return this.crtcIndex;
      case 0x15: return this.crtcIndex < this.crtc.length ? this.crtc[this.crtcIndex]! : 0xff;
      case 0x0c: return this.miscOutput;
      case 0x1a:
        // Input status #1: bit 0 display disabled (in a retrace), bit 3 vertical retrace. Programs poll it; let it toggle.
        this.retraceToggle ^= 0x09;
        return this.retraceToggle;
      default: return 0xff;
    }
  }

  out8(offset: number, value: number): void {
    switch (offset) {
      case 0x14: this.crtcIndex = value & 0x1f; return;
      case 0x15: if (this.crtcIndex < this.crtc.length) this.crtc[this.crtcIndex] = value; return;
      case 0x02: this.miscOutput = value; return;
      default: return;
    }
  }

  /** Cursor cell offset from the start of the frame buffer (CRTC 0Eh/0Fh). */
  get cursorOffset(): number {
    return (this.crtc[CRTC_CURSOR_HIGH]! << 8) | this.crtc[CRTC_CURSOR_LOW]!;
  }

  get cursorVisible(): boolean {
    return (this.crtc[CRTC_CURSOR_START]! & 0x20) === 0;
  }

  /** The 80x25 cells shown from the start address (CRTC 0Ch/0Dh), wrapping in the 32 KiB window. */
  screen(): Uint16Array {
    const start = (this.crtc[CRTC_START_HIGH]! << 8) | this.crtc[CRTC_START_LOW]!;
    if (start === 0) return this.cells;
    const out = new Uint16Array(VGA_COLUMNS * VGA_ROWS);
    const window = new Uint16Array(this.cells.buffer, this.cells.byteOffset, 0x4000);
    for (let i = 0; i < out.length; i++) out[i] = window[(start + i) & 0x3fff]!;
    return out;
  }

  /** Shows the screen on the backend if anything changed since the last time. */
  render(): void {
    this.timeline.schedule(this.refresh, this.timeline.now() + REFRESH_NS);
    if (!this.backend) return;
    const cells = this.screen();
    const cursor = this.cursorVisible ? this.cursorOffset : -1;
    let same = cursor === this.shownCursor;
    for (let i = 0; same && i < cells.length; i++) same = cells[i] === this.shown[i];
    if (same) return;
    this.shown.set(cells);
    this.shownCursor = cursor;
    const start = (this.crtc[CRTC_START_HIGH]! << 8) | this.crtc[CRTC_START_LOW]!;
    const relative = cursor - start;
    this.backend.render(this.shown, VGA_COLUMNS, VGA_ROWS, {
      row: Math.floor(relative / VGA_COLUMNS), column: relative % VGA_COLUMNS, visible: cursor >= 0 && relative >= 0 && relative < cells.length,
    });
  }
}
