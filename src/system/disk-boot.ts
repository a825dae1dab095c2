/**
 * For tests: a system booted from a disk image (no initramfs; the command line names the root,
 * e.g. root=/dev/hda1), its console and pid 1's stdout and stderr captured in `stdout`, its
 * kernel log in `log`. `system` is the boot error text when it did not boot.
 */
import type { BlockBackend } from '../hal/index.js';
import { memoryConsole } from './memory-console.js';
import { createSystem, type System } from './system.js';

export interface DiskBootedSystem {
  readonly system: System | string;
  readonly stdout: number[];
  readonly log: string[];
}

export function bootFromDisk(disk: BlockBackend, options: { readonly memoryMiB: number; readonly cmdline: string }): DiskBootedSystem {
  const stdout: number[] = [];
  const log: string[] = [];
  const system = createSystem({
    memoryMiB: options.memoryMiB, cmdline: options.cmdline, initramfs: null, console: memoryConsole(stdout),
    stdio: [memoryConsole([]), memoryConsole(stdout), memoryConsole(stdout)], bootEpoch: 1.7e18, logSink: (line) => log.push(line),
    backends: { disk },
  });
  return { system, stdout, log };
}
