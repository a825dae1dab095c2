/**
 * Pipes (fs/pipe.c): a 64 KiB ring buffer in 16 RAM pages, shared by a read
 * end and a write end. Reads block while empty and writers exist; writes of
 * at most PIPE_BUF bytes are atomic; writing with no readers is EPIPE + SIGPIPE.
 * Blocking follows the restart rule: queue the waiter, return -ERESTARTSYS.
 */
import { EAGAIN, ENOMEM, EPIPE, WaitQueue } from '../lib/index.js';
import type { PhysicalPages } from '../mm/index.js';
import { GFP_KERNEL, PAGE_SIZE } from '../mm/index.js';
import { O_NONBLOCK } from './file.js';
import type { OpenFile } from './inode.js';
import type { FileOps, IoContext, Superblock } from './inode.js';
import { Inode, S_IFIFO } from './inode.js';

export const PIPE_PAGES = 16;
export const PIPE_CAPACITY = PIPE_PAGES * PAGE_SIZE;
export const PIPE_BUF = 4096;
export const POLLIN = 0x1;
export const POLLOUT = 0x4;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
/** Copies of at most this many bytes go byte by byte (TypedArray subarray costs more than a short loop in V8). */
const SMALL_COPY = 32;

export class Pipe {
  head = 0;
  length = 0;
  readers = 0;
  writers = 0;
  readonly queue = new WaitQueue();

  constructor(readonly memory: PhysicalPages, readonly buffer: number[]) {}

  static create(memory: PhysicalPages): Pipe | null {
    const buffer: number[] = [];
    for (let i = 0; i < PIPE_PAGES; i++) {
      const page = memory.buddy.allocPage(GFP_KERNEL);
      if (page < 0) { for (const p of buffer) memory.buddy.freePages(p, 0); return null; }
      buffer.push(page);
    }
    return new Pipe(memory, buffer);
  }

  free(): void {
    for (const page of this.buffer) this.memory.buddy.freePages(page, 0);
    this.buffer.length = 0;
  }

  private byteAt(index: number): number {
    const at = (this.head + index) % PIPE_CAPACITY;
    return this.buffer[Math.floor(at / PAGE_SIZE)]! + (at % PAGE_SIZE);
  }

  /** Removes up to `count` bytes from the front of the ring. */
  take(count: number): Uint8Array {
    const n = Math.min(count, this.length);
    const out = new Uint8Array(n);
    const bytes = this.memory.bytes;
    for (let done = 0; done < n;) {
      const physical = this.byteAt(done);
      const chunk = Math.min(n - done, PAGE_SIZE - (physical % PAGE_SIZE));
      // Hot path (lat_pipe's one-byte messages): a short copy by bytes costs less than a subarray view and a set.
      if (chunk <= SMALL_COPY) for (let i = 0; i < chunk; i++) out[done + i] = bytes[physical + i]!;
      else out.set(bytes.subarray(physical, physical + chunk), done);
      done += chunk;
    }
    this.head = (this.head + n) % PIPE_CAPACITY;
    this.length -= n;
    return out;
  }

  /** Appends the first `count` bytes of `data` (the caller checked the space). */
  put(data: Uint8Array, count: number): void {
    const bytes = this.memory.bytes;
    for (let done = 0; done < count;) {
      const physical = this.byteAt(this.length);
      const chunk = Math.min(count - done, PAGE_SIZE - (physical % PAGE_SIZE));
      if (chunk <= SMALL_COPY) for (let i = 0; i < chunk; i++) bytes[physical + i] = data[done + i]!;
      else bytes.set(data.subarray(done, done + chunk), physical);
      done += chunk;
      this.length += chunk;
    }
  }
}

const pipeOf = (file: OpenFile): Pipe => file.inode.private_ as Pipe;

export const pipeReadOps: FileOps = {
  read(file: OpenFile, count: number, _position: number, io: IoContext): Uint8Array | number {
    const pipe = pipeOf(file);
    if (pipe.length === 0) {
      if (pipe.writers === 0) return new Uint8Array(0);
      if (file.flags & O_NONBLOCK) return -EAGAIN;
      return io.block(pipe.queue);
    }
    const data = pipe.take(count);
    pipe.queue.wakeAll();
    return data;
  },
  poll(file) {
    const pipe = pipeOf(file);
    return { events: (pipe.length > 0 ? POLLIN : 0) | (pipe.writers === 0 ? POLLHUP : 0), queue: pipe.queue };
  },
  release(file) {
    const pipe = pipeOf(file);
    pipe.readers--;
    pipe.queue.wakeAll();
    if (pipe.readers === 0 && pipe.writers === 0) pipe.free();
  },
};

export const pipeWriteOps: FileOps = {
  writeCopies: true,
  write(file: OpenFile, data: Uint8Array, _position: number, io: IoContext): number {
    const pipe = pipeOf(file);
    if (pipe.readers === 0) { io.sendSigpipe(); return -EPIPE; }
    if (data.length === 0) return 0;
    const space = PIPE_CAPACITY - pipe.length;
    // man 7 pipe: writes of at most PIPE_BUF bytes are atomic; larger ones may be partial.
    if (space === 0 || (data.length <= PIPE_BUF && space < data.length)) {
      if (file.flags & O_NONBLOCK) return -EAGAIN;
      return io.block(pipe.queue);
    }
    const n = Math.min(space, data.length);
    pipe.put(data, n);
    pipe.queue.wakeAll();
    return n;
  },
  poll(file) {
    const pipe = pipeOf(file);
    const writable = PIPE_CAPACITY - pipe.length >= PIPE_BUF;
    return { events: (writable ? POLLOUT : 0) | (pipe.readers === 0 ? POLLERR : 0), queue: pipe.queue };
  },
  release(file) {
    const pipe = pipeOf(file);
    pipe.writers--;
    pipe.queue.wakeAll();
    if (pipe.readers === 0 && pipe.writers === 0) pipe.free();
  },
};

/** The inode both ends of a new pipe share (pipefs); -ENOMEM when no pages are left. */
export function createPipeInode(memory: PhysicalPages, superblock: Superblock): Inode | number {
  const pipe = Pipe.create(memory);
  if (!pipe) return -ENOMEM;
  const inode = new Inode(superblock, superblock.nextIno++, S_IFIFO | 0o600, pipeReadOps);
  inode.private_ = pipe;
  return inode;
}
