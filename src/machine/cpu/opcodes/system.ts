/**
 * cpuid, rdtsc, salc, and the privileged instructions that raise #GP(0) at
 * CPL 3 (hlt, cli, sti, mov to/from control and debug registers, lgdt, lidt,
 * lmsw, invlpg, clts, wbinvd, invd, rdmsr, wrmsr, rdpmc, sysexit, lldt, ltr).
 */
import { Vector } from '../../../hal/vcpu.js';
import { type CpuCore, STOP_RESCAN } from '../cpu-core.js';
import type { Instruction } from '../instruction.js';
import { defineForm, type FormSpec } from './form-spec.js';

/** CPUID leaf 1 EDX: FPU (bit 0), TSC (4), CX8 (8), CMOV (15) and nothing else (ARCHITECTURE.md, "The CPU"). */
export const CPUID_FEATURES_EDX = (1 << 0) | (1 << 4) | (1 << 8) | (1 << 15);
/** Family 6, model 3, stepping 3 (a Pentium II class i686). */
export const CPUID_SIGNATURE = 0x00000633;
const MAX_BASIC_LEAF = 1;

/**
 * cpuid. Leaf 0: max leaf and "GenuineIntel"; leaf 1: signature and features.
 * Any other leaf, extended leaves included, returns the highest basic leaf's
 * data, as Intel processors do for out-of-range inputs (Intel SDM 2A cpuid).
 */
function cpuid(cpu: CpuCore): void {
  const leaf = cpu.gpr[0] >>> 0;
  if (leaf === 0) {
    cpu.gpr[0] = MAX_BASIC_LEAF;
    cpu.gpr[3] = 0x756e6547; // "Genu"
    cpu.gpr[2] = 0x49656e69; // "ineI"
    cpu.gpr[1] = 0x6c65746e; // "ntel"
    return;
  }
  cpu.gpr[0] = CPUID_SIGNATURE;
  cpu.gpr[3] = 0;
  cpu.gpr[1] = 0;
  cpu.gpr[2] = CPUID_FEATURES_EDX;
}

/**
 * rdtsc: the virtual clock, one tick per retired instruction (CR4.TSD = 0 lets
 * ring 3 read it). The run loop publishes the count when it (re)starts, so the
 * value is exact to the start of the current straight run; ending the run here
 * makes the next rdtsc see every instruction since.
 */
function rdtsc(cpu: CpuCore): void {
  const ticks = cpu.instructionsRetired;
  if (cpu.stop === 0) cpu.stop = STOP_RESCAN;
  cpu.gpr[0] = ticks % 0x100000000;
  cpu.gpr[2] = Math.floor(ticks / 0x100000000);
}

/** salc (D6, undocumented): AL = CF ? 0xff : 0. */
function salc(cpu: CpuCore): void { cpu.r8[0] = cpu.getCF() !== 0 ? 0xff : 0; }

function privileged(cpu: CpuCore): void { cpu.raise(Vector.GP, 0); }
function privilegedModrm(cpu: CpuCore, _ins: Instruction): void { cpu.raise(Vector.GP, 0); }
/** mov to/from CR1, CR5, CR6, CR7 is #UD before the privilege check (Intel SDM 2B mov CR; measured on the host). */
function controlRegister(cpu: CpuCore, ins: Instruction): void {
  const reg = ins.reg;
  cpu.raise(reg === 1 || reg >= 5 ? Vector.UD : Vector.GP, 0);
}

function forms(): FormSpec[] {
  const list: FormSpec[] = [];
  const untestable = 'privileged: #GP(0) in ring 3';
  list.push(defineForm({ name: 'cpuid', opcode: [0x0f, 0xa2], handler: cpuid, untestable: 'reports the emulated i686, not the host processor' }));
  list.push(defineForm({ name: 'rdtsc', opcode: [0x0f, 0x31], handler: rdtsc, untestable: 'reads the time-stamp counter' }));
  list.push(defineForm({ name: 'salc', opcode: [0xd6], handler: salc }));
  const simple: [string, number[]][] = [
    ['hlt', [0xf4]], ['cli', [0xfa]], ['sti', [0xfb]], ['clts', [0x0f, 0x06]], ['invd', [0x0f, 0x08]],
    ['wbinvd', [0x0f, 0x09]], ['wrmsr', [0x0f, 0x30]], ['rdmsr', [0x0f, 0x32]], ['rdpmc', [0x0f, 0x33]], ['sysexit', [0x0f, 0x35]],
  ];
  for (const [name, opcode] of simple) list.push(defineForm({ name, opcode, handler: privileged, untestable }));
  list.push(defineForm({ name: 'mov r32, cr', opcode: [0x0f, 0x20], modrm: 'reg', handler: controlRegister, untestable }));
  list.push(defineForm({ name: 'mov r32, dr', opcode: [0x0f, 0x21], modrm: 'reg', handler: privilegedModrm, untestable }));
  list.push(defineForm({ name: 'mov cr, r32', opcode: [0x0f, 0x22], modrm: 'reg', handler: controlRegister, untestable }));
  list.push(defineForm({ name: 'mov dr, r32', opcode: [0x0f, 0x23], modrm: 'reg', handler: privilegedModrm, untestable }));
  list.push(defineForm({ name: 'lldt r/m16', opcode: [0x0f, 0x00], modrm: 'both', digit: 2, handler: privilegedModrm, untestable }));
  list.push(defineForm({ name: 'ltr r/m16', opcode: [0x0f, 0x00], modrm: 'both', digit: 3, handler: privilegedModrm, untestable }));
  list.push(defineForm({ name: 'lgdt m', opcode: [0x0f, 0x01], modrm: 'mem', digit: 2, handler: privilegedModrm, untestable }));
  list.push(defineForm({ name: 'lidt m', opcode: [0x0f, 0x01], modrm: 'mem', digit: 3, handler: privilegedModrm, untestable }));
  list.push(defineForm({ name: 'lmsw r/m16', opcode: [0x0f, 0x01], modrm: 'both', digit: 6, handler: privilegedModrm, untestable }));
  list.push(defineForm({ name: 'invlpg m', opcode: [0x0f, 0x01], modrm: 'mem', digit: 7, handler: privilegedModrm, untestable }));
  return list;
}

export const SYSTEM_FORMS: readonly FormSpec[] = forms();
