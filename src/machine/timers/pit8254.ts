/**
 * The 8254 programmable interval timer (Intel 8254 datasheet, 231164):
 * three 16-bit down counters clocked at 1.193182 MHz, data ports 0x40-0x42,
 * control word at 0x43. Modes 0 (interrupt on terminal count), 2 (rate
 * generator) and 3 (square wave) are modelled; 1, 4 and 5 count as mode 0
 * (their gates never trigger here). Channel 0's OUT drives IRQ 0: each rising
 * edge is one timeline event, so an idle timer costs nothing per instruction.
 * Counters are computed from machine time, never stepped.
 */
import type { PortDevice } from '../bus/io-bus.js';
import type { IrqLine } from '../interrupts/irq.js';
import type { Timeline, TimelineEvent } from '../time/timeline.js';
import { nanosecondsFor, ticksIn } from './ticks.js';

export const PIT_HZ = 1_193_182;

/** Access modes of the control word's RW field. */
const RW_LATCH = 0, RW_LOW = 1, RW_HIGH = 2, RW_BOTH = 3;

class Channel {
  mode = 0;
  access = RW_BOTH;
  bcd = false;
  /** The count register as written (0 means 65536, or 10000 in BCD). */
  reload = 0;
  /** Whether a count was written since the control word (counting runs). */
  counting = false;
  /** The PIT tick at which the counter was (re)loaded with `reload`. */
  loadTick = 0;
  /** A count written while a mode 2/3 counter runs: loaded at the end of the current period. */
  pendingReload: number | null = null;
  /** LSB written, waiting for the MSB (RW_BOTH). */
  writeLow: number | null = null;
  /** Which byte the next read of a RW_BOTH counter returns. */
  readHigh = false;
  latchedCount: number | null = null;
  latchedCountHigh = false;
  latchedStatus: number | null = null;
  /** Control word written, count not yet: the null-count status bit. */
  nullCount = true;

  period(): number {
    if (this.reload !== 0) return this.reload;
    return this.bcd ? 10000 : 0x10000;
  }
}

export class Pit8254 implements PortDevice {
  private readonly channels = [new Channel(), new Channel(), new Channel()];
  private readonly event: TimelineEvent;

  constructor(private readonly timeline: Timeline, private readonly irq: IrqLine) {
    this.event = timeline.event('pit', () => this.fire());
  }

  /** Ticks of the 1.193182 MHz clock since power-on. */
  private tick(): number {
    return ticksIn(this.timeline.now(), PIT_HZ);
  }

  /** Applies a pending mode 2/3 reload whose period boundary has passed. */
  private settle(channel: Channel, now: number): void {
    if (channel.pendingReload === null || !channel.counting) return;
    const period = channel.period();
    const elapsed = now - channel.loadTick;
    if (elapsed < period) return;
    channel.loadTick += period;
    channel.reload = channel.pendingReload;
    channel.pendingReload = null;
  }

  /** The counter's value now (what a latch captures). */
  count(index: number): number {
    const channel = this.channels[index]!;
    const now = this.tick();
    this.settle(channel, now);
    if (!channel.counting || now < channel.loadTick) return channel.reload;
    const period = channel.period();
    const elapsed = now - channel.loadTick;
    let value: number;
    switch (channel.mode) {
      case 2: value = period - (elapsed % period); break;
      case 3: {
        // Square wave: counts down by two through each half period (datasheet, mode 3).
        const phase = elapsed % period;
        const firstHalf = Math.ceil(period / 2);
        value = phase < firstHalf ? period - 2 * phase : period - 2 * (phase - firstHalf);
        value = Math.max(value, 2);
        break;
      }
      default: value = (period - (elapsed % 0x10000) + 0x10000) % 0x10000; break;
    }
    return value === 0x10000 ? 0 : value & 0xffff;
  }

  /** OUT of a channel now (the status byte's bit 7). */
  output(index: number): boolean {
    const channel = this.channels[index]!;
    const now = this.tick();
    this.settle(channel, now);
    if (!channel.counting) return channel.mode !== 0;
    const elapsed = now - channel.loadTick;
    if (elapsed < 0) return channel.mode !== 0;
    const period = channel.period();
    switch (channel.mode) {
      case 2: return elapsed % period !== period - 1;
      case 3: return elapsed % period < Math.ceil(period / 2);
      default: return elapsed >= period;
    }
  }

