/**
 * Control transfer: jmp, jcc, jecxz, loop*, call, ret, far transfers within
 * the user code segment, int3/int n/into/int1, sysenter, bound (Intel SDM 2A/2B).
 * Handlers run with cpu.eip already pointing past the instruction.
 */
import { Exit, Vector } from '../../../hal/vcpu.js';
import { type CpuCore, USER_WRITABLE_FLAGS } from '../cpu-core.js';
import type { Instruction } from '../instruction.js';
import { defineForm, type FormSpec } from './form-spec.js';
import { CONDITION_NAMES } from './data-move.js';

export function jmpRelative32(cpu: CpuCore, ins: Instruction): void { cpu.eip = (cpu.eip + ins.immediate) | 0; }
/** With a 16-bit operand size the new eip is truncated to 16 bits (Intel SDM 2A jmp, "Operation"). */
function jmpRelative16(cpu: CpuCore, ins: Instruction): void { cpu.eip = (cpu.eip + ins.immediate) & 0xffff; }
/**
 * One handler per condition (jo, jno, jb, ...): each call site in a compiled
 * block then tests one condition, and the common cmp/sub cases take the
 * core's direct comparisons instead of materialising flags.
 */
export const JCC32: ((cpu: CpuCore, ins: Instruction) => void)[] = [
  (cpu, ins) => { if (cpu.getOF()) cpu.eip = (cpu.eip + ins.immediate) | 0; },
  (cpu, ins) => { if (!cpu.getOF()) cpu.eip = (cpu.eip + ins.immediate) | 0; },
  (cpu, ins) => { if (cpu.getCF() !== 0) cpu.eip = (cpu.eip + ins.immediate) | 0; },
  (cpu, ins) => { if (cpu.getCF() === 0) cpu.eip = (cpu.eip + ins.immediate) | 0; },
  (cpu, ins) => { if (cpu.getZF()) cpu.eip = (cpu.eip + ins.immediate) | 0; },
  (cpu, ins) => { if (!cpu.getZF()) cpu.eip = (cpu.eip + ins.immediate) | 0; },
  (cpu, ins) => { if (cpu.belowOrEqual()) cpu.eip = (cpu.eip + ins.immediate) | 0; },
  (cpu, ins) => { if (!cpu.belowOrEqual()) cpu.eip = (cpu.eip + ins.immediate) | 0; },
  (cpu, ins) => { if (cpu.getSF()) cpu.eip = (cpu.eip + ins.immediate) | 0; },
  (cpu, ins) => { if (!cpu.getSF()) cpu.eip = (cpu.eip + ins.immediate) | 0; },
  (cpu, ins) => { if (cpu.getPF()) cpu.eip = (cpu.eip + ins.immediate) | 0; },
  (cpu, ins) => { if (!cpu.getPF()) cpu.eip = (cpu.eip + ins.immediate) | 0; },
  (cpu, ins) => { if (cpu.lessSigned()) cpu.eip = (cpu.eip + ins.immediate) | 0; },
  (cpu, ins) => { if (!cpu.lessSigned()) cpu.eip = (cpu.eip + ins.immediate) | 0; },
  (cpu, ins) => { if (cpu.lessOrEqualSigned()) cpu.eip = (cpu.eip + ins.immediate) | 0; },
  (cpu, ins) => { if (!cpu.lessOrEqualSigned()) cpu.eip = (cpu.eip + ins.immediate) | 0; },
];
function jcc16(cpu: CpuCore, ins: Instruction): void {
  if (cpu.condition(ins.operation)) cpu.eip = (cpu.eip + ins.immediate) & 0xffff;
}
function counter(cpu: CpuCore, ins: Instruction): number {
  return ins.addressMask === 0xffff ? cpu.r16[2] : cpu.gpr[1];
}
function decrementCounter(cpu: CpuCore, ins: Instruction): number {
  if (ins.addressMask === 0xffff) return (cpu.r16[2] = cpu.r16[2] - 1);
  return (cpu.gpr[1] = cpu.gpr[1] - 1);
}
function branchTo(cpu: CpuCore, ins: Instruction): void {
  cpu.eip = ins.operation === 16 ? (cpu.eip + ins.immediate) & 0xffff : (cpu.eip + ins.immediate) | 0;
}
function jecxz(cpu: CpuCore, ins: Instruction): void { if (counter(cpu, ins) === 0) branchTo(cpu, ins); }
function loop(cpu: CpuCore, ins: Instruction): void { if (decrementCounter(cpu, ins) !== 0) branchTo(cpu, ins); }
function loope(cpu: CpuCore, ins: Instruction): void { if (decrementCounter(cpu, ins) !== 0 && cpu.getZF()) branchTo(cpu, ins); }
function loopne(cpu: CpuCore, ins: Instruction): void { if (decrementCounter(cpu, ins) !== 0 && !cpu.getZF()) branchTo(cpu, ins); }

