/**
 * Driver of ir0's paravirtual console-size device (machine/devices/console-size.ts):
 * reads the host terminal's rows and columns at boot and on every change
 * interrupt, and passes them to the console tty as a TIOCSWINSZ would
 * (TtyPort.resize: SIGWINCH to the foreground process group).
 */
import type { IoPorts } from '../../hal/index.js';
import type { TtyPort } from '../tty/index.js';

export class ConsoleSizeDriver {
  constructor(private readonly ports: IoPorts, private readonly base: number, private readonly port: TtyPort) {}

  /** The size the device reports now; 0x0 (or all ones: no device) means unknown. */
  read(): { rows: number; columns: number } {
    return { rows: this.ports.in16(this.base), columns: this.ports.in16(this.base + 2) };
  }

  /** Applies the current size and enables the change interrupt. */
  startup(): void {
    this.apply();
    this.ports.out8(this.base + 4, 1);
  }

  /** IRQ handler: reading the status acknowledges the change and lowers the line. */
  interrupt(): void {
    if ((this.ports.in8(this.base + 4) & 1) !== 0) this.apply();
  }

  private apply(): void {
    const size = this.read();
    if (size.rows === 0 || size.columns === 0 || size.rows === 0xffff) return;
    this.port.resize(size.rows, size.columns);
  }
}
