import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMachine } from '../machine.js';
import { Exit } from '../../hal/index.js';
import { PageTableBuilder } from '../testing/page-tables.js';
import { PIT_HZ } from './pit8254.js';
import { HPET_BASE } from './hpet.js';
import { LOCAL_APIC_BASE, LOCAL_APIC_TIMER_HZ } from './local-apic.js';
import { IO_APIC_BASE } from './io-apic.js';
import { nanosecondsFor, ticksIn } from './ticks.js';

/** A machine whose vcpu loops forever (jmp $), the 8259s remapped to 0x20/0x28 with only `openMask` IRQs open. */
function machineWithPic(openMask = 0) {
  const machine = createMachine({ memoryMiB: 4 });
  const pages = new PageTableBuilder(machine.ram);
  pages.map(0x1000, 0x1000, { user: true, writable: false });
  machine.ram.u8.set([0xeb, 0xfe], 0x1000);
  machine.cpu.setCr3(pages.cr3);
  machine.cpu.eip = 0x1000;
  const io = machine.platform.ports;
  for (const [port, value] of [[0x20, 0x11], [0xa0, 0x11], [0x21, 0x20], [0xa1, 0x28], [0x21, 4], [0xa1, 2], [0x21, 1], [0xa1, 1]] as const) io.out8(port, value);
  io.out8(0x21, ~openMask & 0xff);
  io.out8(0xa1, ~(openMask >> 8) & 0xff);
  return machine;
}

/** Runs the vcpu until it exits with an interrupt; returns the machine time then and the vector (acknowledged, then EOId). */
function nextInterrupt(machine: ReturnType<typeof machineWithPic>, eoi: () => void): { at: number; vector: number } {
  for (let i = 0; i < 1000; i++) {
    if (machine.cpu.run(100_000_000) === Exit.Interrupt) {
      const vector = machine.platform.acknowledgeInterrupt();
      const at = machine.platform.timeline.now();
      eoi();
      return { at, vector };
    }
  }
  throw new Error('no interrupt');
}

const picEoi = (machine: ReturnType<typeof machineWithPic>) => () => machine.platform.ports.out8(0x20, 0x20);

test('ticks: conversions are exact inverses over long runs', () => {
  for (const ns of [0, 1, 999_999_999, 3_600e9 + 123_456_789, 86_400e9 * 30 + 7]) {
    const ticks = ticksIn(ns, PIT_HZ);
    assert.ok(nanosecondsFor(ticks, PIT_HZ) <= ns && nanosecondsFor(ticks + 1, PIT_HZ) > ns);
  }
});

test('PIT mode 2: IRQ 0 every N clocks at exact machine times, counter counts down, latch and read-back', () => {
  const machine = machineWithPic(1);
  const io = machine.platform.ports;
  io.out8(0x43, 0x34); // channel 0, lobyte/hibyte, mode 2
  io.out8(0x40, 1193 & 0xff);
  io.out8(0x40, 1193 >> 8);
  // Datasheet: the count loads on the next clock (tick 1); OUT rises every 1193 clocks after that.
  const times = [1, 2, 3].map(() => nextInterrupt(machine, picEoi(machine)));
  assert.deepEqual(times.map((t) => t.vector), [0x20, 0x20, 0x20]);
  assert.deepEqual(times.map((t) => t.at), [1, 2, 3].map((k) => nanosecondsFor(1 + 1193 * k, PIT_HZ)));
  machine.cpu.run(300_000); // 0.3 ms into the fourth period
  const now = machine.platform.timeline.now();
  const expected = 1193 - ((ticksIn(now, PIT_HZ) - 1) % 1193);
  io.out8(0x43, 0x00); // latch channel 0
  machine.cpu.run(50_000); // the latched value holds while the counter runs on
  const latched = io.in8(0x40) | (io.in8(0x40) << 8);
  assert.equal(latched, expected);
  io.out8(0x43, 0xe2); // read-back: status only, channel 0
  assert.equal(io.in8(0x40), 0x80 | 0x34, 'OUT high, count loaded, lobyte/hibyte, mode 2');
});

