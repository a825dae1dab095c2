/**
 * The emulated PC as one object: RAM, the MMU, the vcpu and the platform
 * (buses, machine time, interrupt controllers and devices). `createMachine`
 * is the wiring diagram: each device is one line in `addDevices`.
 */
import type { Vcpu } from '../hal/vcpu.js';
import type { ClockMode, HostTime } from '../hal/platform.js';
import { Ram } from './memory/ram.js';
import { Mmu } from './mmu/mmu.js';
import { Cpu } from './cpu/index.js';
import { PcPlatform } from './platform.js';
import { Rtc } from './devices/rtc.js';
import { addTimers } from './timers/index.js';

/** RAM, MMU and vcpu: all that bare-metal runners and the CPU tests need. */
export interface Machine {
  readonly ram: Ram;
  readonly mmu: Mmu;
  readonly cpu: Vcpu;
}

/** A whole PC: the CPU side plus the platform (buses, time, interrupt controllers, devices). */
export interface PcMachine extends Machine {
  readonly platform: PcPlatform;
}

/** Host backends for the devices; a device whose backend is absent is still present but unconnected. */
export interface MachineBackends {
  readonly hostTime?: HostTime;
}

export interface MachineConfig {
  memoryMiB: number;
  /** Machine time: virtual (from retired instructions; deterministic, the default) or the host's clock. */
  clock?: ClockMode;
  /** Wall-clock time at power-on for the RTC in virtual mode, ns since 1970 (host mode reads HostTime.realtime()). */
  epoch?: number;
  backends?: MachineBackends;
}

/** The RTC's time at power-on in virtual mode when the config gives none: 2024-01-01 00:00:00 UTC. */
export const DEFAULT_EPOCH = 1_704_067_200 * 1e9;

/** Allocates RAM, the MMU and the platform; the vcpu is made by `createCpu` over the MMU. */
export function assembleMachine(config: MachineConfig, createCpu: (mmu: Mmu) => Cpu): PcMachine {
  const ram = new Ram(config.memoryMiB * 1024 * 1024);
  const mmu = new Mmu(ram);
  const cpu = createCpu(mmu);
  const platform = new PcPlatform(cpu, config.clock ?? 'virtual', config.backends?.hostTime);
  ram.unbacked = platform.mmio;
  const hostTime = config.backends?.hostTime;
  const epoch = platform.clockMode === 'host' && hostTime ? hostTime.realtime() : config.epoch ?? DEFAULT_EPOCH;
  addDevices(platform, ram, config.backends ?? {}, epoch);
  return { ram, mmu, cpu, platform };
}

/** The devices of the PC beyond the 8259 pair (which PcPlatform owns). One line each. */
function addDevices(platform: PcPlatform, _ram: Ram, _backends: MachineBackends, epoch: number): void {
  // Timers (PIT, HPET, local APIC, I/O APIC), UARTs, ATA, VGA, PS/2 and RTC are wired here.
  addTimers(platform);
  platform.ports.register(0x70, 2, new Rtc(platform.timeline, platform.irqs.line(8), epoch), 'rtc');
}

/** A PC with `memoryMiB` of RAM, its MMU, an i686 vcpu and the platform devices. */
export function createMachine(config: MachineConfig): PcMachine {
  return assembleMachine(config, (mmu) => new Cpu(mmu));
}
