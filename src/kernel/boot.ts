/**
 * The boot order, one step per line (as xv6's main.c). The machine hands over
 * a BootInfo like multiboot's: the e820 memory map (inside PhysicalMemory),
 * the command line and modules (the initramfs). `boot` returns the kernel;
 * `spawnInit` starts pid 1; run-loop.ts runs it.
 */
import type { PhysicalMemory, Platform, Vcpu } from '../hal/index.js';
import { Interrupts, Pic8259Driver } from './irq/index.js';
import type { ConsoleBackend, FileOps } from './fs/index.js';
import {
  createConsoleOps, createRandomOps, fullFileOps, makeDevice, mountFilesystem, MS_NODEV, MS_NOEXEC, MS_NOSUID, nullFileOps, O_RDWR, OpenFile, S_IFCHR, unpackInitramfs, Vfs,
  zeroFileOps, FdTable,
} from './fs/index.js';
import { ENXIO, Random, VirtualClock } from './lib/index.js';
import { Klog, LogLevel } from './log/index.js';
import type { LogLevel as Level } from './log/index.js';
import { AddressSpace, PhysicalPages } from './mm/index.js';
import { execve, Kernel, SignalHandlers, Task } from './proc/index.js';
import type { KernelClock } from './proc/index.js';
import { createScheduler } from './sched/index.js';
import { installSignalFrames } from './arch/index.js';
import { registerBaseFilesystems, startStorage } from './storage.js';
import { registerProcFilesystem } from './fs/procfs/index.js';
import { clockFromSource, probeClockSources, startTimekeeping } from './time/index.js';
import { TtyLayer } from './tty/index.js';
import { startConsoleDrivers } from './drivers/index.js';

export interface BootInfo {
  readonly memory: PhysicalMemory;
  /** Port I/O, MMIO, interrupt acknowledge, hlt and the firmware tables (absent: a CPU-only machine). */
  readonly platform?: Platform;
  readonly cmdline: string;
  /** Boot modules; the first is the initramfs (cpio newc). */
  readonly modules: readonly Uint8Array[];
  readonly console: ConsoleBackend;
  /** Wall-clock time at boot, nanoseconds since the epoch (CLOCK_REALTIME's origin). */
  readonly bootEpoch: number;
  /** A host clock for interactive runs (monotonic ns; advance sleeps); default: virtual time from retired instructions. */
  readonly hostClock?: { monotonic(): number; advance(nanoseconds: number): void };
  /** Where kernel log lines echo (the console by default). */
  readonly logSink?: (line: string) => void;
}

/** `key=value` words of the command line (Linux's parse_args; a bare word maps to ''). */
export function parseCmdline(cmdline: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const word of cmdline.split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf('=');
    options.set(eq < 0 ? word : word.slice(0, eq), eq < 0 ? '' : word.slice(eq + 1));
  }
  return options;
}

export function boot(vcpu: Vcpu, info: BootInfo): Kernel | string {
  const options = parseCmdline(info.cmdline);                                             // 1. command line
  // Closures below capture what they use, never `info`: that would keep the initramfs (modules) alive for the whole run.
  const hostClock = info.hostClock, consoleBackend = info.console;
  const clockSources = info.platform ? probeClockSources(info.platform, options.get('clock')) : [];
  const clock: KernelClock = clockSources[0] ? clockFromSource(clockSources[0], info.bootEpoch)  // 2. clock: the best clock source
    : hostClock ? { monotonic: () => hostClock.monotonic(), advance: (ns) => hostClock.advance(ns), bootEpoch: info.bootEpoch }
    : new VirtualClock(() => vcpu.instructionsRetired, info.bootEpoch);
  const echo = info.logSink ?? ((line: string) => consoleBackend.write(new TextEncoder().encode(line)));
  const log = new Klog({ now: () => clock.monotonic(), echo,                               // 3. kernel log
    consoleLevel: Number(options.get('loglevel') ?? LogLevel.LOG_WARN) as Level });
  log.info(`ir0 booting: ${info.cmdline}`);
  const pages = new PhysicalPages(info.memory, vcpu);                                      // 4. buddy zones + slab from e820
  log.ok(`memory: ${pages.buddy.totalPageCount * 4} KiB usable, zones DMA ${pages.buddy.presentPages[0]} Normal ${pages.buddy.presentPages[1]} HighMem ${pages.buddy.presentPages[2]} pages`);
  const vfs = new Vfs(pages);                                                              // 5. VFS with the root tmpfs
  vfs.now = () => clock.bootEpoch + clock.monotonic();
  const random = new Random(Number(options.get('seed') ?? 1));                             // 6. seeded randomness
  const consoleOps = createConsoleOps(info.console);                                       // 7. console device
  const devices = deviceTable(consoleOps, random);
  const initramfs = info.modules[0];
  if (initramfs) {                                                                         // 8. unpack the initramfs
    const result = unpackInitramfs(vfs, initramfs, (rdev) => devices.get(rdev) ?? noDeviceOps);
    if (result.error) return `initramfs: ${result.error}`;
    log.ok(`initramfs: ${result.files} entries, ${result.bytes} bytes`);
  }
  makeDeviceNodes(vfs, devices);                                                           // 9. /dev nodes (devtmpfs)
  const scheduler = createScheduler<Task>(options.get('sched') ?? 'rr',                    // 10. scheduler core and class
    { clock: () => clock.monotonic(), freePages: pages.buddy.freePageCount });
  if (!scheduler) return `unknown scheduler ${options.get('sched')}`;
  const kernel = new Kernel(vcpu, pages, vfs, log, scheduler, clock, random, consoleOps, info.cmdline);
  kernel.ttys = new TtyLayer(kernel);                                                      // 10b. TTY layer: /dev/tty, /dev/ptmx, /dev/pts
  if (info.platform) {                                                                     // 11a. interrupt controller
    kernel.platform = info.platform;
    kernel.interrupts = new Interrupts(info.platform, new Pic8259Driver(info.platform.ports));
    kernel.interrupts.chip.init();
  }
  const consoleName = options.get('console');
  if (info.platform && kernel.interrupts && consoleName) {                                 // 11b. console drivers: ttyS0/1, tty1
    // Only with console=: the first tty registered becomes /dev/console, and `ir0 run` keeps the host's stdio there.
    startConsoleDrivers({ platform: info.platform, interrupts: kernel.interrupts, memory: info.memory, ttys: kernel.ttys!, log, console: consoleName });
  }
  if (info.platform && clockSources[0]) {                                                  // 11c. clock events, timers, tick
    startTimekeeping(kernel, info.platform, clockSources[0], options.get('clock'));
  }
  installSignalFrames(kernel);                                                             // 11. arch: signal frames
  registerBaseFilesystems(kernel);                                                         // 12. filesystem types: tmpfs, devtmpfs...
  registerProcFilesystem(kernel);                                                          // 13. mount -t proc proc /proc
  mountFilesystem(vfs, { root: vfs.root, cwd: vfs.root, privileged: true }, 'proc', '/proc', 'proc', MS_NOSUID | MS_NODEV | MS_NOEXEC, '');
  const storage = startStorage(kernel, options);                                           // 14. ATA disks, partitions, /dev/hd*, root=
  if (storage) return storage;
  log.ok(`scheduler ${scheduler.name}; ${pages.buddy.freePageCount} pages free`);
  return kernel;
}