test('PIT mode 0: one interrupt at terminal count, OUT stays high; a new control word stops it', () => {
  const machine = machineWithPic(1);
  const io = machine.platform.ports;
  machine.cpu.run(5000);
  io.out8(0x43, 0x30); // channel 0, lobyte/hibyte, mode 0
  io.out8(0x40, 100);
  io.out8(0x40, 0);
  const start = ticksIn(5000, PIT_HZ) + 1;
  const first = nextInterrupt(machine, picEoi(machine));
  assert.equal(first.at, nanosecondsFor(start + 100, PIT_HZ));
  assert.equal(machine.cpu.run(10_000_000), Exit.Budget, 'mode 0 interrupts once');
  io.out8(0x43, 0xe2);
  assert.equal(io.in8(0x40) & 0x80, 0x80);
});

test('PIT mode 3 with a count written while running: the new period starts at the end of the current one', () => {
  const machine = machineWithPic(1);
  const io = machine.platform.ports;
  io.out8(0x43, 0x36);
  io.out8(0x40, 0); io.out8(0x40, 0x10); // 4096
  const a = nextInterrupt(machine, picEoi(machine));
  assert.equal(a.at, nanosecondsFor(1 + 4096, PIT_HZ));
  io.out8(0x40, 0); io.out8(0x40, 0x08); // 2048, takes effect at the next reload
  const b = nextInterrupt(machine, picEoi(machine));
  const c = nextInterrupt(machine, picEoi(machine));
  assert.equal(b.at, nanosecondsFor(1 + 2 * 4096, PIT_HZ));
  assert.equal(c.at, nanosecondsFor(1 + 2 * 4096 + 2048, PIT_HZ));
});

test('HPET: capabilities, counter at 100 MHz, one-shot comparator in legacy mode on IRQ 0', () => {
  const machine = machineWithPic(1);
  const mmio = machine.platform.mmio;
  assert.equal(machine.platform.firmware.hpetBase, HPET_BASE);
  assert.equal(mmio.read32(HPET_BASE + 4), 10_000_000, 'period in fs');
  assert.equal(mmio.read32(HPET_BASE) & 0x1f00, 2 << 8, 'three timers');
  assert.equal(mmio.read32(HPET_BASE + 0xf0), 0, 'halted counter');
  machine.cpu.run(1000);
  mmio.write32(HPET_BASE + 0x10, 3); // enable, legacy replacement
  machine.cpu.run(12_345);
  assert.equal(mmio.read32(HPET_BASE + 0xf0), 1234);
  mmio.write32(HPET_BASE + 0x100, 1 << 2); // timer 0: edge, enabled, one-shot
  mmio.write32(HPET_BASE + 0x108, 50_000);
  mmio.write32(HPET_BASE + 0x10c, 0);
  const hit = nextInterrupt(machine, picEoi(machine));
  assert.deepEqual(hit, { at: 1000 + 500_000, vector: 0x20 });
  assert.equal(machine.cpu.run(10_000_000), Exit.Budget, 'one-shot');
});

test('HPET: periodic timer 0 routed through the I/O APIC to the local APIC, no drift over 1000 periods', () => {
  const machine = machineWithPic(0);
  const { mmio } = machine.platform;
  mmio.write32(LOCAL_APIC_BASE + 0xf0, 0x1ff); // enable the local APIC
  mmio.write32(IO_APIC_BASE, 0x10 + 2 * 20); // redirection entry 20: vector 0x41, edge, unmasked
  mmio.write32(IO_APIC_BASE + 0x10, 0x41);
  mmio.write32(HPET_BASE + 0x100, (20 << 9) | (1 << 2) | (1 << 3) | (1 << 6)); // route 20, enabled, periodic, value set
  mmio.write32(HPET_BASE + 0x108, 10_000); // first match at 100 µs
  mmio.write32(HPET_BASE + 0x10c, 0);
  mmio.write32(HPET_BASE + 0x108, 10_000); // period 100 µs
  mmio.write32(HPET_BASE + 0x10, 1);
  const eoi = () => mmio.write32(LOCAL_APIC_BASE + 0xb0, 0);
  let last = 0;
  for (let k = 1; k <= 1000; k++) {
    const hit = nextInterrupt(machine, eoi);
    assert.equal(hit.vector, 0x41);
    last = hit.at;
  }
  assert.equal(last, 1000 * 100_000);
});

