/**
 * createSystem(config): joins an emulated PC (machine/) and the kernel with
 * host backends. `run(program, argv)` boots, starts the program as pid 1 and
 * returns its wait status; a kernel panic prints an oops and stops cleanly.
 */
import { KernelPanic } from '../base/assert.js';
import { createMachine } from '../machine/index.js';
import type { MachineBackends, PcMachine } from '../machine/index.js';
import type { HostTime } from '../hal/index.js';
import { nodeHostTime } from './host-time.js';
import type { ConsoleBackend, Kernel } from '../kernel/index.js';
import { boot, createConsoleOps, formatOops, runKernel, shutdownStorage, shutdownTasks, spawnInit } from '../kernel/index.js';

/** The wall clock at boot of a virtual-time run (2024-01-01 00:00:00 UTC): fixed, so two runs are identical. */
export const VIRTUAL_BOOT_EPOCH = 1_704_067_200 * 1e9;

export interface SystemConfig {
  readonly memoryMiB: number;
  readonly cmdline: string;
  /** The initramfs (cpio newc), or null for an empty root. */
  readonly initramfs: Uint8Array | null;
  readonly console: ConsoleBackend;
  /** Separate backends for pid 1's stdin, stdout and stderr (default: all on the console). */
  readonly stdio?: readonly [ConsoleBackend, ConsoleBackend, ConsoleBackend];
  /** Wall clock at boot in ns since the epoch; fixed for reproducible runs. */
  readonly bootEpoch: number;
  /** Use host time instead of virtual time (interactive runs: sleep really sleeps, benchmarks measure host time). */
  readonly hostTime?: boolean;
  /** Kernel log lines (default: to the console). */
  readonly logSink?: (line: string) => void;
  /** Host backends of the machine's devices (serial lines, display, keyboard, console size). */
  readonly backends?: Omit<MachineBackends, 'hostTime'>;
  /** With hostTime: the cell host sleeps wait on; Atomics.notify on it (another thread's input) cuts them short. */
  readonly wakeCell?: Int32Array<SharedArrayBuffer>;
  /** RAM's memory, zeroed, of memoryMiB (ir0 boot pre-faults it while the kernel loads); default: allocated at boot. */
  readonly ramBuffer?: SharedArrayBuffer;
}

export interface RunResult {
  /** The wait status of pid 1 (exit code << 8, or the killing signal). */
  readonly status: number;
  readonly instructions: number;
  /** Free pages before the program started and after it ended (the leak check). */
  readonly freePagesBefore: number;
  readonly freePagesAfter: number;
  /** Set when the run ended in a kernel panic or failed to start. */
  readonly error: string | null;
}

export interface System {
  readonly machine: PcMachine;
  readonly kernel: Kernel;
  run(program: string, argv: string[], envp?: string[], maxInstructions?: number): RunResult;
}

export const DEFAULT_ENVIRONMENT = ['HOME=/', 'PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', 'TERM=linux'];

/** Host monotonic time; advancing it sleeps the host thread (the kernel is idle meanwhile) until host input wakes it. */
function hostClock(time: HostTime): { monotonic(): number; advance(nanoseconds: number): void } {
  const origin = process.hrtime.bigint();
  return {
    monotonic: () => Number(process.hrtime.bigint() - origin),
    advance: (nanoseconds) => { time.sleep(nanoseconds); },
  };
}

export function createSystem(config: SystemConfig): System | string {
  const time = config.hostTime ? nodeHostTime(config.wakeCell) : undefined;
  const machine = createMachine({
    memoryMiB: config.memoryMiB, clock: config.hostTime ? 'host' : 'virtual', epoch: config.bootEpoch, ramBuffer: config.ramBuffer,
    backends: { ...config.backends, hostTime: time },
  });
  const kernel = boot(machine.cpu, {
    memory: machine.ram, platform: machine.platform, cmdline: config.cmdline, modules: config.initramfs ? [config.initramfs] : [],
    console: config.console, bootEpoch: config.bootEpoch, logSink: config.logSink,
    hostClock: time ? hostClock(time) : undefined,
  });
  if (typeof kernel === 'string') return kernel;
  // run() keeps only what it needs: capturing `config` would keep the initramfs alive after boot unpacked it.
  const stdio = config.stdio;
  return {
    machine,
    kernel,
    run(program, argv, envp = DEFAULT_ENVIRONMENT, maxInstructions) {
      const freePagesBefore = kernel.pages.buddy.freePageCount;
      const start = machine.cpu.instructionsRetired;
      const result = (status: number, error: string | null): RunResult => ({
        status, error, instructions: machine.cpu.instructionsRetired - start, freePagesBefore,
        freePagesAfter: kernel.pages.buddy.freePageCount,
      });
      const spawned = spawnInit(kernel, program, argv, envp, stdio?.map((backend) => createConsoleOps(backend)));
      if (spawned < 0) return result(127 << 8, `cannot execute ${program}: errno ${-spawned}`);
      try {
        const status = runKernel(kernel, { maxInstructions });
        // Devices hand over what they hold (a UART's batched output) before the machine stops.
        machine.platform.poll();
        shutdownTasks(kernel);
        // A clean shutdown: dirty cache pages reach the disk and FLUSH CACHE makes them durable.
        shutdownStorage(kernel);
        return result(status, null);
      } catch (error) {
        // A panic, or a host exception from kernel code (a kernel bug all the same): print an oops, stop cleanly.
        if (!(error instanceof Error)) throw error;
        const reason = error instanceof KernelPanic ? error.message : `${error.name}: ${error.message}`;
        const task = kernel.current;
        const registers = { gpr: machine.cpu.gpr, eip: machine.cpu.eip, eflags: machine.cpu.getEflags() };
        const oops = formatOops(reason, registers, task ? `${task.comm}[${task.pid}]` : '(none)', error.stack);
        kernel.log.error(oops);
        return result(134, oops);
      }
    },
  };
}
