/**
 * An armed-or-not timer with an interval on one of the POSIX clocks (Linux's
 * k_itimer / timerfd_ctx core): the first expiry at an absolute or relative
 * value, then every `interval` ns counted from the previous deadline, so a
 * late interrupt never makes it drift; a late expiry reports the periods it
 * missed (the overrun). Runs on the kernel's timer queue in monotonic ns.
 */
import type { Kernel } from '../proc/index.js';

export const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3,
  CLOCK_BOOTTIME = 7, CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9;

/** Whether timers may run on `clock` (the CPU-time clocks are not supported for timers). */
export function timerClockValid(clock: number): boolean {
  return clock === CLOCK_REALTIME || clock === CLOCK_MONOTONIC || clock === CLOCK_BOOTTIME
    || clock === CLOCK_REALTIME_ALARM || clock === CLOCK_BOOTTIME_ALARM;
}

const isRealtime = (clock: number): boolean => clock === CLOCK_REALTIME || clock === CLOCK_REALTIME_ALARM;

export class IntervalTimer {
  /** Next expiry in monotonic ns; 0 when disarmed. */
  private deadline = 0;
  interval = 0;
  private queued: number | null = null;

  /** `expired(count)` runs at each expiry with the number of periods that elapsed (1 unless late). */
  constructor(private readonly kernel: Kernel, readonly clock: number, private readonly expired: (count: number) => void) {}

  get armed(): boolean { return this.deadline !== 0; }

  /** Arms (value > 0) or disarms (value 0). `absolute`: value is a time on the timer's clock. */
  set(value: number, interval: number, absolute: boolean): void {
    this.cancel();
    this.interval = interval;
    if (value === 0) return;
    const now = this.kernel.clock.monotonic();
    let deadline = absolute ? (isRealtime(this.clock) ? value - this.kernel.clock.bootEpoch : value) : now + value;
    if (deadline <= 0) deadline = 1; // already due: expires at once (0 means disarmed)
    this.deadline = deadline;
    this.queue();
  }

  /** Time to the next expiry (0 when disarmed; at least 1 ns while armed, as Linux never reports 0 for an armed timer). */
  remaining(): number {
    if (!this.armed) return 0;
    return Math.max(1, this.deadline - this.kernel.clock.monotonic());
  }

  cancel(): void {
    if (this.queued !== null) this.kernel.timers.cancel(this.queued);
    this.queued = null;
    this.deadline = 0;
  }

  private queue(): void {
    this.queued = this.kernel.timers.add(this.deadline, () => this.fire());
  }

  private fire(): void {
    this.queued = null;
    const now = this.kernel.clock.monotonic();
    let count = 1;
    if (this.interval > 0) {
      // hrtimer_forward: the periods that passed since the deadline; the next deadline stays on the grid.
      count += Math.floor((now - this.deadline) / this.interval);
      this.deadline += count * this.interval;
      this.queue();
    } else {
      this.deadline = 0;
    }
    this.expired(count);
  }
}
