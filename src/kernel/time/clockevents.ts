/**
 * Clock-event devices (Linux's struct clock_event_device) in one-shot mode:
 * the local APIC timer (rating 100 in Linux), an HPET comparator (50) and the
 * PIT channel 0 (ir0 rates it lowest: 16 bits at 1.19 MHz reach 55 ms). Each
 * programs the real registers for "interrupt at this machine time" and takes
 * its IRQ through kernel.interrupts; a deadline beyond the device's reach is
 * clamped and the handler simply finds nothing due and programs again.
 */
import type { Platform } from '../../hal/index.js';
import { PIT_HZ } from './clocksource.js';

export interface ClockEventDevice {
  readonly name: string;
  readonly rating: number;
  /** The IRQ (as the interrupt chip numbers it) the device interrupts on. */
  readonly irq: number;
  /** Interrupt once, `delta` ns from now (at least the device's minimum). */
  program(delta: number): void;
  /** No interrupt until programmed again. */
  shutdown(): void;
}

/** The IRQ number ir0's APIC chip gives the local APIC timer's vector (Linux's LOC line in /proc/interrupts). */
export const LOCAL_TIMER_IRQ = 24;
export const LOCAL_TIMER_VECTOR = 0xec;

const LAPIC_LVT_TIMER = 0x320, LAPIC_INITIAL_COUNT = 0x380, LAPIC_DIVIDE = 0x3e0;

/** The local APIC timer, one-shot, divide by 1 (SDM 3A §11.5.4). Needs the APIC enabled (the APIC chip's init). */
export function localApicClockEvents(platform: Platform): ClockEventDevice | null {
  const base = platform.firmware.localApicBase;
  const hz = platform.firmware.localApicTimerHz;
  if (base === undefined || hz === undefined) return null;
  const mmio = platform.mmio;
  return {
    name: 'lapic', rating: 100, irq: LOCAL_TIMER_IRQ,
    program: (delta) => {
      mmio.write32(base + LAPIC_DIVIDE, 0xb);
      mmio.write32(base + LAPIC_LVT_TIMER, LOCAL_TIMER_VECTOR | (mmio.read32(base + LAPIC_LVT_TIMER) & 0x10000));
      const count = Math.min(0xffffffff, Math.max(1, Math.ceil((delta * hz) / 1e9)));
      mmio.write32(base + LAPIC_INITIAL_COUNT, count);
    },
    shutdown: () => mmio.write32(base + LAPIC_INITIAL_COUNT, 0),
  };
}

/** HPET timer 0 in one-shot mode, legacy replacement route (IRQ 0), 64-bit comparator. */
export function hpetClockEvents(platform: Platform): ClockEventDevice | null {
  const base = platform.firmware.hpetBase;
  if (base === undefined) return null;
  const mmio = platform.mmio;
  const nsPerTick = mmio.read32(base + 4) / 1e6;
  // Legacy replacement: timer 0 takes IRQ 0 (the PIT's line), as Linux's hpet_enable_legacy_int.
  mmio.write32(base + 0x010, mmio.read32(base + 0x010) | 3);
  return {
    name: 'hpet', rating: 50, irq: 0,
    program: (delta) => {
      const ticks = Math.max(1, Math.ceil(delta / nsPerTick));
      const now = mmio.read32(base + 0xf4) * 0x100000000 + mmio.read32(base + 0xf0);
      const target = now + ticks;
      mmio.write32(base + 0x100, 1 << 2); // edge, enabled, one-shot, 64-bit
      mmio.write32(base + 0x108, target % 0x100000000);
      mmio.write32(base + 0x10c, Math.floor(target / 0x100000000));
    },
    shutdown: () => mmio.write32(base + 0x100, 0),
  };
}

/** PIT channel 0 in mode 0 (interrupt on terminal count), as Linux's i8253 one-shot. */
export function pitClockEvents(platform: Platform): ClockEventDevice {
  const io = platform.ports;
  return {
    name: 'pit', rating: 30, irq: 0,
    program: (delta) => {
      // The count loads on the next clock and OUT rises N clocks later: N+1 clocks in all.
      const count = Math.min(0xffff, Math.max(1, Math.ceil((delta * PIT_HZ) / 1e9) - 1));
      io.out8(0x43, 0x30);
      io.out8(0x40, count & 0xff);
      io.out8(0x40, count >> 8);
    },
    shutdown: () => { io.out8(0x43, 0x30); }, // a control word without a count stops the counter
  };
}
