/**
 * The 8042 PS/2 controller with a keyboard on its first port: data at 0x60,
 * status (read) and commands (write) at 0x64, IRQ 1 while the output buffer
 * is full and the configuration byte enables it. The keyboard answers its
 * commands (reset, enable, LEDs, scancode set, identify, echo) and sends the
 * host's scancodes, set 1 (what the controller hands the CPU with
 * translation on). Sources: IBM PS/2 Hardware Interface Technical Reference
 * (8042 keyboard controller), the OSDev "8042" and "PS/2 Keyboard" command tables.
 */
import type { KeyboardBackend } from '../../hal/platform.js';
import type { IrqLine } from '../interrupts/irq.js';
import type { PortDevice } from '../bus/io-bus.js';

const STATUS_OUTPUT_FULL = 0x01;
const STATUS_SYSTEM = 0x04;
const STATUS_COMMAND = 0x08;
const STATUS_UNLOCKED = 0x10;

const CONFIG_PORT1_IRQ = 0x01;
const CONFIG_SYSTEM = 0x04;
const CONFIG_PORT1_CLOCK_OFF = 0x10;
const CONFIG_TRANSLATE = 0x40;

const ACK = 0xfa;
/** Scancodes held while the guest does not read them (the keyboard's own buffer is 16 bytes; the host side is larger). */
const QUEUE_LIMIT = 4096;

export class Ps2Keyboard implements PortDevice {
  private readonly output: number[] = [];
  private config = CONFIG_PORT1_IRQ | CONFIG_SYSTEM | CONFIG_TRANSLATE;
  /** A controller command waiting for its data byte at 0x60 (0x60 write config, 0xD1 output port...). */
  private pendingControllerCommand = 0;
  /** A keyboard command waiting for its parameter (0xED LEDs, 0xF0 scancode set, 0xF3 typematic). */
  private pendingKeyboardCommand = 0;
  private scanning = true;
  private lastWasCommand = false;
  leds = 0;
  scancodeSet = 2;
  private level = false;

  constructor(private readonly irq: IrqLine, backend?: KeyboardBackend, private readonly onReset?: () => void) {
    backend?.connect((codes) => { if (this.scanning && (this.config & CONFIG_PORT1_CLOCK_OFF) === 0) for (const code of codes) this.enqueue(code); });
  }

  /** Scancodes from the host keyboard (also what tests call). */
  press(codes: readonly number[]): void {
    if (!this.scanning || (this.config & CONFIG_PORT1_CLOCK_OFF) !== 0) return;
    for (const code of codes) this.enqueue(code);
  }

  in8(offset: number): number {
    if (offset === 0) {
      const value = this.output.shift() ?? 0;
      this.update();
      return value;
    }
    if (offset === 4) {
      return (this.output.length > 0 ? STATUS_OUTPUT_FULL : 0) | STATUS_UNLOCKED | ((this.config & CONFIG_SYSTEM) ? STATUS_SYSTEM : 0)
        | (this.lastWasCommand ? STATUS_COMMAND : 0);
    }
    return 0xff;
  }

  out8(offset: number, value: number): void {
    if (offset === 4) { this.lastWasCommand = true; this.controllerCommand(value); return; }
    if (offset !== 0) return;
    this.lastWasCommand = false;
    const pending = this.pendingControllerCommand;
    if (pending !== 0) {
      this.pendingControllerCommand = 0;
      if (pending === 0x60) { this.config = value; this.update(); }
      else if (pending === 0xd1 && (value & 1) === 0) this.onReset?.();
      else if (pending === 0xd2) this.enqueue(value);
      return;
    }
    this.keyboardCommand(value);
  }

  private controllerCommand(command: number): void {
    switch (command) {
      case 0x20: this.enqueue(this.config); return; // read configuration byte
      case 0x60: case 0xd1: case 0xd2: this.pendingControllerCommand = command; return;
      case 0xa7: return; // disable port 2 (there is none)
      case 0xa8: return;
      case 0xa9: this.enqueue(0x01); return; // test port 2: clock line stuck low (no mouse)
      case 0xaa: this.config |= CONFIG_SYSTEM; this.enqueue(0x55); return; // self-test passed
      case 0xab: this.enqueue(0x00); return; // port 1 test passed
      case 0xad: this.config |= CONFIG_PORT1_CLOCK_OFF; return;
      case 0xae: this.config &= ~CONFIG_PORT1_CLOCK_OFF; return;
      case 0xd0: this.enqueue(0x02 | 0x01); return; // output port: A20 on, not in reset
      case 0xfe: this.onReset?.(); return; // pulse the reset line
      default: return;
    }
  }

  private keyboardCommand(byte: number): void {
    const pending = this.pendingKeyboardCommand;
    if (pending !== 0) {
      this.pendingKeyboardCommand = 0;
      if (pending === 0xed) this.leds = byte & 7;
      else if (pending === 0xf0) {
        if (byte === 0) { this.enqueue(ACK); this.enqueue(this.translate(this.scancodeSet)); return; }
        this.scancodeSet = byte;
      }
      this.enqueue(ACK);
      return;
    }
    switch (byte) {
      case 0xed: case 0xf0: case 0xf3: this.pendingKeyboardCommand = byte; this.enqueue(ACK); return;
      case 0xee: this.enqueue(0xee); return; // echo
      case 0xf2: this.enqueue(ACK); this.enqueue(0xab); this.enqueue((this.config & CONFIG_TRANSLATE) ? 0x41 : 0x83); return;
      case 0xf4: this.scanning = true; this.enqueue(ACK); return;
      case 0xf5: this.scanning = false; this.enqueue(ACK); return; // disable, restore defaults
      case 0xf6: this.enqueue(ACK); return;
      case 0xff: this.output.length = 0; this.scanning = true; this.enqueue(ACK); this.enqueue(0xaa); return; // reset, BAT passed
      default: this.enqueue(0xfe); return; // resend: unknown command
    }
  }

  /** Set numbers as the controller reports them through translation (set 2 reads as 0x41 translated...): kept simple, raw. */
  private translate(set: number): number {
    return set;
  }

  private enqueue(byte: number): void {
    if (this.output.length >= QUEUE_LIMIT) return;
    this.output.push(byte & 0xff);
    this.update();
  }

  private update(): void {
    // Each byte in the output buffer is a new interrupt; drop the line between bytes so the edge-triggered 8259 sees one per byte.
    const level = this.output.length > 0 && (this.config & CONFIG_PORT1_IRQ) !== 0;
    if (level && this.level) { this.irq.set(false); }
    this.level = level;
    this.irq.set(level);
  }
}
