/**
 * The system-wide files of /proc (fs/proc/*.c, Documentation/filesystems/proc.rst):
 * cpuinfo, stat, uptime, loadavg, version, interrupts, devices, partitions, swaps,
 * buddyinfo, slabinfo, cmdline, sched_debug — each a function of the live kernel.
 */
import type { Kernel, Task } from '../../proc/index.js';
import { TaskState, updateLoadAverage, UTS_RELEASE, UTS_VERSION } from '../../proc/index.js';
import { procSchedDebug } from '../../sched/index.js';
import { ticks } from './process-view.js';

export const KERNEL_RELEASE = UTS_RELEASE;
export const KERNEL_VERSION = UTS_VERSION;

/** A living task: not yet released (zombies still count in /proc/stat and loadavg's total). */
const live = (task: Task): boolean => task.state !== TaskState.Dead;

/** CPU time used since boot: every live task's own time plus what reaped children left in their reaper (ns). */
export function busyTime(kernel: Kernel): { user: number; system: number } {
  let user = 0, system = 0;
  for (const task of kernel.tasks.values()) {
    if (!live(task)) continue;
    user += task.userTime + task.childUserTime;
    system += task.systemTime + task.childSystemTime;
  }
  return { user, system };
}

/** Runnable tasks and all tasks (threads), for loadavg and procs_running. */
export function taskCounts(kernel: Kernel): { running: number; total: number } {
  let running = 0, total = 0;
  for (const task of kernel.tasks.values()) {
    if (!live(task)) continue;
    total++;
    if (task.state === TaskState.Runnable) running++;
  }
  return { running, total };
}

/** The emulated CPU as cpuid describes it (family 6 model 3 stepping 3, fpu tsc cx8 cmov): show_cpuinfo of i386. */
export function cpuinfoText(): string {
  return [
    'processor\t: 0', 'vendor_id\t: GenuineIntel', 'cpu family\t: 6', 'model\t\t: 3', 'model name\t: Pentium II (Klamath)',
    'stepping\t: 3', 'cpu MHz\t\t: 1000.000', 'fdiv_bug\t: no', 'f00f_bug\t: no', 'coma_bug\t: no', 'fpu\t\t: yes',
    'fpu_exception\t: yes', 'cpuid level\t: 1', 'wp\t\t: yes', 'flags\t\t: fpu tsc cx8 cmov', 'bugs\t\t:', 'bogomips\t: 2000.00',
    'clflush size\t: 32', 'cache_alignment\t: 32', 'address sizes\t: 32 bits physical, 32 bits virtual', 'power management:', '', '',
  ].join('\n');
}

/** /proc/stat (fs/proc/stat.c show_stat): times in USER_HZ ticks, interrupt counts, context switches, forks. */
export function statText(kernel: Kernel): string {
  const busy = busyTime(kernel);
  const uptime = kernel.clock.monotonic();
  const idle = Math.max(0, uptime - busy.user - busy.system);
  const cpu = [ticks(busy.user), 0, ticks(busy.system), ticks(idle), 0, 0, 0, 0, 0, 0].join(' ');
  // One count per interrupt number from 0, as many as the highest line in use (at least the 8259 pair's 16).
  const lines = kernel.interrupts?.lines() ?? [];
  const counts = new Array<number>(Math.max(16, ...lines.map((line) => line.irq + 1))).fill(0);
  for (const line of lines) counts[line.irq] = line.count;
  const interrupts = counts.reduce((sum, count) => sum + count, 0);
  let switches = 0;
  for (const task of kernel.tasks.values()) switches += task.sched.voluntarySwitches + task.sched.involuntarySwitches;
  return [
    `cpu  ${cpu}`, `cpu0 ${cpu}`, `intr ${interrupts} ${counts.join(' ')}`, `ctxt ${switches}`,
    `btime ${Math.floor(kernel.clock.bootEpoch / 1e9)}`, `processes ${kernel.pids.allocatedCount}`,
    `procs_running ${taskCounts(kernel).running}`, 'procs_blocked 0', 'softirq 0 0 0 0 0 0 0 0 0 0 0', '',
  ].join('\n');
}

