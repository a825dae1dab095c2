/**
 * Register comparison between the real process and the vcpu. EFLAGS compare
 * the arithmetic flags and DF only: TF/RF belong to the debugger, IF and IOPL
 * to the kernel. Segment selectors other than FS and GS are not compared: a 64-bit
 * kernel runs i386 processes with compat selectors (0x23/0x2b) where an i386
 * kernel, and the vcpu, use 0x73/0x7b.
 */
import { Flag, Reg, Seg, type Vcpu } from '../../hal/vcpu.js';
import type { RealRegisters } from './tracer-client.js';

export const COMPARED_FLAGS = Flag.CF | Flag.PF | Flag.AF | Flag.ZF | Flag.SF | Flag.OF | Flag.DF;
export const REGISTER_NAMES = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];

/**
 * Where the comparison happens: between instructions ('step'), or at a
 * syscall entry stop, where the real eax reads -ENOSYS and orig_eax holds the
 * number. At a syscall entered through the vDSO ('vdso-entry') the kernel has
 * set the real eip to the landing pad after `int 0x80` (2 bytes past the
 * vcpu's) and loaded ebp, the sixth argument, from the user stack.
 */
export type CompareAt = 'step' | 'int80-entry' | 'vdso-entry';

/** `undefinedFlags`: bits left undefined by the instructions since they were last defined (not compared). */
export function compareRegisters(real: RealRegisters, vcpu: Vcpu, at: CompareAt, undefinedFlags = 0): string[] {
  const differences: string[] = [];
  for (let i = 0; i < 8; i++) {
    if (at === 'vdso-entry' && i === Reg.EBP) continue;
    const realValue = i === Reg.EAX && at !== 'step' ? real.origEax : real.gpr[i];
    const vcpuValue = vcpu.gpr[i] >>> 0;
    if (realValue >>> 0 !== vcpuValue) differences.push(`${REGISTER_NAMES[i]}: real ${hex(realValue)} vcpu ${hex(vcpuValue)}`);
  }
  const expectedEip = at === 'vdso-entry' ? (vcpu.eip + 2) >>> 0 : vcpu.eip >>> 0;
  if (real.eip >>> 0 !== expectedEip) differences.push(`eip: real ${hex(real.eip)} vcpu ${hex(vcpu.eip)}`);
  const mask = COMPARED_FLAGS & ~undefinedFlags;
  const realFlags = real.eflags & mask, vcpuFlags = vcpu.getEflags() & mask;
  if (realFlags !== vcpuFlags) differences.push(`eflags: real ${hex(real.eflags)} vcpu ${hex(vcpu.getEflags())} (compared bits differ: ${hex(realFlags ^ vcpuFlags)})`);
  for (const [name, seg] of [['fs', Seg.FS], ['gs', Seg.GS]] as const) {
    const realSelector = real.segments[seg] & 0xffff, vcpuSelector = vcpu.getSegment(seg) & 0xffff;
    if (realSelector !== vcpuSelector) differences.push(`${name}: real ${hex(realSelector)} vcpu ${hex(vcpuSelector)}`);
  }
  return differences;
}

export function hex(value: number): string {
  return '0x' + (value >>> 0).toString(16).padStart(8, '0');
}

/** One line per state: "eax=... ecx=... ... eip=... eflags=...". */
export function formatRealRegisters(real: RealRegisters): string {
  const gprs = REGISTER_NAMES.map((name, i) => `${name}=${hex(real.gpr[i])}`).join(' ');
  return `${gprs} eip=${hex(real.eip)} eflags=${hex(real.eflags)} gs=${real.segments[Seg.GS].toString(16)}`;
}

export function formatVcpuRegisters(vcpu: Vcpu): string {
  const gprs = REGISTER_NAMES.map((name, i) => `${name}=${hex(vcpu.gpr[i])}`).join(' ');
  return `${gprs} eip=${hex(vcpu.eip)} eflags=${hex(vcpu.getEflags())} gs=${vcpu.getSegment(Seg.GS).toString(16)}`;
}
