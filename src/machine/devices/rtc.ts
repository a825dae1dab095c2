/**
 * The MC146818 real-time clock and CMOS RAM (Motorola MC146818A datasheet) at
 * ports 0x70 (index, bit 7 masks NMI) and 0x71 (data): seconds, minutes,
 * hours, day of week, date, month and year with their alarms, in BCD or
 * binary and 12- or 24-hour form per register B; register A (UIP, divider,
 * rate select), B (SET, PIE, AIE, UIE, DM, 24/12), C (IRQF, PF, AF, UF; reading
 * clears it and releases IRQ 8), D (VRT); the century at CMOS 0x32. The time is
 * `epoch` (ns since 1970 at power-on) plus machine time. Periodic, alarm and
 * update-ended interrupts are timeline events, scheduled only while enabled
 * (so PF and UF read 0 while their interrupt is off — the one simplification).
 */
import type { PortDevice } from '../bus/io-bus.js';
import type { IrqLine } from '../interrupts/irq.js';
import type { Timeline, TimelineEvent } from '../time/timeline.js';
import { nanosecondsFor, ticksIn } from '../timers/ticks.js';
import { civilFromSeconds, secondsFromCivil } from '../../base/civil-time.js';

const SECONDS = 0, SECONDS_ALARM = 1, MINUTES = 2, MINUTES_ALARM = 3, HOURS = 4, HOURS_ALARM = 5, WEEKDAY = 6, DAY = 7, MONTH = 8,
  YEAR = 9, REGISTER_A = 0x0a, REGISTER_B = 0x0b, REGISTER_C = 0x0c, REGISTER_D = 0x0d, CENTURY = 0x32;
const B_SET = 0x80, B_PIE = 0x40, B_AIE = 0x20, B_UIE = 0x10, B_BINARY = 0x04, B_24HOUR = 0x02;
const C_IRQF = 0x80, C_PF = 0x40, C_AF = 0x20, C_UF = 0x10;
/** Datasheet: UIP is set 244 µs before each update. */
const UPDATE_IN_PROGRESS_NS = 244_000;

const toBcd = (value: number): number => ((Math.floor(value / 10) % 10) << 4) | (value % 10);
const fromBcd = (value: number): number => (value >> 4) * 10 + (value & 0xf);

export class Rtc implements PortDevice {
  private index = 0;
  private readonly cmos = new Uint8Array(128);
  /** Wall-clock ns since 1970 at machine time 0. */
  private wallAtPowerOn: number;
  /** Registers 0-9 and the century while SET holds the clock (the guest is writing the time). */
  private held: Uint8Array | null = null;
  private flags = 0;
  private readonly periodicEvent: TimelineEvent;
  private readonly secondEvent: TimelineEvent;

  constructor(private readonly timeline: Timeline, private readonly irq: IrqLine, epochNanoseconds: number) {
    this.wallAtPowerOn = epochNanoseconds;
    this.cmos[REGISTER_A] = 0x26; // 32.768 kHz divider, 1024 Hz periodic rate (the BIOS setting)
    this.cmos[REGISTER_B] = B_24HOUR;
    this.periodicEvent = timeline.event('rtc-periodic', () => this.periodic());
    this.secondEvent = timeline.event('rtc-update', () => this.update());
  }

  /** Wall-clock ns since 1970 now. */
  wallClock(): number {
    return this.wallAtPowerOn + this.timeline.now();
  }

  private get registerB(): number { return this.cmos[REGISTER_B]!; }

  private encode(value: number): number {
    return this.registerB & B_BINARY ? value : toBcd(value);
  }

  private decode(value: number): number {
    return this.registerB & B_BINARY ? value : fromBcd(value);
  }

  private encodeHours(hours: number): number {
    if (this.registerB & B_24HOUR) return this.encode(hours);
    const twelve = hours % 12 === 0 ? 12 : hours % 12;
    return this.encode(twelve) | (hours >= 12 ? 0x80 : 0);
  }

  private decodeHours(raw: number): number {
    if (this.registerB & B_24HOUR) return this.decode(raw);
    const twelve = this.decode(raw & 0x7f) % 12;
    return raw & 0x80 ? twelve + 12 : twelve;
  }

  /** Registers 0-9 and the century for the current time. */
  private timeRegisters(): Uint8Array {
    const time = civilFromSeconds(Math.floor(this.wallClock() / 1e9));
    const registers = new Uint8Array(10);
    registers[SECONDS] = this.encode(time.seconds);
    registers[MINUTES] = this.encode(time.minutes);
    registers[HOURS] = this.encodeHours(time.hours);
    registers[WEEKDAY] = this.encode(time.weekday + 1);
    registers[DAY] = this.encode(time.day);
    registers[MONTH] = this.encode(time.month);
    registers[YEAR] = this.encode(time.year % 100);
    this.cmos[CENTURY] = toBcd(Math.floor(time.year / 100));
    return registers;
  }

