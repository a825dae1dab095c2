/**
 * Machine time and the device event queue. Every device that does something
 * "later" (a timer's next interrupt, a disk command completing, a UART's
 * transmitter emptying) schedules an event here at a machine time in ns.
 *
 * Virtual mode (ARCHITECTURE.md rule 1): time is retired instructions at a
 * nominal 1 ns each, plus the time skipped while the CPU halts; the vcpu stops
 * exactly at the instruction count where the next event is due, so two runs
 * see interrupts at the same instructions. Host mode: time is the host's
 * monotonic clock; the vcpu stops every HOST_POLL_INSTRUCTIONS to fire due
 * events and poll host input.
 */
import type { ClockMode, HostTime } from '../../hal/platform.js';

export const NS_PER_INSTRUCTION = 1;
/** Host mode: instructions between checks of the host clock (~0.5-2 ms of guest code). */
export const HOST_POLL_INSTRUCTIONS = 200_000;

export interface TimelineEvent {
  at: number;
  readonly fire: () => void;
  /** Position in the heap; -1 when not queued. */
  index: number;
  readonly name: string;
}

/** What the timeline needs from the vcpu (implemented by Cpu). */
export interface InstructionCounter {
  readonly instructionsRetired: number;
  /** The vcpu stops (and calls onEventDeadline) when instructionsRetired reaches this. */
  eventDeadline: number;
  onEventDeadline: () => void;
}

export class Timeline {
  private readonly heap: TimelineEvent[] = [];
  private skipped = 0;
  private readonly hostOrigin: number;
  /** Called at every event deadline and halt wake-up (host input backends poll here). */
  readonly pollers: (() => void)[] = [];

  constructor(readonly mode: ClockMode, private readonly cpu: InstructionCounter, private readonly host?: HostTime) {
    if (mode === 'host' && !host) throw new Error('host clock mode needs a HostTime');
    this.hostOrigin = host ? host.monotonic() : 0;
    cpu.onEventDeadline = () => this.runDue();
    this.rearm();
  }

  /** Machine time in ns since power-on. */
  now(): number {
    if (this.mode === 'host') return this.host!.monotonic() - this.hostOrigin;
    return this.cpu.instructionsRetired * NS_PER_INSTRUCTION + this.skipped;
  }

  /** A new (unqueued) event; `schedule` queues it. Devices keep theirs and re-schedule. */
  event(name: string, fire: () => void): TimelineEvent {
    return { at: 0, fire, index: -1, name };
  }

  /** Queues (or moves) `event` to machine time `at`. An `at` in the past fires at the next check. */
  schedule(event: TimelineEvent, at: number): void {
    if (event.index >= 0) this.remove(event);
    event.at = at;
    event.index = this.heap.length;
    this.heap.push(event);
    this.up(event.index);
    this.rearm();
  }

  cancel(event: TimelineEvent): void {
    if (event.index < 0) return;
    this.remove(event);
    this.rearm();
  }

  /** Time of the next event, or Infinity. */
  get nextEventAt(): number {
    return this.heap.length > 0 ? this.heap[0]!.at : Infinity;
  }

  /** Fires every event that is due and polls host input. */
  runDue(): void {
    for (const poll of this.pollers) poll();
    let now = this.now();
    while (this.heap.length > 0 && this.heap[0]!.at <= now) {
      const event = this.heap[0]!;
      this.remove(event);
      event.fire();
      now = this.now();
    }
    this.rearm();
  }

  /**
   * The CPU is halted: move time to the next event (virtual: skip; host: sleep,
   * waking early for input) and fire what is due. `pending` says whether an
   * interrupt is now waiting. Returns false if nothing can ever wake the CPU.
   */
  haltUntilInterrupt(pending: () => boolean, inputPossible: boolean): boolean {
    for (;;) {
      this.runDue();
      if (pending()) return true;
      const next = this.nextEventAt;
      if (this.mode === 'virtual') {
        if (next === Infinity) return false;
        this.skipped += Math.max(0, next - this.now());
      } else {
        if (next === Infinity && !inputPossible) return false;
        const wait = next === Infinity ? 50_000_000 : next - this.now();
        if (wait > 0) this.host!.sleep(wait);
      }
    }
  }

  private rearm(): void {
    const cpu = this.cpu;
    if (this.mode === 'host') {
      cpu.eventDeadline = cpu.instructionsRetired + HOST_POLL_INSTRUCTIONS;
      return;
    }
    const next = this.nextEventAt;
    cpu.eventDeadline = next === Infinity ? Infinity : Math.ceil((next - this.skipped) / NS_PER_INSTRUCTION);
  }

  private remove(event: TimelineEvent): void {
    const heap = this.heap;
    const index = event.index;
    const last = heap.pop()!;
    event.index = -1;
    if (last !== event) {
      heap[index] = last;
      last.index = index;
      this.down(index);
      this.up(last.index);
    }
  }

  private up(index: number): void {
    const heap = this.heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.at <= heap[index]!.at) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  private down(index: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) return;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.at < heap[left]!.at ? right : left;
      if (heap[index]!.at <= heap[child]!.at) return;
      this.swap(index, child);
      index = child;
    }
  }

  private swap(a: number, b: number): void {
    const heap = this.heap;
    const x = heap[a]!;
    const y = heap[b]!;
    heap[a] = y; y.index = a;
    heap[b] = x; x.index = b;
  }
}
