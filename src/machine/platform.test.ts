import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMachine } from './machine.js';
import { Exit } from '../hal/index.js';
import { PageTableBuilder } from './testing/page-tables.js';

/** A machine whose vcpu loops forever at 0x1000 (jmp $). */
function loopingMachine() {
  const machine = createMachine({ memoryMiB: 4 });
  const pages = new PageTableBuilder(machine.ram);
  pages.map(0x1000, 0x1000, { user: true, writable: false });
  machine.ram.u8.set([0xeb, 0xfe], 0x1000);
  machine.cpu.setCr3(pages.cr3);
  machine.cpu.eip = 0x1000;
  return machine;
}

function programPic(out: (port: number, value: number) => void): void {
  out(0x20, 0x11); out(0xa0, 0x11); out(0x21, 0x20); out(0xa1, 0x28); out(0x21, 4); out(0xa1, 2); out(0x21, 1); out(0xa1, 1);
}

test('a device event fires at its exact instruction count and the 8259 delivers its vector', () => {
  const machine = loopingMachine();
  const { platform } = machine;
  const io = platform.ports;
  programPic((port, value) => io.out8(port, value));
  io.out8(0x21, 0xfe); // only IRQ 0 open
  io.out8(0xa1, 0xff);
  const irq0 = platform.irqs.line(0);
  const event = platform.timeline.event('test', () => irq0.pulse());
  platform.timeline.schedule(event, 12_345);
  assert.equal(machine.cpu.run(1_000_000), Exit.Interrupt);
  assert.equal(machine.cpu.instructionsRetired, 12_345);
  assert.equal(platform.acknowledgeInterrupt(), 0x20);
  assert.equal(platform.acknowledgeInterrupt(), -1, 'IRQ 0 is in service until EOI');
  // A second edge while in service waits for EOI.
  irq0.pulse();
  assert.equal(platform.acknowledgeInterrupt(), -1);
  io.out8(0x20, 0x60); // specific EOI for IRQ 0
  assert.equal(machine.cpu.run(10), Exit.Interrupt);
  assert.equal(platform.acknowledgeInterrupt(), 0x20);
});

test('masked and slave interrupts: IRQ 14 arrives through the cascade only when unmasked', () => {
  const machine = loopingMachine();
  const { platform } = machine;
  const io = platform.ports;
  programPic((port, value) => io.out8(port, value));
  io.out8(0x21, 0xfb); // cascade open
  io.out8(0xa1, 0xff); // IRQ 8-15 masked
  platform.irqs.line(14).pulse();
  assert.equal(machine.cpu.run(100), Exit.Budget);
  io.out8(0xa1, 0xbf); // unmask IRQ 14: the latched request is delivered
  assert.equal(machine.cpu.run(100), Exit.Interrupt);
  assert.equal(platform.acknowledgeInterrupt(), 0x2e);
});

test('halt skips virtual time to the next event; with nothing scheduled it reports that nothing can wake the CPU', () => {
  const machine = loopingMachine();
  const { platform } = machine;
  programPic((port, value) => platform.ports.out8(port, value));
  platform.ports.out8(0x21, 0xfe);
  assert.equal(platform.halt(), false);
  const event = platform.timeline.event('wake', () => platform.irqs.line(0).pulse());
  platform.timeline.schedule(event, 5_000_000_000);
  assert.equal(platform.halt(), true);
  assert.equal(platform.timeline.now(), 5_000_000_000);
  assert.equal(platform.acknowledgeInterrupt(), 0x20);
});

test('unclaimed ports and MMIO read all ones', () => {
  const machine = loopingMachine();
  assert.equal(machine.platform.ports.in8(0x300), 0xff);
  assert.equal(machine.platform.ports.in32(0x1234), 0xffffffff);
  assert.equal(machine.platform.mmio.read32(0xfeb00000), 0xffffffff);
});
