/**
 * The HPET (IA-PC HPET specification 1.0a) at 0xFED00000: a 64-bit main
 * counter at 100 MHz (period 10^7 fs, as QEMU's) and three comparators.
 * Timer 0 can be periodic; all are 64-bit capable, may run in 32-bit mode,
 * interrupt edge- or level-triggered (GINTR_STA) and route to I/O APIC inputs
 * 20-23, or in legacy replacement mode timer 0 to IRQ 0 and timer 1 to IRQ 8.
 * Registers are 64-bit, accessed as 32-bit halves. Matches are timeline
 * events; the counter is computed from machine time.
 */
import type { MmioDevice } from '../bus/mmio-bus.js';
import type { IrqRouter } from '../interrupts/irq.js';
import type { Timeline, TimelineEvent } from '../time/timeline.js';
import { nanosecondsFor, ticksIn } from './ticks.js';

export const HPET_BASE = 0xfed00000;
export const HPET_HZ = 100_000_000;
const PERIOD_FEMTOSECONDS = 1e15 / HPET_HZ;
const TIMERS = 3;
/** I/O APIC inputs each comparator may use (Tn_INT_ROUTE_CAP). */
const ROUTE_CAP = 0x00f00000;
const TWO_32 = 0x100000000;

const CONF_LEVEL = 1 << 1, CONF_ENABLE = 1 << 2, CONF_PERIODIC = 1 << 3, CONF_PERIODIC_CAP = 1 << 4, CONF_64BIT_CAP = 1 << 5,
  CONF_VALUE_SET = 1 << 6, CONF_32BIT_MODE = 1 << 8;
const CONF_WRITABLE = CONF_LEVEL | CONF_ENABLE | CONF_PERIODIC | CONF_VALUE_SET | CONF_32BIT_MODE | (0x1f << 9);

class Comparator {
  config: number;
  /** The comparator and the period as low and high dwords. */
  readonly comparatorHalves = new Uint32Array([0xffffffff, 0xffffffff]);
  readonly periodHalves = new Uint32Array(2);
  readonly event: TimelineEvent;
  constructor(readonly index: number, timeline: Timeline, fire: (timer: Comparator) => void) {
    this.config = CONF_64BIT_CAP | (index === 0 ? CONF_PERIODIC_CAP : 0);
    this.event = timeline.event(`hpet-timer${index}`, () => fire(this));
  }
  get route(): number { return (this.config >> 9) & 0x1f; }
  get comparator(): number { return this.comparatorHalves[1]! * TWO_32 + this.comparatorHalves[0]!; }
  get period(): number { return this.periodHalves[1]! * TWO_32 + this.periodHalves[0]!; }
  set comparator(value: number) { this.comparatorHalves[0] = value % TWO_32; this.comparatorHalves[1] = Math.floor(value / TWO_32); }
}

export class Hpet implements MmioDevice {
  private generalConfig = 0;
  private interruptStatus = 0;
  /** The main counter when it was last stopped or written; it runs from `runningSince` when enabled. */
  private counterBase = 0;
  private runningSince = 0;
  private readonly timers: Comparator[] = [];
  /** The line each level-triggered timer holds asserted (for deassertion on status clear). */
  private readonly assertedLine = new Int8Array(TIMERS).fill(-1);

  constructor(private readonly timeline: Timeline, private readonly irqs: IrqRouter) {
    for (let i = 0; i < TIMERS; i++) this.timers.push(new Comparator(i, timeline, (timer) => this.match(timer)));
  }

  private get enabled(): boolean { return (this.generalConfig & 1) !== 0; }
  private get legacy(): boolean { return (this.generalConfig & 2) !== 0; }

  /** The main counter now. */
  counter(): number {
    if (!this.enabled) return this.counterBase;
    return this.counterBase + ticksIn(this.timeline.now() - this.runningSince, HPET_HZ);
  }

  private lineOf(timer: Comparator): number {
    if (this.legacy && timer.index === 0) return 0;
    if (this.legacy && timer.index === 1) return 8;
    return timer.route;
  }

  /** The next counter value (> now) at which `timer` matches, or null. */
  private nextMatch(timer: Comparator, now: number): number | null {
    if (timer.config & CONF_32BIT_MODE) {
      const target = timer.comparator % TWO_32;
      let match = Math.floor(now / TWO_32) * TWO_32 + target;
      if (match <= now) match += TWO_32;
      return match;
    }
    return timer.comparator > now && timer.comparator < 2 ** 53 ? timer.comparator : null;
  }

  private schedule(timer: Comparator): void {
    const now = this.counter();
    const match = this.enabled ? this.nextMatch(timer, now) : null;
    if (match === null) { this.timeline.cancel(timer.event); return; }
    this.timeline.schedule(timer.event, this.runningSince + nanosecondsFor(match - this.counterBase, HPET_HZ));
  }

