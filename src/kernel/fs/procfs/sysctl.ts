/**
 * /proc/sys (kernel/sysctl.c, reduced): kernel/{hostname, ostype, osrelease, version,
 * pid_max, threads-max, random/boot_id, random/uuid, sched_class}, vm/overcommit_memory
 * and fs/{file-max, nr_open, file-nr}. sched_class is ir0's: writing a class name
 * (rr, prio, o1, cfs) hot-swaps the fair scheduling class.
 */
import type { Kernel } from '../../proc/index.js';
import { PID_MAX } from '../../proc/index.js';
import type { UtsField } from '../../proc/index.js';
import { setSchedulerClass } from '../../sched/index.js';
import { EINVAL } from '../../lib/index.js';
import type { ProcEntry, ProcFile } from './proc-node.js';
import { fixedDirectory, textFile } from './proc-node.js';
import { KERNEL_RELEASE, KERNEL_VERSION } from './system-files.js';

/** A version 4 UUID from the kernel's seeded generator (random/uuid, generate_random_uuid). */
export function randomUuid(kernel: Kernel): string {
  const bytes = new Uint8Array(16);
  kernel.random.fill(bytes);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A sysctl holding one value that root may rewrite (proc_dostring / proc_dointvec). */
function setting(initial: string, valid: (value: string) => boolean = () => true): ProcFile {
  let value = initial;
  return {
    kind: 'file',
    mode: 0o644,
    read: () => `${value}\n`,
    write: (data) => {
      const text = new TextDecoder().decode(data).replace(/\n$/, '');
      if (!valid(text)) return -EINVAL;
      value = text;
      return data.length;
    },
  };
}

/**
 * kernel/hostname and kernel/domainname: the names uname(2) reports (proc_do_uts_string).
 * A write takes the first line, cut at __NEW_UTS_LEN bytes, like proc_dostring.
 */
function utsName(kernel: Kernel, name: UtsField): ProcFile {
  return {
    kind: 'file',
    mode: 0o644,
    read: () => `${kernel.uts.text(name)}\n`,
    write: (data) => {
      const end = data.indexOf(0x0a);
      kernel.uts.set(name, data.subarray(0, end < 0 ? data.length : end));
      return data.length;
    },
  };
}

export function sysDirectory(kernel: Kernel): ProcEntry {
  const bootId = randomUuid(kernel);
  const schedulerClass: ProcFile = {
    kind: 'file',
    mode: 0o644,
    read: () => `${kernel.scheduler.name}\n`,
    write: (data) => {
      const result = setSchedulerClass(kernel, new TextDecoder().decode(data).trim());
      if (result === 0) kernel.log.info(`scheduler class now ${kernel.scheduler.name}`);
      return result < 0 ? result : data.length;
    },
  };
  const openFiles = (): number => {
    const files = new Set<unknown>();
    for (const task of kernel.tasks.values()) for (const fd of task.files.openFds()) files.add(task.files.get(fd));
    return files.size;
  };
  const maxThreads = Math.floor(kernel.pages.buddy.totalPageCount / 16);
  return fixedDirectory({
    kernel: fixedDirectory({
      hostname: utsName(kernel, 'nodename'),
      domainname: utsName(kernel, 'domainname'),
      ostype: textFile(() => 'Linux\n'),
      osrelease: textFile(() => `${KERNEL_RELEASE}\n`),
      version: textFile(() => `${KERNEL_VERSION}\n`),
      pid_max: textFile(() => `${PID_MAX}\n`),
      'threads-max': textFile(() => `${maxThreads}\n`),
      sched_class: schedulerClass,
      random: fixedDirectory({
        boot_id: textFile(() => `${bootId}\n`),
        uuid: textFile(() => `${randomUuid(kernel)}\n`),
      }),
    }),
    vm: fixedDirectory({
      overcommit_memory: setting('0', (value) => /^[012]$/.test(value.trim())),
    }),
    fs: fixedDirectory({
      'file-max': textFile(() => `${Math.floor(kernel.pages.buddy.totalPageCount * 4 / 10)}\n`),
      nr_open: textFile(() => '1048576\n'),
      'file-nr': textFile(() => `${openFiles()}\t0\t${Math.floor(kernel.pages.buddy.totalPageCount * 4 / 10)}\n`),
    }),
  });
}
