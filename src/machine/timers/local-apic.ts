/**
 * The local APIC of the one CPU (Intel SDM 3A ch. 11) at 0xFEE00000: ID,
 * version, TPR/PPR, EOI, the spurious-interrupt vector register whose bit 8
 * enables the APIC, ISR/TMR/IRR (256 bits each), the LVT, and the APIC timer
 * (one-shot and periodic, divide configuration, initial/current count).
 * Interrupts arrive as vectors from the I/O APIC (`accept`) and from the LVT
 * timer; the CPU takes the highest-priority class above PPR (§11.8.3).
 * Enabling it through the SVR makes it the platform's interrupt controller.
 */
import type { MmioDevice } from '../bus/mmio-bus.js';
import type { InterruptController } from '../interrupts/irq.js';
import type { Timeline, TimelineEvent } from '../time/timeline.js';
import { nanosecondsFor, ticksIn } from './ticks.js';

export const LOCAL_APIC_BASE = 0xfee00000;
/** The APIC timer's input clock (the "bus clock" before the divider), as QEMU and a 100 MHz front-side bus. */
export const LOCAL_APIC_TIMER_HZ = 100_000_000;

const ID = 0x020, VERSION = 0x030, TPR = 0x080, APR = 0x090, PPR = 0x0a0, EOI = 0x0b0, LDR = 0x0d0, DFR = 0x0e0,
  SVR = 0x0f0, ISR = 0x100, TMR = 0x180, IRR = 0x200, ESR = 0x280, ICR_LOW = 0x300, ICR_HIGH = 0x310,
  LVT_TIMER = 0x320, LVT_ERROR = 0x370, INITIAL_COUNT = 0x380, CURRENT_COUNT = 0x390, DIVIDE = 0x3e0;
const LVT_MASKED = 1 << 16;
const TIMER_PERIODIC = 1 << 17;

/** SDM 3A Figure 11-10: divide configuration bits 0, 1 and 3 → divisor. */
function divisorOf(config: number): number {
  const code = (config & 3) | ((config >> 1) & 4);
  return code === 7 ? 1 : 2 << code;
}

export class LocalApic implements MmioDevice, InterruptController {
  private readonly irr = new Uint32Array(8);
  private readonly isr = new Uint32Array(8);
  private readonly tmr = new Uint32Array(8);
  private id = 0;
  private tpr = 0;
  private svr = 0xff;
  private ldr = 0;
  private dfr = 0xffffffff;
  private esr = 0;
  private icrLow = 0;
  private icrHigh = 0;
  /** LVT entries timer, thermal, performance, LINT0, LINT1, error (0x320-0x370). */
  private readonly lvt = new Uint32Array(6).fill(LVT_MASKED);
  private divideConfig = 0;
  private initialCount = 0;
  /** Machine time the count was loaded (or the periodic count last reloaded). */
  private timerStart = 0;
  private readonly timerEvent: TimelineEvent;
  /** Called on each level-triggered EOI with its vector (the I/O APIC's remote IRR). */
  onLevelEoi: (vector: number) => void = () => {};

  constructor(private readonly timeline: Timeline, private readonly requestInterrupt: () => void,
    private readonly enabledChanged: (enabled: boolean) => void) {
    this.timerEvent = timeline.event('lapic-timer', () => this.timerExpired());
  }

  get enabled(): boolean { return (this.svr & 0x100) !== 0; }

  private timerHz(): number { return LOCAL_APIC_TIMER_HZ / divisorOf(this.divideConfig); }

  /** A vector arrives (from the I/O APIC or the LVT). `level`: remember it for the EOI broadcast. */
  accept(vector: number, level = false): void {
    if (!this.enabled || vector < 16) return;
    const word = vector >>> 5, bit = 1 << (vector & 31);
    this.irr[word] = (this.irr[word]! | bit) >>> 0;
    this.tmr[word] = level ? (this.tmr[word]! | bit) >>> 0 : (this.tmr[word]! & ~bit) >>> 0;
    if (this.pending()) this.requestInterrupt();
  }

  private static highest(bits: Uint32Array): number {
    for (let word = 7; word >= 0; word--) {
      const value = bits[word]!;
      if (value !== 0) return word * 32 + 31 - Math.clz32(value);
    }
    return -1;
  }

  /** SDM 3A §11.8.3.1: PPR is the higher of TPR and the class of the highest vector in service. */
  private processorPriority(): number {
    const inService = LocalApic.highest(this.isr);
    const isrClass = inService < 0 ? 0 : inService & 0xf0;
    return (this.tpr & 0xf0) >= isrClass ? this.tpr & 0xff : isrClass;
  }

  pending(): boolean {
    const request = LocalApic.highest(this.irr);
    return request >= 0 && (request & 0xf0) > (this.processorPriority() & 0xf0);
  }

  acknowledge(): number {
    if (!this.pending()) return -1;
    const vector = LocalApic.highest(this.irr);
    const word = vector >>> 5, bit = 1 << (vector & 31);
    this.irr[word] = (this.irr[word]! & ~bit) >>> 0;
    this.isr[word] = (this.isr[word]! | bit) >>> 0;
    return vector;
  }

  private endOfInterrupt(): void {
    const vector = LocalApic.highest(this.isr);
    if (vector < 0) return;
    const word = vector >>> 5, bit = 1 << (vector & 31);
    this.isr[word] = (this.isr[word]! & ~bit) >>> 0;
    if ((this.tmr[word]! & bit) !== 0) this.onLevelEoi(vector);
    if (this.pending()) this.requestInterrupt();
  }