/** /proc/uptime: seconds since boot and idle seconds, two decimals. */
export function uptimeText(kernel: Kernel): string {
  const uptime = kernel.clock.monotonic();
  const busy = busyTime(kernel);
  const idle = Math.max(0, uptime - busy.user - busy.system);
  const twoDecimals = (nanoseconds: number): string => (Math.floor(nanoseconds / 1e7) / 100).toFixed(2);
  return `${twoDecimals(uptime)} ${twoDecimals(idle)}\n`;
}

/** /proc/loadavg: the three averages, runnable/total tasks, and the last pid handed out. */
export function loadavgText(kernel: Kernel): string {
  const counts = taskCounts(kernel);
  const load = updateLoadAverage(kernel);
  return `${load.text().join(' ')} ${counts.running}/${counts.total} ${kernel.pids.lastAllocated}\n`;
}

export function versionText(): string {
  return `Linux version ${KERNEL_RELEASE} (ir0) ${KERNEL_VERSION}\n`;
}

/** /proc/interrupts (show_interrupts): one row per requested line, then ERR and MIS. */
export function interruptsText(kernel: Kernel): string {
  const interrupts = kernel.interrupts;
  let text = `${' '.repeat(11)}${'CPU0'.padEnd(11)}\n`;
  for (const line of interrupts?.lines() ?? []) {
    text += `${String(line.irq).padStart(3)}: ${String(line.count).padStart(10)} ${(interrupts?.chip.name ?? '').padStart(8)}  ${line.names.join(', ')}\n`;
  }
  return text + `${'ERR'.padStart(3)}: ${'0'.padStart(10)}\n${'MIS'.padStart(3)}: ${'0'.padStart(10)}\n`;
}

const CHARACTER_MAJORS = new Map([[1, 'mem'], [4, 'tty'], [5, '/dev/tty'], [136, 'pts']]);
const BLOCK_MAJORS = new Map([[3, 'ide0'], [22, 'ide1']]);

/** /proc/devices: registered character and block majors. */
export function devicesText(kernel: Kernel): string {
  const characters = new Map(CHARACTER_MAJORS);
  for (const rdev of kernel.vfs.characterDevices.keys()) if (!characters.has(rdev >>> 8)) characters.set(rdev >>> 8, `char-${rdev >>> 8}`);
  const blocks = new Map<number, string>();
  for (const rdev of kernel.vfs.disks.keys()) blocks.set(rdev >>> 8, BLOCK_MAJORS.get(rdev >>> 8) ?? `block-${rdev >>> 8}`);
  const rows = (map: Map<number, string>): string => [...map].sort((a, b) => a[0] - b[0]).map(([major, name]) => `${String(major).padStart(3)} ${name}\n`).join('');
  return `Character devices:\n${rows(characters)}\nBlock devices:\n${rows(blocks)}`;
}

/** /proc/partitions: "major minor  #blocks  name" with 1 KiB blocks. */
export function partitionsText(kernel: Kernel): string {
  let text = 'major minor  #blocks  name\n\n';
  for (const [rdev, disk] of [...kernel.vfs.disks].sort((a, b) => a[0] - b[0])) {
    text += `${String(rdev >>> 8).padStart(4)}  ${String(rdev & 0xff).padStart(7)} ${String(Math.floor(disk.device.byteLength / 1024)).padStart(10)} ${disk.name}\n`;
  }
  return text;
}

export const swapsText = (): string => 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n';

/** /proc/slabinfo version 2.1 (mm/slab_common.c): the kmalloc caches of the slab allocator. */
export function slabinfoText(kernel: Kernel): string {
  const lines = ['slabinfo - version: 2.1',
    '# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>'];
  for (const cache of kernel.pages.slab.slabinfo()) {
    lines.push(`${cache.name.padEnd(17)} ${String(cache.active).padStart(6)} ${String(cache.total).padStart(6)} ${String(cache.objectSize).padStart(6)} `
      + `${String(Math.floor(4096 / cache.objectSize)).padStart(4)} ${String(1).padStart(4)} : tunables ${'0'.padStart(4)} ${'0'.padStart(4)} ${'0'.padStart(4)} `
      + `: slabdata ${String(cache.slabs).padStart(6)} ${String(cache.slabs).padStart(6)} ${'0'.padStart(6)}`);
  }
  return lines.join('\n') + '\n';
}

export function schedDebugText(kernel: Kernel): string {
  return procSchedDebug(kernel.scheduler, kernel.tasks.values(), kernel.clock.monotonic());
}
