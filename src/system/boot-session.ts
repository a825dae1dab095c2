/**
 * One interactive boot, run inside the machine's worker thread: a PC on the
 * host clock whose COM1 is the host terminal (input from the console channel's
 * ring, output straight to fd 1), /dev/console on ttyS0, and /sbin/init as
 * pid 1. Returns when init exits or reboot(2) stops the machine. The
 * terminal side (raw mode, Ctrl-A escapes, resize) is src/cli/boot.ts.
 */
import * as fs from 'node:fs';
import type { ConsoleSizeBackend, SerialBackend } from '../hal/index.js';
import type { Kernel } from '../kernel/index.js';
import type { ConsoleChannelBuffers } from './console-channel.js';
import { ConsoleChannel } from './console-channel.js';
import { createSystem } from './system.js';
import { openFileBackend } from './block-backends.js';
import type { FileBlockBackend } from './block-backends.js';
import { terminalDisplay, terminalKeyboard } from './host-vga.js';
import { bootPhase } from './boot-phases.js';

export interface BootSessionOptions {
  /** The initramfs (cpio newc; root-archive.ts loadInitramfs), or null: the root is on the disk. */
  readonly initramfs: Uint8Array | null;
  /** A disk image file: the primary ATA disk. */
  readonly disk: string | null;
  readonly memoryMiB: number;
  readonly cmdline: string;
  readonly init: readonly string[];
  readonly environment: readonly string[];
  readonly channel: ConsoleChannelBuffers;
}

export interface BootSessionResult {
  /** pid 1's wait status, or 0 after reboot(2). */
  readonly status: number;
  readonly powerState: 'running' | 'power-off' | 'halt' | 'restart';
  readonly error: string | null;
}

/** Host input moved to the UART per poll at most (polls come at least once per millisecond). */
const INPUT_CHUNK_BYTES = 64 * 1024;

const sleep = (ms: number): void => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); };

/** Writes all of `bytes` to the host's fd 1 (a raw tty may answer EAGAIN; a closed one EIO/EPIPE: dropped). */
export function writeOut(bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) {
    try {
      done += fs.writeSync(1, bytes, done, bytes.length - done);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') { sleep(1); continue; }
      return;
    }
  }
}

/** Uptime, tasks and memory, as Ctrl-A c shows them. */
export function machineStatus(kernel: Kernel, instructions: number): string {
  const buddy = kernel.pages.buddy;
  const tasks = [...kernel.tasks.values()];
  const seconds = (kernel.clock.monotonic() / 1e9).toFixed(1);
  return `[ir0] up ${seconds} s, ${tasks.length} tasks (${tasks.map((t) => `${t.comm}[${t.pid}]`).join(' ')}), ` +
    `memory ${buddy.freePageCount * 4} of ${buddy.totalPageCount * 4} KiB free, ${(instructions / 1e6).toFixed(0)}M instructions`;
}

/** `ramBuffer`: the guest's RAM made (and pre-faulted) beforehand, of options.memoryMiB. */
export function runBootSession(options: BootSessionOptions, ramBuffer?: SharedArrayBuffer): BootSessionResult {
  bootPhase('session-start');
  const channel = new ConsoleChannel(options.channel);
  let statusSeen = channel.statusRequests;
  let sizeSeen = channel.sizeChanges;
  let showStatus = (): void => undefined;
  let receive: (bytes: Uint8Array) => number = () => 0;
  /** Input the UART's line had no room for yet: offered first at the next poll (the ring holds the rest). */
  let held: Uint8Array | null = null;
  let sizeChanged = (): void => undefined;
  // console=tty1: the terminal shows the VGA text screen and types on the PS/2 keyboard; otherwise it is COM1's line.
  const onVga = /(^|\s)console=tty1(\s|,|$)/.test(options.cmdline);
  const serial: SerialBackend = {
    write: writeOut,
    connect: (callback) => { receive = callback; },
    poll: () => {
      if (!onVga) {
        const bytes = held ?? channel.read(INPUT_CHUNK_BYTES);
        if (bytes) {
          const taken = receive(bytes);
          held = taken < bytes.length ? bytes.subarray(taken) : null;
        }
      }
      const status = channel.statusRequests;
      if (status !== statusSeen) { statusSeen = status; showStatus(); }
    },
  };
  const vga = onVga ? { display: terminalDisplay(writeOut), keyboard: terminalKeyboard(() => channel.read()) } : {};
  const consoleSize: ConsoleSizeBackend = {
    size: () => channel.size(),
    connect: (callback) => { sizeChanged = callback; },
    poll: () => {
      const changes = channel.sizeChanges;
      if (changes !== sizeSeen) { sizeSeen = changes; sizeChanged(); }
    },
  };
  let initramfs = options.initramfs;
  let disk: FileBlockBackend | null = null;
  try {
    if (options.disk !== null) disk = openFileBackend(options.disk);
  } catch (error) {
    return { status: 1 << 8, powerState: 'running', error: `${options.disk}: ${(error as Error).message}` };
  }
  try {
    const encoder = new TextEncoder();
    const early = { isTerminal: false, windowSize: () => channel.size(), read: () => new Uint8Array(0), write: writeOut };
    const system = createSystem({
      memoryMiB: options.memoryMiB, cmdline: options.cmdline, initramfs, console: early, bootEpoch: Date.now() * 1e6, hostTime: true,
      wakeCell: channel.wakeCell, backends: { serial: [serial], consoleSize, ...vga, ...(disk ? { disk } : {}) }, ramBuffer,
      // Kernel log lines reach the terminal as the serial console prints them: CR LF.
      logSink: (line) => writeOut(encoder.encode(line.replace(/\n/g, '\r\n'))),
    });
    initramfs = null; // unpacked: the host may reclaim the archive
    bootPhase('kernel-booted');
    if (typeof system === 'string') return { status: 1 << 8, powerState: 'running', error: `boot failed: ${system}` };
    showStatus = () => writeOut(encoder.encode(`\r\n${machineStatus(system.kernel, system.machine.cpu.instructionsRetired)}\r\n`));
    const [program, ...rest] = options.init;
    const result = system.run(program!, [program!, ...rest], [...options.environment]);
    return { status: result.status, powerState: system.kernel.powerState, error: result.error };
  } finally {
    // After the kernel's clean shutdown (sync, FLUSH CACHE): the image file is complete.
    disk?.close();
  }
}
