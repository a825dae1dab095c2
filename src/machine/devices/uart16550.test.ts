import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Timeline } from '../time/timeline.js';
import type { InstructionCounter } from '../time/timeline.js';
import { FIFO_SIZE, IIR_NONE, IIR_RDA, IIR_THRE, IIR_TIMEOUT, LSR_DR, LSR_OE, LSR_TEMT, LSR_THRE, Uart16550, WIRE_BYTES } from './uart16550.js';

/** A UART on a timeline whose clock the test moves by hand, its IRQ line recorded. */
function setup() {
  const cpu: InstructionCounter & { instructionsRetired: number } = { instructionsRetired: 0, eventDeadline: Infinity, onEventDeadline: () => undefined };
  const timeline = new Timeline('virtual', cpu);
  const irq = { level: false, edges: 0, set(level: boolean) { if (level && !this.level) this.edges++; this.level = level; }, pulse() { this.set(true); this.set(false); } };
  const sent: number[] = [];
  let receive: (bytes: Uint8Array) => number = () => 0;
  const uart = new Uart16550({ name: 'com1', irq, timeline, backend: { write: (b) => sent.push(...b), connect: (r) => { receive = r; } } });
  const advance = (ns: number): void => { cpu.instructionsRetired += ns; timeline.runDue(); };
  return { uart, irq, sent, receive: (bytes: number[]): number => receive(Uint8Array.from(bytes)), advance, timeline };
}

test('scratch register, line control and the divisor latch behind DLAB (datasheet Table II)', () => {
  const { uart } = setup();
  uart.out8(7, 0x5a);
  assert.equal(uart.in8(7), 0x5a);
  uart.out8(3, 0x80); // DLAB
  uart.out8(0, 0x0c);
  uart.out8(1, 0x00);
  assert.equal(uart.in8(0), 0x0c);
  assert.equal(uart.baud, 9600);
  uart.out8(3, 0x03);
  assert.equal(uart.in8(3), 0x03);
  assert.equal(uart.in8(1), 0, 'with DLAB clear offset 1 is IER again');
  assert.equal(uart.in8(5) & (LSR_THRE | LSR_TEMT), LSR_THRE | LSR_TEMT, 'an idle transmitter is empty');
});

test('loopback: transmitted bytes come back to the receiver, MSR mirrors MCR, and the FIFO overruns at 16 (datasheet MCR bit 4)', () => {
  const { uart, sent, irq } = setup();
  uart.out8(2, 0x07); // FIFO on, both cleared, trigger 1
  uart.out8(4, 0x10 | 0x0f); // loop + DTR RTS OUT1 OUT2
  assert.equal(uart.in8(6) & 0xf0, 0xf0, 'CTS DSR RI DCD follow RTS DTR OUT1 OUT2');
  uart.out8(1, 0x01);
  assert.equal(irq.level, false, 'the PC interrupt line is off in loopback');
  for (let i = 0; i < 17; i++) uart.out8(0, 0x40 + i);
  assert.equal(sent.length, 0, 'nothing leaves the chip');
  const lsr = uart.in8(5);
  assert.equal(lsr & (LSR_DR | LSR_OE), LSR_DR | LSR_OE);
  const got = Array.from({ length: 16 }, () => uart.in8(0));
  assert.deepEqual(got, Array.from({ length: 16 }, (_, i) => 0x40 + i));
  assert.equal(uart.in8(5) & LSR_DR, 0);
  assert.equal(uart.in8(5) & LSR_OE, 0, 'reading LSR cleared the overrun');
});

test('receive FIFO trigger level and the character timeout interrupt (datasheet FCR, IIR 0Ch)', () => {
  const { uart, irq, receive, advance } = setup();
  uart.out8(3, 0x80); uart.out8(0, 1); uart.out8(1, 0); uart.out8(3, 0x03); // 115200 8N1
  uart.out8(2, 0x81 | 0x06); // FIFO on, trigger 8
  uart.out8(4, 0x0b); // DTR RTS OUT2
  uart.out8(1, 0x01); // received data interrupt
  receive([1, 2, 3]);
  assert.equal(uart.in8(2) & 0x0f, IIR_NONE, 'three bytes are below the trigger');
  assert.equal(irq.level, false);
  advance(4 * 86_000); // just under 4 character times at 115200 baud (86.8 µs each)
  assert.equal(uart.in8(2) & 0x0f, IIR_NONE);
  advance(10_000);
  assert.equal(uart.in8(2) & 0x0f, IIR_TIMEOUT);
  assert.equal(uart.in8(2) & 0xc0, 0xc0, 'IIR bits 7:6 say the FIFOs are on');
  assert.equal(irq.level, true);
  assert.deepEqual([uart.in8(0), uart.in8(0), uart.in8(0)], [1, 2, 3]);
  assert.equal(irq.level, false, 'reading the data clears the timeout');
  receive([1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(uart.in8(2) & 0x0f, IIR_RDA, 'eight bytes reach the trigger at once');
  assert.equal(irq.level, true);
});

test('THRE interrupt: raised by enabling ETBEI with the transmitter empty, cleared by reading IIR, raised again after a write', () => {
  const { uart, irq, sent, advance } = setup();
  uart.out8(4, 0x08);
  uart.out8(1, 0x02);
  assert.equal(irq.level, true);
  assert.equal(uart.in8(2) & 0x0f, IIR_THRE);
  assert.equal(irq.level, false, 'reading IIR with THRE the source clears it');
  assert.equal(uart.in8(2) & 0x0f, IIR_NONE);
  uart.out8(0, 0x41);
  assert.equal(irq.level, true);
  advance(1_000_000);
  assert.deepEqual(sent, [0x41], 'the byte reached the backend');
});

test('OUT2 gates the interrupt line, as on the PC', () => {
  const { uart, irq } = setup();
  uart.out8(1, 0x02);
  assert.equal(uart.in8(2) & 0x0f, IIR_THRE, 'the UART has an interrupt pending');
  uart.out8(1, 0x00);
  uart.out8(1, 0x02);
  assert.equal(irq.level, false, 'but without OUT2 the line stays low');
  uart.out8(4, 0x08);
  assert.equal(irq.level, true);
});

test('host input larger than the FIFO waits on the wire and follows as the guest reads', () => {
  const { uart, receive } = setup();
  uart.out8(2, 0x01);
  const input = Array.from({ length: 1000 }, (_, i) => i & 0xff);
  receive(input);
  const got: number[] = [];
  while (uart.in8(5) & LSR_DR) got.push(uart.in8(0));
  assert.deepEqual(got, input);
});

test('a full wire takes only what fits and says so; the backend offers the rest later (flow control, no loss)', () => {
  const { uart, receive } = setup();
  uart.out8(2, 0x01);
  const input = Uint8Array.from({ length: WIRE_BYTES + FIFO_SIZE + 100 }, (_, i) => (i * 7) & 0xff);
  const first = receive([...input]);
  assert.equal(first, WIRE_BYTES, 'the line took what its wire holds');
  assert.equal(uart.wireBytes, WIRE_BYTES - FIFO_SIZE, 'the receive FIFO holds the first 16');
  const got: number[] = [];
  for (let i = 0; i < 200; i++) got.push(uart.in8(0));
  assert.equal(receive([...input.subarray(first)]), FIFO_SIZE + 100, 'reading made room for the rest');
  while (uart.in8(5) & LSR_DR) got.push(uart.in8(0));
  assert.deepEqual(Uint8Array.from(got), input);
});
