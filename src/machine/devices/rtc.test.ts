import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createMachine } from '../machine.js';
import { civilFromSeconds, secondsFromCivil } from '../../base/civil-time.js';

const EPOCH = 1_763_795_668; // a fixed wall-clock second for the virtual machine

/** A machine with the 8259s programmed and only IRQ 8 (through the cascade) open, so halt() wakes on the RTC. */
function rtcMachine(epoch?: number) {
  const machine = createMachine({ memoryMiB: 4, epoch });
  const io = machine.platform.ports;
  for (const [port, value] of [[0x20, 0x11], [0xa0, 0x11], [0x21, 0x20], [0xa1, 0x28], [0x21, 4], [0xa1, 2], [0x21, 1], [0xa1, 1], [0x21, 0xfb], [0xa1, 0xfe]] as const) io.out8(port, value);
  return machine;
}

/** Acknowledges IRQ 8 at the 8259s (specific EOIs to slave and master). */
function acknowledge(machine: ReturnType<typeof createMachine>): void {
  assert.equal(machine.platform.acknowledgeInterrupt(), 0x28);
  machine.platform.ports.out8(0xa0, 0x20);
  machine.platform.ports.out8(0x20, 0x20);
}

function readRtc(machine: ReturnType<typeof createMachine>, register: number): number {
  machine.platform.ports.out8(0x70, register);
  return machine.platform.ports.in8(0x71);
}

test('calendar conversion agrees with the host date(1) for sample instants and round-trips', () => {
  for (const seconds of [0, 951_782_400, 1_709_164_800, EPOCH, 4_102_444_799]) {
    const civil = civilFromSeconds(seconds);
    const host = execFileSync('date', ['-u', '-d', `@${seconds}`, '+%Y %m %d %H %M %S %w'], { encoding: 'utf8' }).trim().split(' ').map(Number);
    assert.deepEqual([civil.year, civil.month, civil.day, civil.hours, civil.minutes, civil.seconds, civil.weekday], host);
    assert.equal(secondsFromCivil(civil.year, civil.month, civil.day, civil.hours, civil.minutes, civil.seconds), seconds);
  }
});

test('RTC: BCD 24-hour time from the epoch, binary and 12-hour per register B, advancing with machine time', () => {
  const machine = rtcMachine(EPOCH * 1e9);
  const host = execFileSync('date', ['-u', '-d', `@${EPOCH}`, '+%S %M %H %w %d %m %y'], { encoding: 'utf8' }).trim().split(' ').map((field) => parseInt(field, 16));
  const bcd = [0, 2, 4, 6, 7, 8, 9].map((register) => readRtc(machine, register));
  host[3] = host[3]! + 1; // RTC day of week: Sunday is 1
  assert.deepEqual(bcd, host);
  assert.equal(readRtc(machine, 0x32), 0x20, 'century');
  assert.equal(readRtc(machine, 0x0d), 0x80, 'VRT');
  machine.platform.ports.out8(0x70, 0x0b);
  machine.platform.ports.out8(0x71, 0x04); // binary, 12-hour
  const civil = civilFromSeconds(EPOCH);
  assert.equal(readRtc(machine, 0), civil.seconds);
  const hour12 = (civil.hours % 12 || 12) | (civil.hours >= 12 ? 0x80 : 0);
  assert.equal(readRtc(machine, 4), hour12);
});

test('RTC: setting the time under SET, update-ended interrupts once a second on IRQ 8, register C acknowledges', () => {
  const machine = rtcMachine(EPOCH * 1e9);
  const { ports, irqs, timeline } = machine.platform;
  const write = (register: number, value: number) => { ports.out8(0x70, register); ports.out8(0x71, value); };
  write(0x0b, 0x82 | 0x04); // SET, 24-hour, binary
  write(0, 58); write(2, 59); write(4, 23); write(7, 31); write(8, 12); write(9, 99); write(0x32, 0x19);
  write(0x0b, 0x12 | 0x04); // run, UIE
  assert.equal(readRtc(machine, 9), 99);
  const edges: number[] = [];
  irqs.sinks.push({ setIrq: (irq, level) => { if (irq === 8 && level) edges.push(timeline.now()); } });
  assert.equal(machine.platform.halt(), true);
  acknowledge(machine);
  assert.equal(edges.length, 1);
  assert.equal(readRtc(machine, 0x0c), 0x90, 'IRQF | UF');
  assert.equal(machine.platform.halt(), true);
  acknowledge(machine);
  assert.equal(edges[1]! - edges[0]!, 1e9);
  assert.deepEqual([0, 2, 4, 7, 8, 9, 0x32].map((r) => readRtc(machine, r)), [0, 0, 0, 1, 1, 0, 0x20], 'rolled over to 2000-01-01');
});

test('RTC: periodic interrupt at the rate of register A (RS=15: 2 Hz)', () => {
  const machine = rtcMachine();
  const { ports, irqs, timeline } = machine.platform;
  const edges: number[] = [];
  irqs.sinks.push({ setIrq: (irq, level) => { if (irq === 8 && level) edges.push(timeline.now()); } });
  ports.out8(0x70, 0x0a); ports.out8(0x71, 0x2f);
  ports.out8(0x70, 0x0b); ports.out8(0x71, 0x42);
  for (let i = 0; i < 3; i++) { machine.platform.halt(); acknowledge(machine); ports.out8(0x70, 0x0c); assert.equal(ports.in8(0x71), 0xc0); }
  assert.deepEqual(edges, [0.5e9, 1e9, 1.5e9]);
});
