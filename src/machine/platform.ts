/**
 * The PC platform around the CPU: the port and MMIO buses, machine time and
 * its event queue, the IRQ lines and the interrupt controllers. Devices are
 * added by `createMachine` (machine.ts); this object is what the kernel gets
 * as hal's Platform.
 */
import type { ClockMode, HostTime, Platform } from '../hal/platform.js';
import { IoBus } from './bus/io-bus.js';
import { MmioBus } from './bus/mmio-bus.js';
import type { InterruptController } from './interrupts/irq.js';
import { IrqRouter } from './interrupts/irq.js';
import { Pic8259Pair } from './interrupts/pic8259.js';
import type { InstructionCounter } from './time/timeline.js';
import { Timeline } from './time/timeline.js';

/** What the platform needs of the vcpu: the instruction counter and the INTR pin. */
export interface PlatformCpu extends InstructionCounter {
  requestInterrupt(): void;
}

/** Mutable firmware tables while devices are being added. */
export interface FirmwareBuilder {
  hpetBase?: number;
  localApicBase?: number;
  ioApicBase?: number;
  serialPorts: number[];
  ataChannels: { base: number; control: number; irq: number }[];
  vgaText?: number;
  ps2Keyboard: boolean;
  consoleSize?: { port: number; irq: number };
  tscHz: number;
  localApicTimerHz?: number;
}

/** Nominal TSC rate: one tick per ns of machine time (1 GHz), as the virtual clock's 1 ns per instruction. */
export const TSC_HZ = 1_000_000_000;

export class PcPlatform implements Platform {
  readonly ports = new IoBus();
  readonly mmio = new MmioBus();
  readonly irqs = new IrqRouter();
  readonly timeline: Timeline;
  readonly pic: Pic8259Pair;
  /** Who answers INTA: the 8259 pair, or the local APIC once the kernel enables it. */
  controller: InterruptController;
  readonly firmware: FirmwareBuilder = { serialPorts: [], ataChannels: [], ps2Keyboard: false, tscHz: TSC_HZ };
  /** Whether host input can arrive (a terminal is attached): halt then waits instead of giving up. */
  inputAttached = false;

  constructor(private readonly cpu: PlatformCpu, readonly clockMode: ClockMode, host?: HostTime) {
    this.timeline = new Timeline(clockMode, cpu, host);
    this.pic = new Pic8259Pair(() => cpu.requestInterrupt());
    this.irqs.sinks.push(this.pic);
    this.controller = this.pic;
    this.ports.register(0x20, 2, this.pic.master, 'pic-master');
    this.ports.register(0xa0, 2, this.pic.slave, 'pic-slave');
  }

  acknowledgeInterrupt(): number {
    return this.controller.acknowledge();
  }

  halt(): boolean {
    return this.timeline.haltUntilInterrupt(() => this.controller.pending(), this.inputAttached);
  }

  poll(): boolean {
    this.timeline.runDue();
    return this.controller.pending();
  }

  readTsc(): number {
    return Math.floor(this.timeline.now() * (this.firmware.tscHz / 1e9));
  }

  /** Raises the CPU's INTR if the controller has something (after the kernel reprograms masks or EOIs). */
  recheck(): void {
    if (this.controller.pending()) this.cpu.requestInterrupt();
  }
}