  in8(offset: number): number {
    if (offset === 3) return 0xff; // the control word register is write-only
    const channel = this.channels[offset]!;
    if (channel.latchedStatus !== null) {
      const status = channel.latchedStatus;
      channel.latchedStatus = null;
      return status;
    }
    let value: number;
    let high: boolean;
    if (channel.latchedCount !== null) {
      value = channel.latchedCount;
      high = channel.access === RW_HIGH || (channel.access === RW_BOTH && channel.latchedCountHigh);
      if (channel.access === RW_BOTH && !channel.latchedCountHigh) channel.latchedCountHigh = true;
      else channel.latchedCount = null;
    } else {
      value = this.count(offset);
      high = channel.access === RW_HIGH || (channel.access === RW_BOTH && channel.readHigh);
      if (channel.access === RW_BOTH) channel.readHigh = !channel.readHigh;
    }
    if (channel.bcd) value = toBcd(value);
    return high ? (value >> 8) & 0xff : value & 0xff;
  }

  out8(offset: number, value: number): void {
    if (offset === 3) { this.control(value); return; }
    const channel = this.channels[offset]!;
    switch (channel.access) {
      case RW_LOW: this.load(offset, value); break;
      case RW_HIGH: this.load(offset, value << 8); break;
      default:
        if (channel.writeLow === null) { channel.writeLow = value; return; }
        this.load(offset, channel.writeLow | (value << 8));
        channel.writeLow = null;
    }
  }

  private control(value: number): void {
    const select = value >> 6;
    if (select === 3) { this.readBack(value); return; }
    const channel = this.channels[select]!;
    const access = (value >> 4) & 3;
    if (access === RW_LATCH) {
      // Counter latch command: later latches are ignored until the first is read.
      if (channel.latchedCount === null) { channel.latchedCount = this.count(select); channel.latchedCountHigh = false; }
      return;
    }
    channel.access = access;
    channel.mode = (value >> 1) & 7;
    if (channel.mode > 5) channel.mode -= 4; // 6 and 7 are modes 2 and 3
    channel.bcd = (value & 1) !== 0;
    channel.counting = false;
    channel.pendingReload = null;
    channel.writeLow = null;
    channel.readHigh = false;
    channel.nullCount = true;
    if (select === 0) this.reschedule();
  }

  /** Read-back command (datasheet: bits 5/4 low latch count/status of the channels in bits 3-1). */
  private readBack(value: number): void {
    for (let index = 0; index < 3; index++) {
      if ((value & (2 << index)) === 0) continue;
      const channel = this.channels[index]!;
      if ((value & 0x20) === 0 && channel.latchedCount === null) { channel.latchedCount = this.count(index); channel.latchedCountHigh = false; }
      if ((value & 0x10) === 0 && channel.latchedStatus === null) {
        channel.latchedStatus = (this.output(index) ? 0x80 : 0) | (channel.nullCount ? 0x40 : 0) | (channel.access << 4)
          | ((channel.mode & 7) << 1) | (channel.bcd ? 1 : 0);
      }
    }
  }

  private load(index: number, raw: number): void {
    const channel = this.channels[index]!;
    const value = channel.bcd ? fromBcd(raw) : raw & 0xffff;
    const now = this.tick();
    this.settle(channel, now);
    if (channel.counting && (channel.mode === 2 || channel.mode === 3)) {
      // Modes 2 and 3: a new count takes effect at the end of the current period.
      const period = channel.period();
      const periods = Math.floor((now - channel.loadTick) / period);
      channel.loadTick += periods * period;
      channel.pendingReload = value;
    } else {
      channel.reload = value;
      // The count is loaded on the next clock pulse, which does not decrement it.
      channel.loadTick = now + 1;
      channel.counting = true;
    }
    channel.nullCount = false;
    if (index === 0) this.reschedule();
  }

  /** PIT tick of channel 0's next rising OUT edge, or null. */
  private nextEdge(): number | null {
    const channel = this.channels[0]!;
    if (!channel.counting) return null;
    const now = this.tick();
    const period = channel.period();
    const elapsed = now - channel.loadTick;
    if (channel.mode === 2 || channel.mode === 3) {
      // The period in progress ends with the old count; a pending count takes over from there.
      const periods = elapsed < 0 ? 1 : Math.floor(elapsed / period) + 1;
      return channel.loadTick + periods * period;
    }
    return elapsed < period ? channel.loadTick + period : null;
  }

  private reschedule(): void {
    const edge = this.nextEdge();
    if (edge === null) this.timeline.cancel(this.event);
    else this.timeline.schedule(this.event, nanosecondsFor(edge, PIT_HZ));
  }

  private fire(): void {
    this.irq.pulse();
    this.settle(this.channels[0]!, this.tick());
    this.reschedule();
  }
}

function toBcd(value: number): number {
  let result = 0;
  for (let shift = 0; shift < 16; shift += 4) { result |= (value % 10) << shift; value = Math.floor(value / 10); }
  return result;
}

function fromBcd(value: number): number {
  return (value & 0xf) + ((value >> 4) & 0xf) * 10 + ((value >> 8) & 0xf) * 100 + ((value >> 12) & 0xf) * 1000;
}
