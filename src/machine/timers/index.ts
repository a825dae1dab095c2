/**
 * The PC's timers and APICs, wired onto a platform: the 8254 PIT (IRQ 0),
 * the HPET, the local APIC (which becomes the interrupt controller when the
 * kernel enables it) and the I/O APIC on the ISA IRQ lines; the firmware
 * tables announce them (ACPI HPET and MADT reduced).
 */
import type { PcPlatform } from '../platform.js';
import { Hpet, HPET_BASE } from './hpet.js';
import { IoApic, IO_APIC_BASE } from './io-apic.js';
import { LocalApic, LOCAL_APIC_BASE, LOCAL_APIC_TIMER_HZ } from './local-apic.js';
import { Pit8254 } from './pit8254.js';

export { Pit8254, PIT_HZ } from './pit8254.js';
export { Hpet, HPET_BASE, HPET_HZ } from './hpet.js';
export { LocalApic, LOCAL_APIC_BASE, LOCAL_APIC_TIMER_HZ } from './local-apic.js';
export { IoApic, IO_APIC_BASE } from './io-apic.js';

export interface Timers {
  readonly pit: Pit8254;
  readonly hpet: Hpet;
  readonly localApic: LocalApic;
  readonly ioApic: IoApic;
}

export function addTimers(platform: PcPlatform): Timers {
  const pit = new Pit8254(platform.timeline, platform.irqs.line(0));
  platform.ports.register(0x40, 4, pit, 'pit');
  const hpet = new Hpet(platform.timeline, platform.irqs);
  platform.mmio.register(HPET_BASE, 0x400, hpet, 'hpet');
  platform.firmware.hpetBase = HPET_BASE;
  const localApic = new LocalApic(platform.timeline, () => platform.recheck(), (enabled) => {
    // An enabled local APIC takes the CPU's interrupts; the 8259s' output is then unconnected (no virtual wire).
    platform.controller = enabled ? localApic : platform.pic;
    platform.recheck();
  });
  platform.mmio.register(LOCAL_APIC_BASE, 0x1000, localApic, 'local-apic');
  platform.firmware.localApicBase = LOCAL_APIC_BASE;
  platform.firmware.localApicTimerHz = LOCAL_APIC_TIMER_HZ;
  const ioApic = new IoApic((vector, level) => localApic.accept(vector, level));
  localApic.onLevelEoi = (vector) => ioApic.endOfInterrupt(vector);
  platform.mmio.register(IO_APIC_BASE, 0x20, ioApic, 'io-apic');
  platform.irqs.sinks.push(ioApic);
  platform.firmware.ioApicBase = IO_APIC_BASE;
  return { pit, hpet, localApic, ioApic };
}