export function callRelative32(cpu: CpuCore, ins: Instruction): void {
  cpu.push32(cpu.eip);
  cpu.eip = (cpu.eip + ins.immediate) | 0;
}
function callRelative16(cpu: CpuCore, ins: Instruction): void {
  cpu.push16(cpu.eip);
  cpu.eip = (cpu.eip + ins.immediate) & 0xffff;
}
export function callRm32(cpu: CpuCore, ins: Instruction): void {
  const target = cpu.readRm32(ins);
  cpu.push32(cpu.eip);
  cpu.eip = target | 0;
}
function callRm16(cpu: CpuCore, ins: Instruction): void {
  const target = cpu.readRm16(ins);
  cpu.push16(cpu.eip);
  cpu.eip = target;
}
export function jmpRm32(cpu: CpuCore, ins: Instruction): void { cpu.eip = cpu.readRm32(ins) | 0; }
function jmpRm16(cpu: CpuCore, ins: Instruction): void { cpu.eip = cpu.readRm16(ins); }
export function ret32(cpu: CpuCore, ins: Instruction): void {
  const target = cpu.pop32();
  cpu.gpr[4] += ins.immediate & 0xffff;
  cpu.eip = target | 0;
}
function ret16(cpu: CpuCore, ins: Instruction): void {
  const target = cpu.pop16();
  cpu.gpr[4] += ins.immediate & 0xffff;
  cpu.eip = target;
}

/**
 * Far transfers. In Linux user mode the only code segment a program can name is
 * its own (__USER_CS); a far jump/call/ret to it behaves as a near one plus the
 * CS push/pop. Any other selector is #GP(selector) here, which is what a kernel
 * or missing descriptor gives on hardware (Intel SDM 2A jmp: "#GP(selector)").
 */
function checkCodeSelector(cpu: CpuCore, selector: number): void {
  if ((selector & 0xffff) !== cpu.selectors[1]) cpu.raise(Vector.GP, selector & 0xfffc);
}
function jmpFarPointer(cpu: CpuCore, ins: Instruction): void {
  checkCodeSelector(cpu, ins.immediate2);
  cpu.eip = ins.immediate | 0;
}
/** Pushes CS then the return eip, committing esp after both stores (the host faults on the CS store first). */
function pushFarReturn(cpu: CpuCore): void {
  const esp = cpu.gpr[4];
  cpu.memory.write32(cpu.linear(2, (esp - 4) | 0), cpu.selectors[1]);
  cpu.memory.write32(cpu.linear(2, (esp - 8) | 0), cpu.eip);
  cpu.gpr[4] = esp - 8;
}
function callFarPointer(cpu: CpuCore, ins: Instruction): void {
  checkCodeSelector(cpu, ins.immediate2);
  pushFarReturn(cpu);
  cpu.eip = ins.immediate | 0;
}
function jmpFarMemory(cpu: CpuCore, ins: Instruction): void {
  const address = cpu.ea(ins);
  const offset = cpu.memory.read32(address);
  checkCodeSelector(cpu, cpu.memory.read16((address + 4) >>> 0));
  cpu.eip = offset | 0;
}
function callFarMemory(cpu: CpuCore, ins: Instruction): void {
  const address = cpu.ea(ins);
  const offset = cpu.memory.read32(address);
  checkCodeSelector(cpu, cpu.memory.read16((address + 4) >>> 0));
  pushFarReturn(cpu);
  cpu.eip = offset | 0;
}
function retFar(cpu: CpuCore, ins: Instruction): void {
  const esp = cpu.gpr[4];
  const offset = cpu.memory.read32(cpu.linear(2, esp));
  const selector = cpu.memory.read32(cpu.linear(2, (esp + 4) | 0));
  if ((selector & 3) !== 3) {
    // A selector of another privilege level means a return to an outer level, which pops ESP and SS
    // above the released bytes: the host reads them, SS first (and may #PF), before it refuses the selector.
    const outer = (esp + 8 + (ins.immediate & 0xffff)) | 0;
    cpu.memory.read32(cpu.linear(2, (outer + 4) | 0));
    cpu.memory.read32(cpu.linear(2, outer));
  }
  checkCodeSelector(cpu, selector);
  cpu.gpr[4] = (esp + 8 + (ins.immediate & 0xffff)) | 0;
  cpu.eip = offset | 0;
}
/** iret to the same privilege level: pops eip, cs, eflags (Intel SDM 2A iret, RETURN-TO-SAME-PRIVILEGE-LEVEL). */
function iret(cpu: CpuCore): void {
  const esp = cpu.gpr[4];
  const offset = cpu.memory.read32(cpu.linear(2, esp));
  const selector = cpu.memory.read32(cpu.linear(2, (esp + 4) | 0));
  const flags = cpu.memory.read32(cpu.linear(2, (esp + 8) | 0));
  checkCodeSelector(cpu, selector);
  cpu.gpr[4] = (esp + 12) | 0;
  cpu.eip = offset | 0;
  cpu.setEflags(flags);
}

