/**
 * reboot(2) (kernel/reboot.c): checks CAP_SYS_BOOT and the magic numbers, then
 * does what kernel_power_off / kernel_halt / kernel_restart come to here: the
 * filesystems are synced and remounted read-only, last mounted first (the
 * kernel's emergency sync and remount; ext2 then marks itself clean on disk, as
 * an unmount would), the disks get FLUSH CACHE, and the run loop stops with
 * status 0 — power off, halt or restart. Ctrl-Alt-Del switching is accepted.
 */
import { EINVAL, EPERM } from '../lib/index.js';
import type { Superblock } from '../fs/index.js';
import { MS_RDONLY, syncAll, syncSuperblock } from '../fs/index.js';
import type { Kernel } from '../proc/index.js';
import type { SyscallContext } from './entry.js';

const LINUX_REBOOT_MAGIC1 = 0xfee1dead;
/** MAGIC2 and its three alternatives (Linus's and his daughters' birthdays, include/uapi/linux/reboot.h). */
const LINUX_REBOOT_MAGIC2 = [672274793, 85072278, 369367448, 537993216];

export const LINUX_REBOOT_CMD_RESTART = 0x01234567;
export const LINUX_REBOOT_CMD_HALT = 0xcdef0123;
export const LINUX_REBOOT_CMD_CAD_ON = 0x89abcdef;
export const LINUX_REBOOT_CMD_CAD_OFF = 0x00000000;
export const LINUX_REBOOT_CMD_POWER_OFF = 0x4321fedc;
export const LINUX_REBOOT_CMD_RESTART2 = 0xa1b2c3d4;

/** Implements reboot(2). */
export function sysReboot(context: SyscallContext, magic1: number, magic2: number, command: number): number {
  const { kernel, task } = context;
  // kernel/reboot.c: the capability check comes first, then the magic.
  if (task.credentials.euid !== 0) return -EPERM;
  if (magic1 >>> 0 !== LINUX_REBOOT_MAGIC1 || !LINUX_REBOOT_MAGIC2.includes(magic2 >>> 0)) return -EINVAL;
  switch (command >>> 0) {
    case LINUX_REBOOT_CMD_CAD_ON: case LINUX_REBOOT_CMD_CAD_OFF: return 0;
    case LINUX_REBOOT_CMD_POWER_OFF: stopMachine(kernel, 'power-off', 'reboot: Power down'); return 0;
    case LINUX_REBOOT_CMD_HALT: stopMachine(kernel, 'halt', 'reboot: System halted'); return 0;
    case LINUX_REBOOT_CMD_RESTART: case LINUX_REBOOT_CMD_RESTART2: stopMachine(kernel, 'restart', 'reboot: Restarting system'); return 0;
    default: return -EINVAL;
  }
}

/** kernel_power_off and its siblings: storage made consistent, then the run loop stops with status 0. */
function stopMachine(kernel: Kernel, state: 'power-off' | 'halt' | 'restart', message: string): void {
  shutdownFilesystems(kernel);
  kernel.log.warn(message);
  kernel.powerState = state;
  kernel.haltStatus = 0;
}

/**
 * sync, then every superblock read-only in reverse mount order (children before the filesystems
 * they sit on), each written back with FLUSH CACHE. Whatever still runs until the run loop stops
 * (the caller returning, tasks being torn down) can no longer dirty a disk.
 */
export function shutdownFilesystems(kernel: Kernel): void {
  const vfs = kernel.vfs;
  syncAll(vfs);
  const seen = new Set<Superblock>();
  for (const mount of [...vfs.mounts.mounts].reverse()) {
    const superblock = mount.superblock;
    if (seen.has(superblock)) continue;
    seen.add(superblock);
    const flags = superblock.flags ?? 0;
    if ((flags & MS_RDONLY) === 0) {
      const status = superblock.ops?.remount?.(superblock, flags | MS_RDONLY, '') ?? 0;
      if (status < 0) kernel.log.error(`reboot: remounting ${mount.source || 'a filesystem'} read-only failed (errno ${-status})`);
      superblock.flags = flags | MS_RDONLY;
    }
    syncSuperblock(vfs, superblock);
  }
}
