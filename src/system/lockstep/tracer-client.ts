/**
 * The driver's side of userland/lockstep-tracer: a synchronous client for its
 * binary protocol (request: command byte + little-endian u32 arguments;
 * response: i32 status, u32 length, payload). Synchronous because the vcpu
 * runs synchronously and the two sides alternate; the pipes are FIFOs read
 * with a short spin then a sleeping backoff, so a dead tracer reads as EOF.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

/** What stopped the real process (tracer.c's EVENT_*). */
export const TraceEvent = { SyscallEntry: 1, SyscallExit: 2, Signal: 3, Exited: 4, Killed: 5, Trap: 6 } as const;
export type TraceEvent = (typeof TraceEvent)[keyof typeof TraceEvent];

export interface TraceStop {
  event: TraceEvent;
  /** Signal number (Signal, Killed), exit status (Exited), ptrace event (Trap). */
  value: number;
}

/** A TLS descriptor as PTRACE_GET_THREAD_AREA returns it (struct user_desc, asm/ldt.h). */
export interface UserDesc {
  entryNumber: number;
  base: number;
  limit: number;
  flags: number;
}

/** i386 registers in the order of the protocol. */
export interface RealRegisters {
  /** eax, ecx, edx, ebx, esp, ebp, esi, edi (Reg order), as u32. */
  gpr: Uint32Array;
  eip: number;
  eflags: number;
  origEax: number;
  /** es, cs, ss, ds, fs, gs (Seg order). */
  segments: Uint32Array;
  tls: UserDesc[];
}

/** One instruction single-stepped by the tracer's trace command: the state after it. */
export interface TraceRecord {
  registers: RealRegisters;
  /** The x87 state after an x87 instruction. */
  fpu?: Uint8Array;
  /** Watched pages whose contents changed (all of them in the first record). */
  pages: Map<number, Uint8Array>;
}

export interface TraceBatch {
  records: TraceRecord[];
  /** 'limit': maxSteps done; 'special': the next instruction is one the driver handles; 'event': the process stopped otherwise. */
  stop: 'limit' | 'special' | 'event';
  event?: TraceStop;
}

export interface TracerOptions {
  stdin?: string;
  stdout?: string;
  env?: Record<string, string>;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

export class TracerClient {
  readonly pid: number;
  private readonly process: ChildProcess;
  private readonly requestFd: number;
  private readonly responseFd: number;
  private readonly directory: string;
  private readonly header = Buffer.alloc(8);
  private closed = false;

  constructor(tracerPath: string, argv: readonly string[], options: TracerOptions = {}) {
    this.directory = mkdtempSync(join(tmpdir(), 'ir0-lockstep-'));
    const requestPath = join(this.directory, 'request');
    const responsePath = join(this.directory, 'response');
    execFileSync('mkfifo', [requestPath, responsePath]);
    // Open each FIFO's far end first without blocking, hand it to the tracer,
    // and keep only our end, so that either side's death is seen as EOF/EPIPE.
    const requestRead = openSync(requestPath, constants.O_RDONLY | constants.O_NONBLOCK);
    this.requestFd = openSync(requestPath, constants.O_WRONLY);
    this.responseFd = openSync(responsePath, constants.O_RDONLY | constants.O_NONBLOCK);
    const responseWrite = openSync(responsePath, constants.O_WRONLY);
    const args = [];
    if (options.stdin !== undefined) args.push('--stdin', options.stdin);
    if (options.stdout !== undefined) args.push('--stdout', options.stdout);
    this.process = spawn(tracerPath, [...args, '--', ...argv], {
      stdio: [requestRead, responseWrite, 'inherit'],
      env: options.env ?? process.env,
    });
    closeSync(requestRead);
    closeSync(responseWrite);
    const hello = this.response();
    if (hello.status <= 0) throw new Error(`lockstep-tracer could not start ${argv[0]} (status ${hello.status})`);
    this.pid = hello.status;
  }

  private send(command: string, words: readonly number[], extra?: Uint8Array): void {
    const buffer = Buffer.alloc(1 + words.length * 4 + (extra?.length ?? 0));
    buffer[0] = command.charCodeAt(0);
    words.forEach((word, i) => buffer.writeUInt32LE(word >>> 0, 1 + i * 4));
    if (extra) buffer.set(extra, 1 + words.length * 4);
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(this.requestFd, buffer, offset);
  }

