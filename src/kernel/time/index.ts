/**
 * Time: clock sources, clock-event devices and timekeeping (tickless
 * high-resolution timers and the HZ tick). boot.ts picks the clock source
 * before the kernel exists (it is the kernel's clock) and starts the rest once
 * interrupts work.
 */
import type { Platform } from '../../hal/index.js';
import type { Kernel, KernelClock } from '../proc/index.js';
import { ApicChip } from './apic-chip.js';
import type { ClockEventDevice } from './clockevents.js';
import { hpetClockEvents, localApicClockEvents, pitClockEvents } from './clockevents.js';
import type { ClockSource } from './clocksource.js';
import { Timekeeping, HZ } from './timekeeping.js';
import { readRtc } from './rtc.js';
import { civilFromSeconds } from '../../base/civil-time.js';

export { probeClockSources, type ClockSource } from './clocksource.js';
export { type ClockEventDevice, LOCAL_TIMER_IRQ } from './clockevents.js';
export { Timekeeping, HZ, TICK_NS } from './timekeeping.js';
export { ApicChip } from './apic-chip.js';

/** CLOCK_MONOTONIC from a clock source: machine time since power-on; an idle CPU halts instead of advancing it. */
export function clockFromSource(source: ClockSource, bootEpoch: number): KernelClock {
  return { monotonic: () => source.read(), advance: () => {}, bootEpoch };
}

/**
 * Chooses the clock-event device (IR0 guide: LAPIC > HPET > PIT; `clock=` names one) — switching
 * interrupts to the APICs for the LAPIC timer — and starts timekeeping. Returns it, or an error.
 */
export function startTimekeeping(kernel: Kernel, platform: Platform, source: ClockSource, choice: string | undefined): Timekeeping {
  const interrupts = kernel.interrupts!;
  let device: ClockEventDevice | null = null;
  const wantLapic = choice === undefined || choice === 'lapic' || choice === 'tsc';
  const chip = wantLapic ? ApicChip.probe(platform) : null;
  if (chip) {
    device = localApicClockEvents(platform);
    if (device) interrupts.switchChip(chip);
  }
  if (!device && choice !== 'pit') device = hpetClockEvents(platform);
  if (!device) device = pitClockEvents(platform);
  const timekeeping = new Timekeeping(kernel, source, device);
  timekeeping.start();
  const rtc = readRtc(platform.ports);
  if (rtc !== null) {
    // As hctosys, but CLOCK_REALTIME keeps the boot epoch the system gave (it has sub-second precision): the RTC checks it.
    const skew = rtc - Math.floor(kernel.realtime() / 1e9);
    kernel.log.ok(`rtc_cmos: RTC reads ${formatUtc(rtc)} UTC${Math.abs(skew) > 1 ? `; the boot epoch differs by ${skew} s` : ''}`);
  }
  kernel.log.ok(`clocksource: ${source.name} (rating ${source.rating}); clockevents: ${device.name} one-shot on ${interrupts.chip.name} irq ${device.irq}; HZ=${HZ}, tickless idle`);
  return timekeeping;
}
/** `YYYY-MM-DD hh:mm:ss` of seconds since 1970. */
function formatUtc(seconds: number): string {
  const { year, month, day, hours, minutes, seconds: second } = civilFromSeconds(seconds);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${year}-${two(month)}-${two(day)} ${two(hours)}:${two(minutes)}:${two(second)}`;
}

export * from './interval-timer.js';
export { readRtc } from './rtc.js';
export { getCpuItimer, setCpuItimer, ITIMER_PROF, ITIMER_VIRTUAL } from './cpu-itimers.js';
export { TimerFd, createTimerFdInode, timerFdFileOps } from './timerfd.js';
export * from './posix-timers.js';
