/**
 * The emulated PC as one object: RAM, the MMU, the vcpu and the platform
 * (buses, machine time, interrupt controllers and devices). `createMachine`
 * is the wiring diagram: each device is one line in `addDevices`.
 */
import type { Vcpu } from '../hal/vcpu.js';
import type { BlockBackend, ClockMode, ConsoleSizeBackend, DisplayBackend, HostTime, KeyboardBackend, SerialBackend } from '../hal/platform.js';
import { Ram } from './memory/ram.js';
import { Mmu } from './mmu/mmu.js';
import { Cpu } from './cpu/index.js';
import { PcPlatform } from './platform.js';
import { Uart16550 } from './devices/uart16550.js';
import { ConsoleSizeDevice, CONSOLE_SIZE_IRQ, CONSOLE_SIZE_PORT } from './devices/console-size.js';
import { VgaText, VGA_TEXT_BASE } from './devices/vga-text.js';
import { Ps2Keyboard } from './devices/ps2-keyboard.js';
import { Rtc } from './devices/rtc.js';
import { addAta } from './devices/ata.js';
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
  /** The disk on the primary ATA channel (absent: no disk). */
  readonly disk?: BlockBackend;
  /** The lines of COM1 and COM2 (absent: the UART is there with nothing on the cable). */
  readonly serial?: readonly (SerialBackend | undefined)[];
  /** Where the VGA text screen is shown (absent: the frame buffer is written but not shown). */
  readonly display?: DisplayBackend;
  readonly keyboard?: KeyboardBackend;
  /** The host terminal's size for the serial console (the paravirtual console-size device). */
  readonly consoleSize?: ConsoleSizeBackend;
}

export interface MachineConfig {
  memoryMiB: number;
  /** Machine time: virtual (from retired instructions; deterministic, the default) or the host's clock. */
  clock?: ClockMode;
  /** Wall-clock time at power-on for the RTC in virtual mode, ns since 1970 (host mode reads HostTime.realtime()). */
  epoch?: number;
  backends?: MachineBackends;
  /** RAM's memory, zeroed, of memoryMiB (default: allocated here). */
  ramBuffer?: SharedArrayBuffer;
}

/** The RTC's time at power-on in virtual mode when the config gives none: 2024-01-01 00:00:00 UTC. */
export const DEFAULT_EPOCH = 1_704_067_200 * 1e9;

/** Allocates RAM, the MMU and the platform; the vcpu is made by `createCpu` over the MMU. */
export function assembleMachine(config: MachineConfig, createCpu: (mmu: Mmu) => Cpu): PcMachine {
  const ram = new Ram(config.memoryMiB * 1024 * 1024, undefined, config.ramBuffer);
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
function addDevices(platform: PcPlatform, ram: Ram, backends: MachineBackends, epoch: number): void {
  // Timers (PIT, HPET, local APIC, I/O APIC), UARTs, ATA, VGA, PS/2 and RTC are wired here.
  addUart(platform, 0x3f8, 4, 'com1', backends.serial?.[0]);
  addUart(platform, 0x2f8, 3, 'com2', backends.serial?.[1]);
  addPoller(platform, backends.consoleSize?.poll);
  platform.ports.register(CONSOLE_SIZE_PORT, 8, new ConsoleSizeDevice(platform.irqs.line(CONSOLE_SIZE_IRQ), backends.consoleSize), 'console-size');
  platform.firmware.consoleSize = { port: CONSOLE_SIZE_PORT, irq: CONSOLE_SIZE_IRQ };
  platform.ports.register(0x3c0, 0x20, new VgaText(ram.u8, platform.timeline, backends.display), 'vga');
  platform.firmware.vgaText = VGA_TEXT_BASE;
  addPoller(platform, backends.keyboard?.poll);
  // 0x61 between them is system control port B (the PIT's gate and the speaker), not the 8042's.
  const i8042 = new Ps2Keyboard(platform.irqs.line(1), backends.keyboard);
  platform.ports.register(0x60, 1, i8042, 'i8042-data');
  platform.ports.register(0x64, 1, { in8: () => i8042.in8(4), out8: (_offset, value) => i8042.out8(4, value) }, 'i8042-command');
  platform.firmware.ps2Keyboard = true;
  addTimers(platform);
  if (backends.disk) addAta(platform, backends.disk);
  platform.ports.register(0x70, 2, new Rtc(platform.timeline, platform.irqs.line(8), epoch), 'rtc');
}

/** A 16550A at `base` on IRQ `irq`, listed in the firmware's serial ports (the BIOS data area's COM table). */
function addUart(platform: PcPlatform, base: number, irq: number, name: string, backend: SerialBackend | undefined): void {
  const uart = new Uart16550({ name, irq: platform.irqs.line(irq), timeline: platform.timeline, backend });
  platform.ports.register(base, 8, uart, name);
  platform.firmware.serialPorts.push(base);
  // Transmitted bytes are batched; a halt that may sleep first shows what was sent (before the backend polls for input).
  platform.timeline.pollers.push(() => { uart.flush(); });
  addPoller(platform, backend?.poll);
}

/** A backend whose input arrives asynchronously is polled at every timeline check; halt then waits for it. */
function addPoller(platform: PcPlatform, poll: (() => void) | undefined): void {
  if (!poll) return;
  platform.timeline.pollers.push(poll);
  platform.inputAttached = true;
}

/** A PC with `memoryMiB` of RAM, its MMU, an i686 vcpu and the platform devices. */
export function createMachine(config: MachineConfig): PcMachine {
  return assembleMachine(config, (mmu) => new Cpu(mmu));
}