  private readExact(into: Buffer, length: number): void {
    let offset = 0;
    let idle = 0;
    while (offset < length) {
      let n: number;
      try {
        n = readSync(this.responseFd, into, offset, length - offset, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        // Spin briefly (a single step answers in ~70 us), then sleep in growing steps.
        idle++;
        if (idle > 200) Atomics.wait(sleepCell, 0, 0, Math.min(2, (idle - 200) / 100));
        continue;
      }
      if (n === 0) throw new Error('lockstep-tracer exited unexpectedly');
      offset += n;
      idle = 0;
    }
  }

  private response(): { status: number; payload: Buffer } {
    this.readExact(this.header, 8);
    const status = this.header.readInt32LE(0);
    const length = this.header.readUInt32LE(4);
    const payload = Buffer.alloc(length);
    if (length > 0) this.readExact(payload, length);
    return { status, payload };
  }

  private stopFrom(command: 'c' | 's', signal: number): TraceStop {
    this.send(command, [signal]);
    const { status, payload } = this.response();
    if (status < 0) throw new Error(`lockstep-tracer: resume failed (${status})`);
    return { event: payload.readUInt32LE(0) as TraceEvent, value: payload.readUInt32LE(4) };
  }

  /** PTRACE_SYSCALL: runs to the next syscall entry/exit or signal stop. */
  continueToSyscall(signal = 0): TraceStop {
    return this.stopFrom('c', signal);
  }

  /** PTRACE_SINGLESTEP: one instruction (or one rep iteration). */
  step(signal = 0): TraceStop {
    return this.stopFrom('s', signal);
  }

  /** Single-steps up to `maxSteps` instructions tracer-side (see tracer.c trace_steps), watching `pages`. */
  trace(maxSteps: number, pages: readonly number[]): TraceBatch {
    const watched = pages.slice(0, 8);
    this.send('t', [maxSteps, watched.length, ...watched]);
    const { status, payload } = this.response();
    if (status < 0) throw new Error(`lockstep-tracer: trace failed (${status})`);
    const count = payload.readUInt32LE(0), stop = payload.readUInt32LE(4);
    const records: TraceRecord[] = [];
    let at = 16;
    for (let i = 0; i < count; i++) {
      const mask = payload.readUInt32LE(at);
      at += 4;
      const words = new Uint32Array(17);
      for (let w = 0; w < 17; w++) words[w] = payload.readUInt32LE(at + w * 4);
      at += 68;
      const registers: RealRegisters = {
        gpr: words.slice(0, 8), eip: words[8], eflags: words[9], origEax: words[10], segments: words.slice(11, 17), tls: [],
      };
      let fpu: Uint8Array | undefined;
      if (mask & 0x80000000) {
        fpu = new Uint8Array(payload.subarray(at, at + 108));
        at += 108;
      }
      const changed = new Map<number, Uint8Array>();
      for (let p = 0; p < watched.length; p++) {
        if ((mask & (1 << p)) === 0) continue;
        changed.set(watched[p], new Uint8Array(payload.subarray(at, at + 4096)));
        at += 4096;
      }
      records.push({ registers, fpu, pages: changed });
    }
    return {
      records,
      stop: stop === 0 ? 'limit' : stop === 1 ? 'special' : 'event',
      event: stop === 2 ? { event: payload.readUInt32LE(8) as TraceEvent, value: payload.readUInt32LE(12) } : undefined,
    };
  }

  registers(): RealRegisters {
    this.send('r', []);
    const { status, payload } = this.response();
    if (status < 0) throw new Error(`lockstep-tracer: PTRACE_GETREGS failed (${status})`);
    const words = new Uint32Array(payload.buffer.slice(payload.byteOffset, payload.byteOffset + payload.length));
    const tls: UserDesc[] = [];
    for (let i = 0; i < 3; i++) {
      const at = 17 + i * 4;
      tls.push({ entryNumber: words[at] | 0, base: words[at + 1], limit: words[at + 2], flags: words[at + 3] });
    }
    return {
      gpr: words.slice(0, 8), eip: words[8], eflags: words[9], origEax: words[10],
      segments: words.slice(11, 17), tls,
    };
  }

  /** PTRACE_SETREGS of the general registers, eip, eflags and orig_eax (segments unchanged). */
  setRegisters(registers: RealRegisters): void {
    const words = [...registers.gpr, registers.eip, registers.eflags, registers.origEax, ...registers.segments];
    this.send('w', words);
    const { status } = this.response();
    if (status < 0) throw new Error(`lockstep-tracer: PTRACE_SETREGS failed (${status})`);
  }

  /** PTRACE_GETFPREGS: the x87 state in the 108-byte fnsave layout (Intel SDM 1 §8.1.10). */
  fpu(): Uint8Array {
    this.send('g', []);
    const { status, payload } = this.response();
    if (status < 0 || payload.length !== 108) throw new Error(`lockstep-tracer: PTRACE_GETFPREGS failed (${status})`);
    return new Uint8Array(payload);
  }

  /** Reads via /proc/pid/mem; `readable` is how many bytes could be read (the rest are zero). */
  readMemory(address: number, length: number): { data: Buffer; readable: number } {
    this.send('m', [address, length]);
    const { status, payload } = this.response();
    return { data: payload, readable: status };
  }

  /** Writes via /proc/pid/mem (works on read-only text, as a debugger's breakpoint does). */
  writeMemory(address: number, data: Uint8Array): void {
    this.send('p', [address, data.length], data);
    const { status } = this.response();
    if (status !== data.length) throw new Error(`lockstep-tracer: writing ${data.length} bytes at ${address.toString(16)} failed (${status})`);
  }

  maps(): string {
    this.send('f', [0]);
    return this.response().payload.toString('latin1');
  }

  procStatus(): string {
    this.send('f', [1]);
    return this.response().payload.toString('latin1');
  }

  /** kill(pid, signal): queues a signal for the real process. */
  signal(signal: number): void {
    this.send('k', [signal]);
    this.response();
  }

  /** Kills the real process and ends the tracer. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.send('q', []);
      this.response();
    } catch {
      // The tracer already exited.
    }
    closeSync(this.requestFd);
    closeSync(this.responseFd);
    this.process.kill('SIGKILL');
    rmSync(this.directory, { recursive: true, force: true });
  }
}
