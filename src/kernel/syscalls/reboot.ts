/**
 * reboot(2) (kernel/reboot.c): checks the magic numbers and CAP_SYS_BOOT,
 * then stops the machine — power off, halt or restart — with the run loop
 * returning status 0. Ctrl-Alt-Del switching is accepted and ignored. Until
 * the block layer has dirty buffers there is nothing to sync or unmount:
 * every filesystem lives in RAM and goes with the machine.
 */
import { EINVAL, EPERM } from '../lib/index.js';
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
    case LINUX_REBOOT_CMD_POWER_OFF: kernel.log.warn('reboot: Power down'); kernel.powerState = 'power-off'; break;
    case LINUX_REBOOT_CMD_HALT: kernel.log.warn('reboot: System halted'); kernel.powerState = 'halt'; break;
    case LINUX_REBOOT_CMD_RESTART: case LINUX_REBOOT_CMD_RESTART2: kernel.log.warn('reboot: Restarting system'); kernel.powerState = 'restart'; break;
    default: return -EINVAL;
  }
  kernel.haltStatus = 0;
  return 0;
}
