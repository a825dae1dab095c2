/**
 * Character-device drivers under the TTY layer: the 16550A serial ports
 * (ttyS0, ttyS1), the VGA text console with the PS/2 keyboard (tty1), and the
 * paravirtual console size. `startConsoleDrivers` probes what the firmware
 * tables list, registers each tty and its IRQ, and picks /dev/console from
 * `console=` (Linux's console= parameter; default ttyS0).
 */
import type { PhysicalMemory, Platform } from '../../hal/index.js';
import type { Interrupts } from '../irq/index.js';
import type { Klog } from '../log/index.js';
import type { TtyRegistry } from '../tty/index.js';
import { ConsoleSizeDriver } from './console-size.js';
import { probeUart, Serial8250 } from './serial8250.js';
import { VgaConsole } from './vga-console.js';
import { KeyboardDriver } from './keyboard.js';

export { Serial8250, probeUart } from './serial8250.js';
export { VgaConsole } from './vga-console.js';
export { KeyboardDriver } from './keyboard.js';

/** Linux's device numbers (Documentation/admin-guide/devices.txt): tty1 is 4:1, ttyS0 is 4:64. */
const TTY_MAJOR = 4;
const SERIAL_MINOR_BASE = 64;
/** The ISA IRQs of COM1-COM4. */
const SERIAL_IRQS = [4, 3, 4, 3];

export interface DriverContext {
  readonly platform: Platform;
  readonly interrupts: Interrupts;
  readonly memory: PhysicalMemory;
  readonly ttys: TtyRegistry;
  readonly log: Klog;
  /** console= from the command line: "ttyS0", "ttyS1,115200" or "tty1"; empty: leave /dev/console alone. */
  readonly console: string;
}

export interface ConsoleDrivers {
  readonly serial: readonly Serial8250[];
  readonly vga: VgaConsole | null;
  readonly keyboard: KeyboardDriver | null;
  readonly consoleName: string;
}

export function startConsoleDrivers(context: DriverContext): ConsoleDrivers {
  const { platform, interrupts, ttys, log } = context;
  const firmware = platform.firmware;
  const serial: Serial8250[] = [];
  firmware.serialPorts.forEach((base, index) => {
    if (!probeUart(platform.ports, base)) return;
    const driver = new Serial8250(`ttyS${index}`, platform.ports, base);
    driver.port = ttys.register(driver, TTY_MAJOR, SERIAL_MINOR_BASE + index);
    driver.startup();
    interrupts.request(SERIAL_IRQS[index]!, driver.name, () => driver.interrupt());
    serial.push(driver);
    log.ok(`serial8250: ${driver.name} at I/O 0x${base.toString(16)} (irq = ${SERIAL_IRQS[index]}) is a 16550A`);
  });
  let vga: VgaConsole | null = null;
  let keyboard: KeyboardDriver | null = null;
  if (firmware.vgaText !== undefined) {
    vga = new VgaConsole('tty1', context.memory, firmware.vgaText, platform.ports);
    vga.port = ttys.register(vga, TTY_MAJOR, 1);
    vga.startup();
    log.ok('console: colour VGA+ 80x25 on tty1');
    if (firmware.ps2Keyboard) {
      keyboard = new KeyboardDriver(platform.ports, (bytes) => vga!.port?.receive(bytes));
      keyboard.startup();
      interrupts.request(1, 'i8042', () => keyboard!.interrupt());
      log.ok('i8042: PS/2 keyboard on IRQ 1');
    }
  }
  // Without console= /dev/console stays what boot made it (the host stdio of `ir0 run`).
  const consoleName = context.console.split(',')[0] ?? '';
  if (consoleName) ttys.setConsole(consoleName);
  const consoleSerial = serial.find((s) => s.name === consoleName);
  if (consoleSerial?.port && firmware.consoleSize) {
    const size = new ConsoleSizeDriver(platform.ports, firmware.consoleSize.port, consoleSerial.port);
    interrupts.request(firmware.consoleSize.irq, 'console-size', () => size.interrupt());
    size.startup();
  }
  return { serial, vga, keyboard, consoleName };
}