  in8(offset: number): number {
    if (offset === 0) return 0xff; // the index port is write-only
    const register = this.index;
    if (register <= YEAR && register !== SECONDS_ALARM && register !== MINUTES_ALARM && register !== HOURS_ALARM) {
      return this.held ? this.held[register]! : this.timeRegisters()[register]!;
    }
    switch (register) {
      case REGISTER_A: {
        const fraction = this.wallClock() % 1e9;
        const updating = !(this.registerB & B_SET) && fraction >= 1e9 - UPDATE_IN_PROGRESS_NS;
        return (this.cmos[REGISTER_A]! & 0x7f) | (updating ? 0x80 : 0);
      }
      case REGISTER_C: {
        const flags = this.flags;
        this.flags = 0;
        this.irq.set(false);
        return flags;
      }
      case REGISTER_D: return 0x80; // VRT: the battery is good
      case CENTURY: if (!this.held) this.timeRegisters(); return this.cmos[CENTURY]!;
      default: return this.cmos[register]!;
    }
  }

  out8(offset: number, value: number): void {
    if (offset === 0) { this.index = value & 0x7f; return; }
    const register = this.index;
    if (register <= YEAR && register !== SECONDS_ALARM && register !== MINUTES_ALARM && register !== HOURS_ALARM) {
      if (!this.held) this.held = this.timeRegisters();
      this.held[register] = value;
      if (!(this.registerB & B_SET)) this.setTime();
      return;
    }
    switch (register) {
      case REGISTER_A: this.cmos[REGISTER_A] = value & 0x7f; this.reschedule(); return;
      case REGISTER_B: {
        const setting = (value & B_SET) !== 0;
        if (setting && !this.held) this.held = this.timeRegisters();
        this.cmos[REGISTER_B] = value;
        if (!setting && this.held) this.setTime();
        this.reschedule();
        return;
      }
      case REGISTER_C: case REGISTER_D: return; // read-only
      default: this.cmos[register] = value;
    }
  }

  /** The guest wrote the time: the clock restarts from the written fields at the start of a second. */
  private setTime(): void {
    const held = this.held!;
    this.held = null;
    const century = fromBcd(this.cmos[CENTURY]!);
    const year = century * 100 + this.decode(held[YEAR]!);
    const seconds = secondsFromCivil(year, this.decode(held[MONTH]!), this.decode(held[DAY]!), this.decodeHours(held[HOURS]!),
      this.decode(held[MINUTES]!), this.decode(held[SECONDS]!));
    this.wallAtPowerOn = seconds * 1e9 - this.timeline.now();
    this.reschedule();
  }

  /** Periodic rate from register A's RS bits (datasheet table 5), 0 when off. */
  private periodicHz(): number {
    const select = this.cmos[REGISTER_A]! & 0xf;
    if (select === 0 || ((this.cmos[REGISTER_A]! >> 4) & 7) !== 2) return 0;
    return select <= 2 ? 256 >> (select - 1) : 65536 >> select;
  }

  private reschedule(): void {
    const hz = this.periodicHz();
    const now = this.timeline.now();
    if (this.registerB & B_PIE && hz > 0) this.timeline.schedule(this.periodicEvent, nanosecondsFor(ticksIn(now, hz) + 1, hz));
    else this.timeline.cancel(this.periodicEvent);
    if (this.registerB & (B_UIE | B_AIE) && !(this.registerB & B_SET)) {
      const wall = this.wallClock();
      this.timeline.schedule(this.secondEvent, now + (1e9 - (wall % 1e9)));
    } else {
      this.timeline.cancel(this.secondEvent);
    }
  }

  private raise(flag: number): void {
    this.flags |= flag | C_IRQF;
    this.irq.set(true);
  }

  private periodic(): void {
    this.raise(C_PF);
    this.reschedule();
  }

  /** The once-a-second update cycle ended: UF, and AF when the alarm matches (0xC0-0xFF is "don't care"). */
  private update(): void {
    const registers = this.timeRegisters();
    const matches = (alarm: number, value: number): boolean => (alarm & 0xc0) === 0xc0 || alarm === value;
    const alarm = matches(this.cmos[SECONDS_ALARM]!, registers[SECONDS]!) && matches(this.cmos[MINUTES_ALARM]!, registers[MINUTES]!)
      && matches(this.cmos[HOURS_ALARM]!, registers[HOURS]!);
    let flags = 0;
    if (this.registerB & B_UIE) flags |= C_UF;
    if (alarm && this.registerB & B_AIE) flags |= C_AF;
    if (flags) this.raise(flags);
    this.reschedule();
  }
}