const noDeviceOps: FileOps = { read: () => -ENXIO, write: () => -ENXIO };

function deviceTable(consoleOps: FileOps, random: Random): Map<number, FileOps> {
  const randomOps = createRandomOps(random);
  return new Map([
    [makeDevice(1, 3), nullFileOps], [makeDevice(1, 5), zeroFileOps], [makeDevice(1, 7), fullFileOps],
    [makeDevice(1, 8), randomOps], [makeDevice(1, 9), randomOps],
    [makeDevice(5, 0), consoleOps], [makeDevice(5, 1), consoleOps],
  ]);
}

const deviceNames: [string, number][] = [
  ['null', makeDevice(1, 3)], ['zero', makeDevice(1, 5)], ['full', makeDevice(1, 7)], ['random', makeDevice(1, 8)],
  ['urandom', makeDevice(1, 9)], ['tty', makeDevice(5, 0)], ['console', makeDevice(5, 1)],
];

function makeDeviceNodes(vfs: Vfs, devices: Map<number, FileOps>): void {
  let dev = vfs.root.children.get('dev');
  if (!dev) { vfs.mkdir(vfs.root, 'dev', 0o755); dev = vfs.root.children.get('dev')!; }
  for (const [name, rdev] of deviceNames) {
    if (dev.children.has(name)) continue;
    const inode = vfs.create(dev, name, S_IFCHR | 0o666, devices.get(rdev)!);
    if (typeof inode !== 'number') inode.rdev = rdev;
  }
  for (const name of ['tmp', 'proc', 'sys', 'root']) if (!vfs.root.children.has(name)) vfs.mkdir(vfs.root, name, name === 'tmp' ? 0o1777 : 0o755);
}

/**
 * Creates pid 1 with stdin/stdout/stderr on /dev/console and execs `path`; returns 0 or a negative
 * errno. `stdio` may give each of fds 0-2 its own console ops (the host's three streams).
 */
export function spawnInit(kernel: Kernel, path: string, argv: string[], envp: string[], stdio?: readonly FileOps[]): number {
  const mm = AddressSpace.create(kernel.pages);
  if (!mm) return -12;
  const pid = kernel.pids.allocate();
  const context = kernel.vcpu.createContext();
  // The vcpu's reset state holds the flat user segments; the new context starts from it.
  kernel.vcpu.saveContext(context);
  const root = kernel.vfs.root;
  const task = new Task(pid, context, mm, new FdTable(), { root, cwd: root, umask: 0o022 }, new SignalHandlers(),
    { uid: 0, euid: 0, suid: 0, gid: 0, egid: 0, sgid: 0, groups: [0] });
  task.onWake = (t) => kernel.makeRunnable(t);
  const console = kernel.vfs.lookup(root, root, '/dev/console');
  if (typeof console === 'number') return console;
  if (stdio) {
    for (const ops of stdio) task.files.install(new OpenFile(console, O_RDWR, '/dev/console', ops), false);
  } else {
    const file = new OpenFile(console, O_RDWR, '/dev/console');
    task.files.install(file, false);
    for (let fd = 1; fd < 3; fd++) task.files.installAt(fd, file, false);
  }
  kernel.tasks.set(pid, task);
  const encoder = new TextEncoder();
  const result = execve(kernel, task, { path, argv: argv.map((a) => encoder.encode(a)), envp: envp.map((e) => encoder.encode(e)) });
  if (result < 0) {
    task.files.closeAll();
    task.mm.destroy();
    kernel.tasks.delete(pid);
    kernel.pids.release(pid);
    return result;
  }
  kernel.initPid = pid;
  kernel.haltStatus = null;
  kernel.makeRunnable(task);
  return 0;
}
