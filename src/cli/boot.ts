/**
 * `ir0 boot [--root DIR|FILE.cpio] [--disk IMAGE] [--mem MiB] [--cmdline "..."]`:
 * boots the default image to /sbin/init with the host terminal as the serial
 * console. The machine runs in a worker thread; this thread puts the terminal
 * in raw mode, forwards keystrokes through the console channel, passes the
 * window size on resize, handles the escape key (Ctrl-A x quit, Ctrl-A c
 * status, Ctrl-A Ctrl-A a literal Ctrl-A, as qemu's -serial mon:stdio), and
 * restores the terminal on every way out: power off, init's exit, a worker
 * crash, signals, and the terminal going away.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ConsoleChannel } from '../system/console-channel.js';
import type { BootSessionOptions, BootSessionResult } from '../system/boot-session.js';
import type { BootWorkerData } from '../system/boot-worker.js';
import { buildImage, defaultImageRoot, ImageError, readManifest } from '../system/image/index.js';
import { DebianFetchError } from '../system/debian/index.js';
import { RECIPE_VERSION } from '../system/image/image-key.js';
import { bootPhase } from '../system/boot-phases.js';
import { loadInitramfs } from '../system/root-archive.js';

const USAGE = 'usage: ir0 boot [--root DIR|FILE.cpio] [--disk IMAGE] [--mem MiB] [--cmdline "..."]\n';
const CTRL_A = 0x01;
const DEFAULT_CMDLINE = 'console=ttyS0 loglevel=3';

interface BootArguments { root: string | null; disk: string | null; memoryMiB: number; cmdline: string }

function parse(args: string[]): BootArguments | string {
  const parsed: BootArguments = { root: null, disk: null, memoryMiB: 256, cmdline: DEFAULT_CMDLINE };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = args[i + 1];
    if (value === undefined && arg.startsWith('--')) return `ir0 boot: ${arg} needs a value`;
    if (arg === '--root') parsed.root = args[++i]!;
    else if (arg === '--disk') parsed.disk = args[++i]!;
    else if (arg === '--mem') parsed.memoryMiB = Number(args[++i]);
    else if (arg === '--cmdline') parsed.cmdline = args[++i]!;
    else return `ir0 boot: unknown argument ${arg}`;
  }
  if (!Number.isFinite(parsed.memoryMiB) || parsed.memoryMiB < 16) return 'ir0 boot: --mem needs at least 16 (MiB)';
  // console= picks /dev/console; ir0 boot's terminal is COM1 unless the command line says otherwise.
  if (!/(^|\s)console=/.test(parsed.cmdline)) parsed.cmdline = `console=ttyS0 ${parsed.cmdline}`;
  return parsed;
}

/** The default image, built (with progress on stderr) when it is missing or lacks an init. */
async function ensureImage(): Promise<string | null> {
  const root = defaultImageRoot();
  // A built image of the current recipe boots at once; an older one is rebuilt (its .deb files are cached).
  if (readManifest(root)?.recipe === RECIPE_VERSION && fs.existsSync(`${root}/sbin/init`)) return root;
  process.stderr.write('ir0 boot: building the default image (first run, or the recipe changed)...\n');
  try {
    const result = await buildImage({ onProgress: (message) => process.stderr.write(`  ${message}\n`) });
    return result.root;
  } catch (error) {
    if (error instanceof ImageError || error instanceof DebianFetchError) {
      process.stderr.write(`ir0 boot: ${error.message}\n`);
      return null;
    }
    throw error;
  }
}

/** The Ctrl-A escape state machine; returns the bytes to forward to the guest. */
export class EscapeFilter {
  private pending = false;

  constructor(private readonly actions: { quit(): void; status(): void; help(): void }) {}

  filter(bytes: Uint8Array): Uint8Array {
    const out: number[] = [];
    for (const byte of bytes) {
      if (!this.pending) {
        if (byte === CTRL_A) this.pending = true;
        else out.push(byte);
        continue;
      }
      this.pending = false;
      if (byte === CTRL_A) out.push(CTRL_A);
      else if (byte === 0x78 /* x */) this.actions.quit();
      else if (byte === 0x63 /* c */) this.actions.status();
      else if (byte === 0x68 /* h */ || byte === 0x3f /* ? */) this.actions.help();
      // Any other key after Ctrl-A is dropped, as qemu does.
    }
    return Uint8Array.from(out);
  }
}

