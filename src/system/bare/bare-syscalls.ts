/**
 * The bare runner's tiny syscall set (a harness, NOT the kernel's syscall
 * table): write(2) to fds 1 and 2, exit(2) and exit_group(2); everything else
 * returns -ENOSYS and is recorded. Numbers from arch/x86/entry/syscalls/syscall_32.tbl.
 */
import { Reg } from '../../hal/vcpu.js';
import { CPU_FAULT, type Machine } from '../../machine/index.js';

const SYS_exit = 1;
const SYS_write = 4;
const SYS_exit_group = 252;
const EBADF = 9;
const EFAULT = 14;
const ENOSYS = 38;

export interface WriteExitSyscalls {
  onSyscall: (machine: Machine) => number | undefined;
  /** Bytes written to fd 1 and fd 2, in order. */
  readonly stdout: number[];
  readonly stderr: number[];
  /** Syscall numbers answered with -ENOSYS. */
  readonly unsupported: number[];
}

export function createWriteExitSyscalls(): WriteExitSyscalls {
  const stdout: number[] = [];
  const stderr: number[] = [];
  const unsupported: number[] = [];
  const onSyscall = (machine: Machine): number | undefined => {
    const gpr = machine.cpu.gpr;
    const number = gpr[Reg.EAX];
    switch (number) {
      case SYS_exit:
      case SYS_exit_group:
        return gpr[Reg.EBX] & 0xff;
      case SYS_write: {
        const fd = gpr[Reg.EBX];
        const sink = fd === 1 ? stdout : fd === 2 ? stderr : undefined;
        gpr[Reg.EAX] = sink === undefined ? -EBADF : writeFrom(machine, gpr[Reg.ECX] >>> 0, gpr[Reg.EDX] >>> 0, sink);
        return undefined;
      }
      default:
        unsupported.push(number);
        gpr[Reg.EAX] = -ENOSYS;
        return undefined;
    }
  };
  return { onSyscall, stdout, stderr, unsupported };
}

/** Copies guest bytes with user permissions (as uaccess would); -EFAULT if any byte is unreadable. */
function writeFrom(machine: Machine, address: number, count: number, sink: number[]): number {
  const bytes: number[] = [];
  try {
    for (let i = 0; i < count; i++) bytes.push(machine.mmu.read8((address + i) >>> 0));
  } catch (e) {
    if (e !== CPU_FAULT) throw e;
    return -EFAULT;
  }
  for (const byte of bytes) sink.push(byte);
  return count;
}
