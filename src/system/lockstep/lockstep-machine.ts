/**
 * The machines the lockstep driver runs: the vcpu (src/machine/cpu) over the
 * paging MMU with page tables from PageTableBuilder, and a tiny second one
 * that answers "what does this vcpu's cpuid return for eax/ecx" (the real
 * process must see the vcpu's CPUID, or glibc would choose SSE code paths).
 */
import { Exit, Reg } from '../../hal/vcpu.js';
import { assembleMachine, PageTableBuilder, type Machine } from '../../machine/index.js';
import { Cpu } from '../../machine/cpu/index.js';

export function createLockstepMachine(memoryMiB: number): { machine: Machine; pages: PageTableBuilder } {
  const machine = assembleMachine({ memoryMiB }, (mmu) => new Cpu(mmu));
  const pages = new PageTableBuilder(machine.ram);
  machine.cpu.setCr3(pages.cr3);
  return { machine, pages };
}

const ORACLE_CODE = 0x1000;

/** Runs `cpuid; int 0x80` on a separate small machine. */
export class CpuidOracle {
  private readonly machine: Machine;

  constructor() {
    const { machine, pages } = createLockstepMachine(4);
    pages.allocAndMap(ORACLE_CODE, 4096, { writable: false });
    pages.writeLinear(ORACLE_CODE, Uint8Array.of(0x0f, 0xa2, 0xcd, 0x80));
    machine.cpu.setCr3(pages.cr3);
    this.machine = machine;
  }

  /** eax, ecx in; eax, ebx, ecx, edx out (as u32). */
  query(eax: number, ecx: number): { eax: number; ebx: number; ecx: number; edx: number } {
    const cpu = this.machine.cpu;
    cpu.gpr.fill(0);
    cpu.gpr[Reg.EAX] = eax;
    cpu.gpr[Reg.ECX] = ecx;
    cpu.eip = ORACLE_CODE;
    const exit = cpu.run(10);
    if (exit !== Exit.Syscall) throw new Error(`cpuid oracle: the vcpu stopped with exit ${exit}`);
    return { eax: cpu.gpr[Reg.EAX] >>> 0, ebx: cpu.gpr[Reg.EBX] >>> 0, ecx: cpu.gpr[Reg.ECX] >>> 0, edx: cpu.gpr[Reg.EDX] >>> 0 };
  }
}
