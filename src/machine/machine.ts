/**
 * The emulated PC as one object: RAM, the MMU and the vcpu. Today it holds
 * the CPU side only; devices (PIC, timers, UART, disk) join it here.
 */
import type { Vcpu } from '../hal/vcpu.js';
import { Ram } from './memory/ram.js';
import { Mmu } from './mmu/mmu.js';
import { Cpu } from './cpu/index.js';

export interface Machine {
  readonly ram: Ram;
  readonly mmu: Mmu;
  readonly cpu: Vcpu;
}

export interface MachineConfig {
  memoryMiB: number;
}

/** Allocates RAM and the MMU; the vcpu is made by `createCpu` over the MMU. */
export function assembleMachine(config: MachineConfig, createCpu: (mmu: Mmu) => Vcpu): Machine {
  const ram = new Ram(config.memoryMiB * 1024 * 1024);
  const mmu = new Mmu(ram);
  return { ram, mmu, cpu: createCpu(mmu) };
}

/** A PC with `memoryMiB` of RAM, its MMU and an i686 vcpu. */
export function createMachine(config: MachineConfig): Machine {
  return assembleMachine(config, (mmu) => new Cpu(mmu));
}
