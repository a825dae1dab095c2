/**
 * Timekeeping for one CPU: the chosen clock source is CLOCK_MONOTONIC, the
 * chosen clock-event device is kept programmed for the earliest kernel timer
 * (high-resolution, one-shot), and the scheduler tick is itself a timer at
 * HZ that runs only while a task does (NO_HZ idle: an idle CPU sleeps in hlt
 * until the next real timer). Expiry runs in the device's interrupt handler.
 */
import type { Kernel } from '../proc/index.js';
import type { ClockEventDevice } from './clockevents.js';
import type { ClockSource } from './clocksource.js';
import { checkCpuItimers } from './cpu-itimers.js';
import { TICK_NS } from './hz.js';

export { HZ, TICK_NS } from './hz.js';

/** A PIT clock source must be read at least once per wrap (65536 / 1.193182 MHz = 54.9 ms). */
const PIT_KEEPALIVE_NS = 40_000_000;

export class Timekeeping {
  private tickTimer: number | null = null;
  private nextTick = 0;
  private inInterrupt = false;
  /** Interrupts taken and ticks run (for /proc and the tests). */
  interrupts = 0;
  ticks = 0;

  constructor(private readonly kernel: Kernel, readonly source: ClockSource, readonly device: ClockEventDevice) {}

  start(): void {
    const { kernel } = this;
    kernel.interrupts!.request(this.device.irq, `${this.device.name}-timer`, () => this.interrupt());
    kernel.timers.onEarliestChanged = () => { if (!this.inInterrupt) this.reprogram(); };
    kernel.timers.enterIdle = () => this.stopTick();
    kernel.timers.exitIdle = () => this.startTick();
    if (this.source.name === 'pit') {
      const keepalive = (): void => { this.source.read(); kernel.timers.add(kernel.clock.monotonic() + PIT_KEEPALIVE_NS, keepalive); };
      keepalive();
    }
    this.startTick();
  }

  /** Programs the device for the earliest timer (or stops it when there is none). */
  reprogram(): void {
    const earliest = this.kernel.timers.earliest;
    if (earliest === null) { this.device.shutdown(); return; }
    this.device.program(Math.max(0, earliest - this.kernel.clock.monotonic()));
  }

  private interrupt(): void {
    this.interrupts++;
    this.inInterrupt = true;
    try {
      this.kernel.timers.expire(this.kernel.clock.monotonic());
    } finally {
      this.inInterrupt = false;
    }
    this.reprogram();
  }

  private tick(): void {
    this.ticks++;
    const current = this.kernel.current;
    if (current) {
      checkCpuItimers(this.kernel, current);
      this.kernel.scheduler.taskTick(current);
    }
    // Periodic from the previous tick's deadline, so ticks do not drift with interrupt latency.
    const now = this.kernel.clock.monotonic();
    this.nextTick += TICK_NS;
    if (this.nextTick <= now) this.nextTick = now + TICK_NS;
    this.tickTimer = this.kernel.timers.add(this.nextTick, () => this.tick());
  }

  startTick(): void {
    // The queue may have been cleared under it (shutdownTasks between runs).
    if (this.tickTimer !== null && this.kernel.timers.has(this.tickTimer)) return;
    this.nextTick = this.kernel.clock.monotonic() + TICK_NS;
    this.tickTimer = this.kernel.timers.add(this.nextTick, () => this.tick());
  }

  stopTick(): void {
    if (this.tickTimer === null) return;
    this.kernel.timers.cancel(this.tickTimer);
    this.tickTimer = null;
    this.reprogram();
  }
}