  /** The timer's current count (SDM 3A §11.5.4): counts down from the initial count; 0 when a one-shot expired. */
  currentCount(): number {
    if (this.initialCount === 0) return 0;
    const elapsed = ticksIn(this.timeline.now() - this.timerStart, this.timerHz());
    if ((this.lvt[0]! & TIMER_PERIODIC) !== 0) return this.initialCount - (elapsed % this.initialCount);
    return elapsed >= this.initialCount ? 0 : this.initialCount - elapsed;
  }

  private armTimer(): void {
    if (this.initialCount === 0) { this.timeline.cancel(this.timerEvent); return; }
    this.timeline.schedule(this.timerEvent, this.timerStart + nanosecondsFor(this.initialCount, this.timerHz()));
  }

  private timerExpired(): void {
    const lvt = this.lvt[0]!;
    if ((lvt & LVT_MASKED) === 0) this.accept(lvt & 0xff);
    if ((lvt & TIMER_PERIODIC) !== 0) {
      this.timerStart = this.timerEvent.at;
      this.armTimer();
    }
  }

  read32(offset: number): number {
    if (offset >= ISR && offset < ISR + 0x80) return this.isr[(offset - ISR) >> 4]!;
    if (offset >= TMR && offset < TMR + 0x80) return this.tmr[(offset - TMR) >> 4]!;
    if (offset >= IRR && offset < IRR + 0x80) return this.irr[(offset - IRR) >> 4]!;
    if (offset >= LVT_TIMER && offset <= LVT_ERROR) {
      const value = this.lvt[(offset - LVT_TIMER) >> 4]!;
      return offset === LVT_TIMER && this.timerEvent.index >= 0 ? value : value & ~(1 << 12);
    }
    switch (offset) {
      case ID: return (this.id << 24) >>> 0;
      case VERSION: return 0x00050014; // version 0x14 (integrated APIC), max LVT entry 5
      case TPR: return this.tpr;
      case APR: return 0;
      case PPR: return this.processorPriority();
      case LDR: return this.ldr;
      case DFR: return this.dfr;
      case SVR: return this.svr;
      case ESR: return this.esr;
      case ICR_LOW: return this.icrLow;
      case ICR_HIGH: return this.icrHigh;
      case INITIAL_COUNT: return this.initialCount;
      case CURRENT_COUNT: return this.currentCount();
      case DIVIDE: return this.divideConfig;
      default: return 0;
    }
  }

  write32(offset: number, value: number): void {
    if (offset >= LVT_TIMER && offset <= LVT_ERROR) { this.writeLvt((offset - LVT_TIMER) >> 4, value); return; }
    switch (offset) {
      case ID: this.id = value >>> 24; break;
      case TPR: this.tpr = value & 0xff; if (this.pending()) this.requestInterrupt(); break;
      case EOI: this.endOfInterrupt(); break;
      case LDR: this.ldr = value & 0xff000000; break;
      case DFR: this.dfr = (value | 0x0fffffff) >>> 0; break;
      case SVR: this.writeSvr(value); break;
      case ESR: this.esr = 0; break;
      case ICR_LOW: this.icrLow = value & ~(1 << 12); this.selfIpi(); break;
      case ICR_HIGH: this.icrHigh = value & 0xff000000; break;
      case INITIAL_COUNT:
        // SDM 3A §11.5.4: writing the initial count (re)starts the timer.
        this.initialCount = value >>> 0;
        this.timerStart = this.timeline.now();
        this.armTimer();
        break;
      case DIVIDE: {
        const count = this.currentCount();
        this.divideConfig = value & 0xb;
        if (this.initialCount !== 0 && count !== 0) {
          // Keep the remaining count and go on at the new rate.
          this.timerStart = this.timeline.now() - nanosecondsFor(this.initialCount - count, this.timerHz());
          this.armTimer();
        }
        break;
      }
      default: break;
    }
  }

  private writeLvt(index: number, value: number): void {
    const masks = [0x000700ff, 0x000107ff, 0x000107ff, 0x0001f7ff, 0x0001f7ff, 0x000100ff];
    // SDM 3A §11.4.7.2: a software-disabled APIC keeps every LVT masked.
    const forced = this.enabled ? 0 : LVT_MASKED;
    const old = this.lvt[index]!;
    this.lvt[index] = ((value & masks[index]!) | forced) >>> 0;
    if (index === 0 && ((old ^ value) & TIMER_PERIODIC) !== 0 && this.initialCount !== 0) this.armTimer();
  }

  private writeSvr(value: number): void {
    const wasEnabled = this.enabled;
    this.svr = value & 0x3ff;
    if (!this.enabled) for (let i = 0; i < this.lvt.length; i++) this.lvt[i] = (this.lvt[i]! | LVT_MASKED) >>> 0;
    if (this.enabled !== wasEnabled) this.enabledChanged(this.enabled);
  }

  /** ICR with destination shorthand "self" (or this APIC's id) and fixed delivery: a self-IPI. */
  private selfIpi(): void {
    const shorthand = (this.icrLow >> 18) & 3;
    const toSelf = shorthand === 1 || (shorthand === 0 && (this.icrHigh >>> 24) === this.id) || shorthand === 2;
    if (toSelf && ((this.icrLow >> 8) & 7) === 0) this.accept(this.icrLow & 0xff);
  }
}