export async function run(args: string[]): Promise<number> {
  bootPhase('cli-loaded');
  const parsed = parse(args);
  if (typeof parsed === 'string') { process.stderr.write(`${parsed}\n${USAGE}`); return 2; }
  // --disk: the image is the primary ATA disk; without --root (or an explicit root=) its first partition is /, as ir0 run.
  if (parsed.disk !== null && !fs.existsSync(parsed.disk)) { process.stderr.write(`ir0 boot: ${parsed.disk}: no such file or directory\n`); return 1; }
  const diskIsRoot = parsed.disk !== null && parsed.root === null;
  if (diskIsRoot && !/(^|\s)root=/.test(parsed.cmdline)) parsed.cmdline += ' root=/dev/hda1';
  // The worker loads the machine and the kernel (~275 modules) while this thread checks the image and reads the root archive.
  let worker = startWorker(parsed.memoryMiB, prefaultBytes(parsed.root, diskIsRoot));
  const root = diskIsRoot ? null : parsed.root ?? await ensureImage();
  if (root === null && !diskIsRoot) { void worker.terminate(); return 1; }
  bootPhase('image-checked');
  for (;;) {
    let initramfs: Uint8Array | null = null;
    if (root !== null) {
      const loaded = loadInitramfs(root);
      if (typeof loaded === 'string') { process.stderr.write(`ir0 boot: ${loaded}\n`); void worker.terminate(); return 1; }
      initramfs = loaded;
    }
    bootPhase('initramfs-read');
    const code = await runSession(worker, {
      initramfs, disk: parsed.disk, memoryMiB: parsed.memoryMiB, cmdline: parsed.cmdline, init: ['/sbin/init'],
      environment: ['HOME=/', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `TERM=${guestTerm()}`],
    });
    // reboot(2) with RESTART: a new machine boots, as a PC resets.
    if (code !== RESTART) return code;
    worker = startWorker(parsed.memoryMiB, prefaultBytes(parsed.root, diskIsRoot));
  }
}

/** The machine's thread (src/system/boot-worker.ts): it starts loading (and pre-faulting RAM) at once and waits for its session's options. */
function startWorker(memoryMiB: number, prefaultBytes: number): Worker {
  const workerData: BootWorkerData = { memoryMiB, prefaultBytes };
  const worker = new Worker(new URL('../system/boot-worker.js', import.meta.url), { workerData, stdout: false, stderr: false });
  // A worker that fails while loading (before runSession listens) is remembered, not an uncaught error.
  worker.once('error', (error) => { earlyFailures.set(worker, error); });
  worker.once('exit', (code) => { if (!earlyFailures.has(worker)) earlyFailures.set(worker, new Error(`the machine's thread exited (${code})`)); });
  return worker;
}

const earlyFailures = new WeakMap<Worker, Error>();

/**
 * How much guest RAM the worker should pre-fault: what the initramfs will fill (the packed archive
 * beside a root directory, or the archive file) plus room for the kernel and the first programs;
 * nothing without an initramfs.
 */
function prefaultBytes(root: string | null, diskIsRoot: boolean): number {
  if (diskIsRoot) return 0;
  const archive = root === null ? `${defaultImageRoot()}.cpio` : fs.statSync(root, { throwIfNoEntry: false })?.isDirectory() ? `${path.resolve(root)}.cpio` : root;
  const size = fs.statSync(archive, { throwIfNoEntry: false })?.size ?? 0;
  return size + 32 * 1024 * 1024;
}

/** runSession's answer when the guest asked for a restart. */
const RESTART = -1;

/** TERM for the guest: the linux console's sequences are what tmux, xterm and the VGA console all understand. */
function guestTerm(): string {
  return 'linux';
}

