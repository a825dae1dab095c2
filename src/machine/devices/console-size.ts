/**
 * A paravirtual "console size" device: the host terminal's rows and columns
 * for a serial console, which has no way to carry them (a VT100 on a wire
 * never told the host its size either). ir0's own device, not a PC part.
 *
 * Ports (base 0x0580, byte or word access):
 *   +0 rows (16-bit, read)    +2 columns (16-bit, read)
 *   +4 status (read): bit 0 = the size changed since the last read; reading clears it and lowers the IRQ
 *   +4 (write): bit 0 = 1 enables the change interrupt
 * The device raises its IRQ line (IRQ 5 on the PC) when the host size changes
 * while the interrupt is enabled; the kernel's serial driver turns it into
 * TIOCSWINSZ on the console tty (SIGWINCH to the foreground job).
 */
import type { ConsoleSizeBackend } from '../../hal/platform.js';
import type { IrqLine } from '../interrupts/irq.js';
import type { PortDevice } from '../bus/io-bus.js';

export const CONSOLE_SIZE_PORT = 0x0580;
export const CONSOLE_SIZE_IRQ = 5;


export class ConsoleSizeDevice implements PortDevice {
  private rows = 0;
  private columns = 0;
  private changed = false;
  private enabled = false;

  constructor(private readonly irq: IrqLine, private readonly backend?: ConsoleSizeBackend) {
    this.sample();
    this.changed = false;
    backend?.connect(() => { if (this.sample()) this.update(); });
  }

  in8(offset: number): number {
    switch (offset) {
      case 0: return this.rows & 0xff;
      case 1: return this.rows >>> 8;
      case 2: return this.columns & 0xff;
      case 3: return this.columns >>> 8;
      case 4: {
        const status = this.changed ? 1 : 0;
        this.changed = false;
        this.update();
        return status;
      }
      default: return 0xff;
    }
  }

  out8(offset: number, value: number): void {
    if (offset !== 4) return;
    this.enabled = (value & 1) !== 0;
    this.update();
  }

  /** Reads the backend's size; true when it differs from what the registers hold. */
  private sample(): boolean {
    const size = this.backend?.size() ?? { rows: 0, columns: 0 };
    if (size.rows === this.rows && size.columns === this.columns) return false;
    this.rows = size.rows & 0xffff;
    this.columns = size.columns & 0xffff;
    this.changed = true;
    return true;
  }

  private update(): void {
    this.irq.set(this.enabled && this.changed);
  }
}