  private match(timer: Comparator): void {
    if (timer.config & CONF_ENABLE) this.interrupt(timer);
    if (timer.config & CONF_PERIODIC && timer.period > 0) {
      // Spec 2.3.9.2.2: in periodic mode the comparator advances by the last value written.
      timer.comparator += timer.period;
      if (timer.config & CONF_32BIT_MODE) timer.comparator %= TWO_32;
    }
    this.schedule(timer);
  }

  private interrupt(timer: Comparator): void {
    const line = this.lineOf(timer);
    if ((timer.config & CONF_LEVEL) === 0) { this.irqs.line(line).pulse(); return; }
    this.interruptStatus |= 1 << timer.index;
    this.assertedLine[timer.index] = line;
    this.irqs.line(line).set(true);
  }

  read32(offset: number): number {
    const high = (offset & 4) !== 0;
    const timer = this.timers[(offset - 0x100) >> 5];
    if (offset >= 0x100 && timer && ((offset - 0x100) & 0x18) === 0x08) return timer.comparatorHalves[high ? 1 : 0]!;
    const value = this.read64(offset & ~7);
    return high ? Math.floor(value / TWO_32) >>> 0 : value % TWO_32 >>> 0;
  }

  private read64(offset: number): number {
    switch (offset) {
      case 0x000: return PERIOD_FEMTOSECONDS * TWO_32 + (0x8086 << 16 >>> 0) + (1 << 15) + (1 << 13) + ((TIMERS - 1) << 8) + 1;
      case 0x010: return this.generalConfig;
      case 0x020: return this.interruptStatus;
      case 0x0f0: return this.counter();
      default: break;
    }
    const timer = this.timers[(offset - 0x100) >> 5];
    if (offset < 0x100 || !timer) return 0;
    switch ((offset - 0x100) & 0x1f) {
      case 0x00: return ROUTE_CAP * TWO_32 + timer.config;
      case 0x08: return -1; // read by halves in read32
      default: return 0;
    }
  }

  write32(offset: number, value: number): void {
    value >>>= 0;
    const high = (offset & 4) !== 0;
    const base = offset & ~7;
    if (base === 0x010 && !high) { this.writeConfig(value); return; }
    if (base === 0x020 && !high) { this.clearStatus(value); return; }
    if (base === 0x0f0) {
      // Spec 2.3.7: software writes the main counter only while it is halted.
      if (this.enabled) return;
      const old = this.counterBase;
      this.counterBase = high ? (value * TWO_32) + (old % TWO_32) : Math.floor(old / TWO_32) * TWO_32 + value;
      return;
    }
    const timer = this.timers[(base - 0x100) >> 5];
    if (base < 0x100 || !timer) return;
    switch ((base - 0x100) & 0x1f) {
      case 0x00:
        if (high) return;
        timer.config = (timer.config & ~CONF_WRITABLE) | (value & CONF_WRITABLE);
        if ((timer.config & CONF_PERIODIC_CAP) === 0) timer.config &= ~CONF_PERIODIC;
        if (!(timer.config & CONF_LEVEL) || !(timer.config & CONF_ENABLE)) this.deassert(timer.index);
        this.schedule(timer);
        return;
      case 0x08: this.writeComparator(timer, high, value); return;
      default: return;
    }
  }

  private writeComparator(timer: Comparator, high: boolean, value: number): void {
    const periodic = (timer.config & CONF_PERIODIC) !== 0;
    if (high && timer.config & CONF_32BIT_MODE) return;
    // Halves are kept apart: a 64-bit register is not exact as one double above 2^53.
    const setHalf = (halves: Uint32Array): void => { if (high) halves[1] = value; else { halves[0] = value; if (timer.config & CONF_32BIT_MODE) halves[1] = 0; } };
    if (!periodic || timer.config & CONF_VALUE_SET) setHalf(timer.comparatorHalves);
    // Spec 2.3.9.2.2: in periodic mode every write sets the period; Tn_VAL_SET_CNF also lets it set the comparator.
    if (periodic) setHalf(timer.periodHalves);
    // Tn_VAL_SET_CNF clears itself once the comparator is written (both halves in 64-bit mode).
    if (high || timer.config & CONF_32BIT_MODE) timer.config &= ~CONF_VALUE_SET;
    this.schedule(timer);
  }

  private writeConfig(value: number): void {
    const wasEnabled = this.enabled;
    const wasLegacy = this.legacy;
    if (wasEnabled) this.counterBase = this.counter();
    this.generalConfig = value & 3;
    if (this.enabled) this.runningSince = this.timeline.now();
    if (wasLegacy !== this.legacy) for (let i = 0; i < TIMERS; i++) this.deassert(i);
    if (wasEnabled !== this.enabled || wasLegacy !== this.legacy) for (const timer of this.timers) this.schedule(timer);
  }

  private clearStatus(value: number): void {
    for (let i = 0; i < TIMERS; i++) if (value & (1 << i)) this.deassert(i);
  }

  private deassert(index: number): void {
    this.interruptStatus &= ~(1 << index);
    const line = this.assertedLine[index]!;
    if (line < 0) return;
    this.assertedLine[index] = -1;
    this.irqs.line(line).set(false);
  }
}