function runSession(worker: Worker, options: Omit<BootSessionOptions, 'channel'>): Promise<number> {
  const channel = new ConsoleChannel();
  const stdin = process.stdin;
  const terminal = stdin.isTTY === true;
  const sizeOf = (): { rows: number; columns: number } => ({ rows: process.stdout.rows ?? 24, columns: process.stdout.columns ?? 80 });
  const initial = sizeOf();
  channel.setSize(initial.rows, initial.columns);
  // The archive's memory moves to the worker (no copy) when it is a whole ArrayBuffer of its own.
  const archive = options.initramfs;
  const movable = archive !== null && archive.byteOffset === 0 && archive.byteLength === archive.buffer.byteLength && archive.buffer instanceof ArrayBuffer;
  worker.postMessage({ ...options, channel: channel.buffers } satisfies BootSessionOptions, movable ? [archive.buffer as ArrayBuffer] : []);
  return new Promise<number>((resolve) => {
    let finished = false;
    const backlog: Uint8Array[] = [];
    let drainTimer: NodeJS.Timeout | null = null;
    const restore = (): void => {
      if (terminal) { try { stdin.setRawMode(false); } catch { /* the terminal is gone */ } }
      stdin.pause();
    };
    const finish = (code: number, message?: string): void => {
      if (finished) return;
      finished = true;
      if (drainTimer) clearInterval(drainTimer);
      restore();
      process.removeListener('SIGWINCH', onResize);
      for (const signal of SIGNALS) process.removeListener(signal, onSignal);
      process.removeListener('exit', restore);
      if (message) process.stderr.write(message);
      void worker.terminate();
      resolve(code);
    };
    const push = (bytes: Uint8Array): void => {
      if (backlog.length === 0) {
        const taken = channel.write(bytes);
        if (taken === bytes.length) return;
        bytes = bytes.subarray(taken);
      }
      // A paste larger than the ring waits here and drains as the guest reads.
      backlog.push(bytes.slice());
      drainTimer ??= setInterval(() => {
        while (backlog.length > 0) {
          const first = backlog[0]!;
          const taken = channel.write(first);
          if (taken < first.length) { backlog[0] = first.subarray(taken); return; }
          backlog.shift();
        }
        if (drainTimer) clearInterval(drainTimer);
        drainTimer = null;
      }, 5);
    };
    const escape = new EscapeFilter({
      quit: () => finish(0, '\r\n[ir0] quit (Ctrl-A x)\r\n'),
      status: () => channel.requestStatus(),
      help: () => process.stderr.write('\r\n[ir0] Ctrl-A x quit, Ctrl-A c machine status, Ctrl-A Ctrl-A sends Ctrl-A\r\n'),
    });
    const onResize = (): void => { const size = sizeOf(); channel.setSize(size.rows, size.columns); };
    const onSignal = (signal: NodeJS.Signals): void => {
      const numbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15, SIGQUIT: 3 };
      finish(128 + (numbers[signal] ?? 0), `\r\n[ir0] ${signal}: stopping the machine\r\n`);
    };
    process.on('exit', restore);
    process.on('SIGWINCH', onResize);
    process.stdout.on('resize', onResize);
    for (const signal of SIGNALS) process.on(signal, onSignal);
    if (terminal) stdin.setRawMode(true);
    stdin.on('data', (data: Buffer) => { const bytes = escape.filter(data); if (bytes.length > 0) push(bytes); });
    // The terminal closed (or stdin ended): a hangup. The machine stops; the host terminal, if any, is restored.
    stdin.on('end', () => finish(129, '\r\n[ir0] terminal closed: stopping the machine\r\n'));
    stdin.on('error', () => finish(129));
    stdin.resume();
    worker.on('message', (message: { kind: 'done'; result: BootSessionResult } | { kind: 'crash'; message: string }) => {
      if (message.kind === 'crash') { finish(70, `\r\n[ir0] the machine crashed: ${message.message}\r\n`); return; }
      const { result } = message;
      if (result.error) process.stderr.write(`\r\n[ir0] ${result.error}\r\n`);
      if (result.powerState === 'restart') { finish(RESTART, '\r\n[ir0] restarting\r\n'); return; }
      if (result.powerState !== 'running') { finish(0, `\r\n[ir0] ${result.powerState === 'halt' ? 'halted' : 'powered off'}\r\n`); return; }
      const status = result.status;
      const code = (status & 0x7f) === 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
      finish(code, `\r\n[ir0] init exited (status ${code})\r\n`);
    });
    worker.on('error', (error) => finish(70, `\r\n[ir0] the machine crashed: ${error.stack ?? String(error)}\r\n`));
    const early = earlyFailures.get(worker);
    if (early) finish(70, `\r\n[ir0] the machine crashed: ${early.stack ?? String(early)}\r\n`);
    worker.on('exit', (code) => finish(code === 0 ? 0 : 70));
  });
}

const SIGNALS: NodeJS.Signals[] = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGQUIT'];
