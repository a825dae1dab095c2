/**
 * The shared memory between `ir0 boot`'s terminal thread and the machine's
 * worker thread: an input ring of bytes typed at the host terminal (single
 * producer, single consumer, Atomics for the indices), the terminal size with
 * a change counter, a status-request counter (Ctrl-A c), and the wake cell
 * the worker's host sleeps wait on (src/system/host-time.ts).
 */

export const INPUT_RING_BYTES = 1 << 20;

// Int32 control cells.
const HEAD = 0;
const TAIL = 1;
const ROWS = 2;
const COLUMNS = 3;
const SIZE_CHANGES = 4;
const STATUS_REQUESTS = 5;
const CONTROL_CELLS = 8;

export interface ConsoleChannelBuffers {
  readonly control: SharedArrayBuffer;
  readonly ring: SharedArrayBuffer;
  readonly wake: SharedArrayBuffer;
}

export class ConsoleChannel {
  readonly control: Int32Array<SharedArrayBuffer>;
  readonly ring: Uint8Array<SharedArrayBuffer>;
  readonly wakeCell: Int32Array<SharedArrayBuffer>;

  constructor(readonly buffers: ConsoleChannelBuffers = {
    control: new SharedArrayBuffer(CONTROL_CELLS * 4), ring: new SharedArrayBuffer(INPUT_RING_BYTES), wake: new SharedArrayBuffer(4),
  }) {
    this.control = new Int32Array(buffers.control);
    this.ring = new Uint8Array(buffers.ring);
    this.wakeCell = new Int32Array(buffers.wake);
  }

  /** Wakes the worker's host sleep (halt or an idle kernel). */
  wake(): void {
    Atomics.add(this.wakeCell, 0, 1);
    Atomics.notify(this.wakeCell, 0);
  }

  /** Producer: copies as much of `bytes` as fits; returns how many were taken. */
  write(bytes: Uint8Array): number {
    const head = Atomics.load(this.control, HEAD);
    const tail = Atomics.load(this.control, TAIL);
    const used = (tail - head + INPUT_RING_BYTES) % INPUT_RING_BYTES;
    const n = Math.min(bytes.length, INPUT_RING_BYTES - 1 - used);
    const first = Math.min(n, INPUT_RING_BYTES - tail);
    this.ring.set(bytes.subarray(0, first), tail);
    this.ring.set(bytes.subarray(first, n), 0);
    Atomics.store(this.control, TAIL, (tail + n) % INPUT_RING_BYTES);
    if (n > 0) this.wake();
    return n;
  }

  /** Consumer: up to `max` bytes from the ring, or null when it is empty. */
  read(max = INPUT_RING_BYTES): Uint8Array | null {
    const head = Atomics.load(this.control, HEAD);
    const tail = Atomics.load(this.control, TAIL);
    if (head === tail) return null;
    const n = Math.min(max, (tail - head + INPUT_RING_BYTES) % INPUT_RING_BYTES);
    const out = new Uint8Array(n);
    const first = Math.min(n, INPUT_RING_BYTES - head);
    out.set(this.ring.subarray(head, head + first));
    out.set(this.ring.subarray(0, n - first), first);
    Atomics.store(this.control, HEAD, (head + n) % INPUT_RING_BYTES);
    return out;
  }

  setSize(rows: number, columns: number): void {
    Atomics.store(this.control, ROWS, rows);
    Atomics.store(this.control, COLUMNS, columns);
    Atomics.add(this.control, SIZE_CHANGES, 1);
    this.wake();
  }

  size(): { rows: number; columns: number } {
    return { rows: Atomics.load(this.control, ROWS), columns: Atomics.load(this.control, COLUMNS) };
  }

  get sizeChanges(): number { return Atomics.load(this.control, SIZE_CHANGES); }

  requestStatus(): void {
    Atomics.add(this.control, STATUS_REQUESTS, 1);
    this.wake();
  }

  get statusRequests(): number { return Atomics.load(this.control, STATUS_REQUESTS); }
}
