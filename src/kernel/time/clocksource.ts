/**
 * Clock sources (Linux's struct clocksource): free-running counters the
 * kernel reads for CLOCK_MONOTONIC, rated as Linux rates them — TSC 300,
 * HPET 250, PIT 110 — the best present chosen at boot unless `clock=` names
 * one. read() returns nanoseconds of machine time since power-on.
 */
import type { Platform } from '../../hal/index.js';

export interface ClockSource {
  readonly name: string;
  readonly rating: number;
  /** Nanoseconds since power-on (to the counter's resolution). */
  read(): number;
  /** Ticks of resolution in ns (clock_getres). */
  readonly resolution: number;
}

/** The TSC: rdtsc at firmware.tscHz (arch/x86/kernel/tsc.c, rating 300). */
export function tscClockSource(platform: Platform): ClockSource {
  const hz = platform.firmware.tscHz;
  const scale = 1e9 / hz;
  return { name: 'tsc', rating: 300, resolution: Math.max(1, Math.ceil(scale)), read: () => Math.floor(platform.readTsc() * scale) };
}

export const HPET_GENERAL_CONFIG = 0x010, HPET_MAIN_COUNTER = 0x0f0;

/** The HPET main counter (drivers/clocksource/hpet.c, rating 250); the kernel enables the counter here. */
export function hpetClockSource(platform: Platform): ClockSource | null {
  const base = platform.firmware.hpetBase;
  if (base === undefined) return null;
  const mmio = platform.mmio;
  const periodFemtoseconds = mmio.read32(base + 4);
  if (periodFemtoseconds === 0 || periodFemtoseconds > 100_000_000) return null; // spec: at most 100 ns
  if ((mmio.read32(base + HPET_GENERAL_CONFIG) & 1) === 0) mmio.write32(base + HPET_GENERAL_CONFIG, mmio.read32(base + HPET_GENERAL_CONFIG) | 1);
  const nsPerTick = periodFemtoseconds / 1e6;
  return {
    name: 'hpet', rating: 250, resolution: Math.ceil(nsPerTick),
    read: () => {
      // A 64-bit counter through 32-bit reads: high, low, high again until the high half holds still.
      for (;;) {
        const high = mmio.read32(base + HPET_MAIN_COUNTER + 4);
        const low = mmio.read32(base + HPET_MAIN_COUNTER);
        if (mmio.read32(base + HPET_MAIN_COUNTER + 4) === high) return Math.floor((high * 0x100000000 + low) * nsPerTick);
      }
    },
  };
}

export const PIT_HZ = 1_193_182;

/**
 * The PIT as a clock (Linux's "pit" clocksource, rating 110): channel 2 free-running
 * in mode 2 with count 65536, read by latch; wraps (every 54.9 ms) are counted as long
 * as something reads it at least that often — the timekeeping code keeps a timer for it.
 */
export function pitClockSource(platform: Platform): ClockSource {
  const io = platform.ports;
  io.out8(0x43, 0xb4); // channel 2, lobyte/hibyte, mode 2, binary
  io.out8(0x42, 0);
  io.out8(0x42, 0);
  let wraps = 0;
  let lastElapsed = 0;
  return {
    name: 'pit', rating: 110, resolution: Math.ceil(1e9 / PIT_HZ),
    read: () => {
      io.out8(0x43, 0x80); // latch channel 2
      const count = io.in8(0x42) | (io.in8(0x42) << 8);
      const elapsed = (0x10000 - count) & 0xffff;
      if (elapsed < lastElapsed) wraps++;
      lastElapsed = elapsed;
      const ticks = wraps * 0x10000 + elapsed;
      return Math.floor(ticks / PIT_HZ) * 1e9 + Math.floor(((ticks % PIT_HZ) * 1e9) / PIT_HZ);
    },
  };
}

/** Every clock source the platform has, best first; `choice` (from clock=) moves that one to the front. */
export function probeClockSources(platform: Platform, choice: string | undefined): ClockSource[] {
  const found: ClockSource[] = [tscClockSource(platform)];
  const hpet = hpetClockSource(platform);
  if (hpet) found.push(hpet);
  if (choice === 'pit') found.push(pitClockSource(platform));
  found.sort((a, b) => b.rating - a.rating);
  const chosen = found.findIndex((source) => source.name === choice);
  if (chosen > 0) found.unshift(...found.splice(chosen, 1));
  return found;
}
