/**
 * Boots ir0 in this process and runs one program from a root of host files,
 * capturing its stdout and stderr and the kernel log instead of printing them.
 * Used by `bench kernel` and the fuzzers: several runs share one booted system,
 * so free pages before and after each run (the leak check) are comparable.
 */
import type { CpioEntry } from '../../kernel/index.js';
import { S_IFDIR, S_IFREG, writeCpio } from '../../kernel/index.js';
import { createSystem, type RunResult, type System } from '../system.js';
import { memoryConsole } from '../memory-console.js';

/** A file of the root: its path inside the guest (no leading '/') and its bytes. */
export interface RootFile {
  readonly name: string;
  readonly data: Uint8Array;
}

export interface CapturedRun extends RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

export interface CapturedSystem {
  readonly system: System;
  /** Kernel log lines since boot. */
  readonly log: string[];
  run(argv: readonly string[], maxInstructions?: number): CapturedRun;
}

/** The initramfs of `files`, with the directories their names need. */
export function rootArchive(files: readonly RootFile[]): Uint8Array {
  const base = { uid: 0, gid: 0, rdevMajor: 0, rdevMinor: 0, ino: 0, nlink: 1, mtime: 0 };
  const directories = new Set<string>(['tmp']);
  for (const file of files) {
    const parts = file.name.split('/');
    for (let i = 1; i < parts.length; i++) directories.add(parts.slice(0, i).join('/'));
  }
  const entries: CpioEntry[] = [
    ...[...directories].sort().map((name) => ({ ...base, name, mode: S_IFDIR | 0o1777, data: new Uint8Array(0) })),
    ...files.map((file) => ({ ...base, name: file.name, mode: S_IFREG | 0o755, data: file.data })),
  ];
  return writeCpio(entries);
}

/** Boots a system over `files`; host time when `hostTime` (benchmarks), else virtual time (reproducible fuzzing). */
export function bootCaptured(files: readonly RootFile[], options: { memoryMiB: number; hostTime: boolean }): CapturedSystem | string {
  const stdout: number[] = [];
  const stderr: number[] = [];
  const log: string[] = [];
  const system = createSystem({
    memoryMiB: options.memoryMiB, cmdline: 'loglevel=3', initramfs: rootArchive(files), console: memoryConsole(stdout),
    stdio: [memoryConsole(null), memoryConsole(stdout), memoryConsole(stderr)], bootEpoch: 1.7e18,
    logSink: (line) => { if (log.length < 10_000) log.push(line); }, hostTime: options.hostTime,
  });
  if (typeof system === 'string') return system;
  return {
    system,
    log,
    run(argv, maxInstructions) {
      stdout.length = 0;
      stderr.length = 0;
      const start = process.hrtime.bigint();
      const result = system.run(argv[0]!, [...argv], undefined, maxInstructions);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      return { ...result, stdout: Buffer.from(stdout).toString(), stderr: Buffer.from(stderr).toString(), seconds };
    },
  };
}