function int3(cpu: CpuCore): void { cpu.trap(Vector.BP); }
/** int1 (icebp): #DB; Linux reports it at the instruction, as the host shows (userland/cpu-harness). */
function int1(cpu: CpuCore): void { cpu.raise(Vector.DB, 0); }
function into(cpu: CpuCore): void { if (cpu.getOF()) cpu.trap(Vector.OF); }
/**
 * int n. Linux's IDT (arch/x86/kernel/idt.c) has DPL-3 gates only for 3 (#BP),
 * 4 (#OF) and 0x80 (system call); any other vector from ring 3 is #GP with the
 * error code of an IDT entry (n * 8 + 2) (Intel SDM 3A §6.13).
 */
function intN(cpu: CpuCore, ins: Instruction): void {
  const vector = ins.immediate & 0xff;
  if (vector === 0x80) { cpu.stop = Exit.Syscall; return; }
  if (vector === 3) { cpu.trap(Vector.BP); return; }
  if (vector === 4) { cpu.trap(Vector.OF); return; }
  cpu.raise(Vector.GP, vector * 8 + 2);
}
function sysenter(cpu: CpuCore): void { cpu.stop = Exit.Sysenter; }

/** bound: #BR if the signed index is outside [lower, upper] (Intel SDM 2A bound). */
function bound32(cpu: CpuCore, ins: Instruction): void {
  const address = cpu.ea(ins);
  const lower = cpu.memory.read32(address), upper = cpu.memory.read32((address + 4) >>> 0);
  const index = cpu.gpr[ins.reg];
  if (index < lower || index > upper) cpu.raise(Vector.BR, 0);
}
function bound16(cpu: CpuCore, ins: Instruction): void {
  const address = cpu.ea(ins);
  const lower = (cpu.memory.read16(address) << 16) >> 16, upper = (cpu.memory.read16((address + 2) >>> 0) << 16) >> 16;
  const index = (cpu.r16[ins.reg << 1] << 16) >> 16;
  if (index < lower || index > upper) cpu.raise(Vector.BR, 0);
}