test('local APIC: version, TPR, one-shot and periodic timer with divide, current count', () => {
  const machine = machineWithPic(0);
  const { mmio } = machine.platform;
  const apic = (offset: number) => mmio.read32(LOCAL_APIC_BASE + offset);
  const write = (offset: number, value: number) => mmio.write32(LOCAL_APIC_BASE + offset, value);
  assert.equal(apic(0x30) & 0xff, 0x14);
  assert.equal(apic(0x320), 0x10000, 'LVT timer masked at reset');
  write(0xf0, 0x1ff);
  write(0x3e0, 0x3); // divide by 16
  write(0x320, 0xef); // one-shot, vector 0xef
  write(0x380, 1000);
  machine.cpu.run(80_000); // 80 µs = 500 counts at 100 MHz / 16
  assert.equal(apic(0x390), 500);
  const eoi = () => write(0xb0, 0);
  const hit = nextInterrupt(machine, eoi);
  assert.deepEqual(hit, { at: nanosecondsFor(1000, LOCAL_APIC_TIMER_HZ / 16), vector: 0xef });
  assert.equal(apic(0x390), 0);
  write(0x320, 0x200ef); // periodic
  write(0x3e0, 0xb); // divide by 1
  const start = machine.platform.timeline.now();
  write(0x380, 100_000); // 1 ms
  const hits = [1, 2, 3].map(() => nextInterrupt(machine, eoi).at - start);
  assert.deepEqual(hits, [1_000_000, 2_000_000, 3_000_000]);
  write(0x80, 0xf0); // TPR above the timer's class: held in IRR
  assert.equal(machine.cpu.run(2_000_000), Exit.Budget);
  assert.notEqual(apic(0x200 + 0x70) & (1 << (0xef - 0xe0)), 0, 'IRR bit of vector 0xef');
  write(0x80, 0);
  assert.equal(machine.cpu.run(10), Exit.Interrupt);
});

test('I/O APIC: masked entries hold nothing; level inputs re-deliver after EOI while asserted; ISR orders vectors', () => {
  const machine = machineWithPic(0);
  const { mmio, irqs } = machine.platform;
  const select = (register: number, value?: number) => {
    mmio.write32(IO_APIC_BASE, register);
    if (value !== undefined) mmio.write32(IO_APIC_BASE + 0x10, value);
    return mmio.read32(IO_APIC_BASE + 0x10);
  };
  assert.equal(select(0x01), 0x00170011);
  assert.equal(select(0x10 + 2 * 5), 0x10000);
  mmio.write32(LOCAL_APIC_BASE + 0xf0, 0x1ff);
  irqs.line(5).pulse();
  assert.equal(machine.platform.acknowledgeInterrupt(), -1, 'masked edge lost');
  select(0x10 + 2 * 5, 0x8000 | 0x55); // level, vector 0x55
  select(0x10 + 2 * 6, 0x66); // edge, vector 0x66
  irqs.line(5).set(true);
  irqs.line(6).pulse();
  assert.equal(machine.platform.acknowledgeInterrupt(), 0x66, 'higher class first');
  assert.equal(machine.platform.acknowledgeInterrupt(), -1, '0x55 is below the class in service');
  mmio.write32(LOCAL_APIC_BASE + 0xb0, 0);
  assert.equal(machine.platform.acknowledgeInterrupt(), 0x55);
  assert.notEqual(select(0x10 + 2 * 5) & 0x4000, 0, 'remote IRR');
  mmio.write32(LOCAL_APIC_BASE + 0xb0, 0); // EOI with the line still high: delivered again
  assert.equal(machine.platform.acknowledgeInterrupt(), 0x55);
  irqs.line(5).set(false);
  mmio.write32(LOCAL_APIC_BASE + 0xb0, 0);
  assert.equal(machine.platform.acknowledgeInterrupt(), -1);
});