function forms(): FormSpec[] {
  const list: FormSpec[] = [];
  const branch = true;
  list.push(defineForm({ name: 'jmp rel8', opcode: [0xeb], immediate: 1, branch, handler: jmpRelative32 }));
  list.push(defineForm({ name: 'jmp rel32', opcode: [0xe9], immediate: 4, operandSize: 32, branch, handler: jmpRelative32 }));
  list.push(defineForm({ name: 'jmp rel16', prefixes: [0x66], opcode: [0xe9], immediate: 2, operandSize: 16, branch, handler: jmpRelative16, untestable: 'truncates eip to 16 bits' }));
  list.push(defineForm({ name: 'jmp rel8 (o16)', mnemonic: 'jmp', prefixes: [0x66], opcode: [0xeb], immediate: 1, operandSize: 16, branch, handler: jmpRelative16, untestable: 'truncates eip to 16 bits' }));
  for (let cc = 0; cc < 16; cc++) {
    const name = `j${CONDITION_NAMES[cc]}`;
    list.push(defineForm({ name: `${name} rel8`, opcode: [0x70 + cc], immediate: 1, operation: cc, branch, conditionalBranch: true, handler: JCC32[cc] }));
    list.push(defineForm({ name: `${name} rel32`, opcode: [0x0f, 0x80 + cc], immediate: 4, operandSize: 32, operation: cc, branch, conditionalBranch: true, handler: JCC32[cc] }));
    list.push(defineForm({ name: `${name} rel8 (o16)`, mnemonic: name, prefixes: [0x66], opcode: [0x70 + cc], immediate: 1, operandSize: 16, operation: cc, branch, conditionalBranch: true, handler: jcc16, untestable: 'truncates eip to 16 bits' }));
    list.push(defineForm({ name: `${name} rel16`, prefixes: [0x66], opcode: [0x0f, 0x80 + cc], immediate: 2, operandSize: 16, operation: cc, branch, conditionalBranch: true, handler: jcc16, untestable: 'truncates eip to 16 bits' }));
  }
  for (const [opcode, name, handler] of [[0xe0, 'loopne', loopne], [0xe1, 'loope', loope], [0xe2, 'loop', loop], [0xe3, 'jecxz', jecxz]] as const) {
    list.push(defineForm({ name: `${name} rel8`, opcode: [opcode], immediate: 1, operation: 32, branch, conditionalBranch: true, handler }));
    list.push(defineForm({ name: `${name} rel8 (a16)`, mnemonic: name === 'jecxz' ? 'jcxz' : name, prefixes: [0x67], opcode: [opcode], immediate: 1, operation: 32, branch, conditionalBranch: true, handler }));
  }
  list.push(defineForm({ name: 'call rel32', opcode: [0xe8], immediate: 4, operandSize: 32, branch, handler: callRelative32 }));
  list.push(defineForm({ name: 'call rel16', prefixes: [0x66], opcode: [0xe8], immediate: 2, operandSize: 16, branch, handler: callRelative16, untestable: 'truncates eip to 16 bits' }));
  list.push(defineForm({ name: 'call r/m32', opcode: [0xff], modrm: 'both', digit: 2, operandSize: 32, branch, handler: callRm32 }));
  list.push(defineForm({ name: 'call r/m16', prefixes: [0x66], opcode: [0xff], modrm: 'both', digit: 2, operandSize: 16, branch, handler: callRm16, untestable: 'truncates eip to 16 bits' }));
  list.push(defineForm({ name: 'jmp r/m32', opcode: [0xff], modrm: 'both', digit: 4, operandSize: 32, branch, handler: jmpRm32 }));
  list.push(defineForm({ name: 'jmp r/m16', prefixes: [0x66], opcode: [0xff], modrm: 'both', digit: 4, operandSize: 16, branch, handler: jmpRm16, untestable: 'truncates eip to 16 bits' }));
  list.push(defineForm({ name: 'ret', opcode: [0xc3], operandSize: 32, branch, handler: ret32 }));
  list.push(defineForm({ name: 'ret imm16', opcode: [0xc2], immediate: 2, operandSize: 32, branch, handler: ret32 }));
  list.push(defineForm({ name: 'ret (o16)', mnemonic: 'ret', prefixes: [0x66], opcode: [0xc3], operandSize: 16, branch, handler: ret16, untestable: 'truncates eip to 16 bits' }));
  list.push(defineForm({ name: 'ret imm16 (o16)', mnemonic: 'ret', prefixes: [0x66], opcode: [0xc2], immediate: 2, operandSize: 16, branch, handler: ret16, untestable: 'truncates eip to 16 bits' }));
  list.push(defineForm({ name: 'jmp ptr16:32', opcode: [0xea], immediate: 6, operandSize: 32, branch, handler: jmpFarPointer }));
  list.push(defineForm({ name: 'call ptr16:32', opcode: [0x9a], immediate: 6, operandSize: 32, branch, handler: callFarPointer }));
  list.push(defineForm({ name: 'call m16:32', opcode: [0xff], modrm: 'mem', digit: 3, operandSize: 32, branch, handler: callFarMemory }));
  list.push(defineForm({ name: 'jmp m16:32', opcode: [0xff], modrm: 'mem', digit: 5, operandSize: 32, branch, handler: jmpFarMemory }));
  list.push(defineForm({ name: 'retf', opcode: [0xcb], operandSize: 32, branch, handler: retFar }));
  list.push(defineForm({ name: 'retf imm16', opcode: [0xca], immediate: 2, operandSize: 32, branch, handler: retFar }));
  list.push(defineForm({ name: 'iretd', opcode: [0xcf], operandSize: 32, branch, flagsWritten: USER_WRITABLE_FLAGS, handler: iret }));
  list.push(defineForm({ name: 'int3', opcode: [0xcc], handler: int3 }));
  list.push(defineForm({ name: 'int1', opcode: [0xf1], handler: int1 }));
  list.push(defineForm({ name: 'into', opcode: [0xce], handler: into }));
  list.push(defineForm({ name: 'int imm8', opcode: [0xcd], immediate: 1, handler: intN, untestable: 'int 0x80 is a system call; others exit with #GP' }));
  list.push(defineForm({ name: 'sysenter', opcode: [0x0f, 0x34], handler: sysenter, untestable: 'enters the kernel' }));
  list.push(defineForm({ name: 'bound r32, m32&32', opcode: [0x62], modrm: 'mem', operandSize: 32, handler: bound32 }));
  list.push(defineForm({ name: 'bound r16, m16&16', prefixes: [0x66], opcode: [0x62], modrm: 'mem', operandSize: 16, handler: bound16 }));
  return list;
}

export const CONTROL_FORMS: readonly FormSpec[] = forms();
