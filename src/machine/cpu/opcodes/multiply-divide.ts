/**
 * mul, imul (one-, two- and three-operand), div, idiv and the BCD adjustments
 * (daa das aaa aas aam aad), computed by the ALU (../alu/) with exact flags
 * (Intel SDM 2A/2B). Division errors raise #DE before anything changes.
 */
import { Vector } from '../../../hal/vcpu.js';
import { ARITHMETIC_FLAGS, type CpuCore } from '../cpu-core.js';
import type { Instruction } from '../instruction.js';
import { aluOut, mul, imul, imulTruncated, div, idiv, daa, das, aaa, aas, aam, aad, DIVIDE_ERROR, UNDEFINED_FLAGS } from '../alu/index.js';
import { defineForm, sizePrefix, type FormSpec, OSZAPC } from './form-spec.js';

/** Group 3 /4../7 with an 8-bit operand: AX = AL * src, or AL, AH = AX / src. */
function multiplyDivide8(cpu: CpuCore, ins: Instruction): void {
  const source = cpu.readRm8(ins);
  const flags = cpu.getEflags();
  switch (ins.reg) {
    case 4: cpu.r16[0] = mul(8, cpu.r8[0], source, flags) | (aluOut.high << 8); break;
    case 5: cpu.r16[0] = imul(8, cpu.r8[0], source, flags) | (aluOut.high << 8); break;
    default: {
      const quotient = (ins.reg === 6 ? div : idiv)(8, cpu.r8[0], cpu.r8[1], source, flags);
      if (quotient === DIVIDE_ERROR) cpu.raise(Vector.DE, 0);
      cpu.r8[0] = quotient;
      cpu.r8[1] = aluOut.high;
    }
  }
  cpu.setFlagBits(aluOut.flags, ARITHMETIC_FLAGS);
}
function multiplyDivide16(cpu: CpuCore, ins: Instruction): void {
  const source = cpu.readRm16(ins);
  const flags = cpu.getEflags();
  if (ins.reg === 4 || ins.reg === 5) {
    cpu.r16[0] = (ins.reg === 4 ? mul : imul)(16, cpu.r16[0], source, flags);
    cpu.r16[4] = aluOut.high;
  } else {
    const quotient = (ins.reg === 6 ? div : idiv)(16, cpu.r16[0], cpu.r16[4], source, flags);
    if (quotient === DIVIDE_ERROR) cpu.raise(Vector.DE, 0);
    cpu.r16[0] = quotient;
    cpu.r16[4] = aluOut.high;
  }
  cpu.setFlagBits(aluOut.flags, ARITHMETIC_FLAGS);
}
function multiplyDivide32(cpu: CpuCore, ins: Instruction): void {
  const source = cpu.readRm32(ins);
  const flags = cpu.getEflags();
  if (ins.reg === 4 || ins.reg === 5) {
    cpu.gpr[0] = (ins.reg === 4 ? mul : imul)(32, cpu.gpr[0], source, flags);
    cpu.gpr[2] = aluOut.high;
  } else {
    const quotient = (ins.reg === 6 ? div : idiv)(32, cpu.gpr[0], cpu.gpr[2], source, flags);
    if (quotient === DIVIDE_ERROR) cpu.raise(Vector.DE, 0);
    cpu.gpr[0] = quotient;
    cpu.gpr[2] = aluOut.high;
  }
  cpu.setFlagBits(aluOut.flags, ARITHMETIC_FLAGS);
}

/** imul r, r/m (0F AF) and imul r, r/m, imm (69, 6B): operation 1 = with immediate. */
function imulTwo16(cpu: CpuCore, ins: Instruction): void {
  const a = cpu.readRm16(ins);
  const b = ins.operation === 1 ? ins.immediate : cpu.r16[ins.reg << 1];
  cpu.r16[ins.reg << 1] = imulTruncated(16, a, b, 0);
  cpu.setFlagBits(aluOut.flags, ARITHMETIC_FLAGS);
}
export function imulTwo32(cpu: CpuCore, ins: Instruction): void {
  const a = cpu.readRm32(ins);
  const b = ins.operation === 1 ? ins.immediate : cpu.gpr[ins.reg];
  cpu.gpr[ins.reg] = imulTruncated(32, a, b, 0);
  cpu.setFlagBits(aluOut.flags, ARITHMETIC_FLAGS);
}

function daaHandler(cpu: CpuCore): void { cpu.r8[0] = daa(cpu.r8[0], cpu.getEflags()); cpu.setFlagBits(aluOut.flags, ARITHMETIC_FLAGS); }
function dasHandler(cpu: CpuCore): void { cpu.r8[0] = das(cpu.r8[0], cpu.getEflags()); cpu.setFlagBits(aluOut.flags, ARITHMETIC_FLAGS); }
function aaaHandler(cpu: CpuCore): void { cpu.r16[0] = aaa(cpu.r16[0], cpu.getEflags()); cpu.setFlagBits(aluOut.flags, ARITHMETIC_FLAGS); }
function aasHandler(cpu: CpuCore): void { cpu.r16[0] = aas(cpu.r16[0], cpu.getEflags()); cpu.setFlagBits(aluOut.flags, ARITHMETIC_FLAGS); }
function aamHandler(cpu: CpuCore, ins: Instruction): void {
  const result = aam(cpu.r16[0], ins.immediate & 0xff, cpu.getEflags());
  if (result === DIVIDE_ERROR) cpu.raise(Vector.DE, 0);
  cpu.r16[0] = result;
  cpu.setFlagBits(aluOut.flags, ARITHMETIC_FLAGS);
}
function aadHandler(cpu: CpuCore, ins: Instruction): void {
  cpu.r16[0] = aad(cpu.r16[0], ins.immediate & 0xff, cpu.getEflags());
  cpu.setFlagBits(aluOut.flags, ARITHMETIC_FLAGS);
}

function forms(): FormSpec[] {
  const list: FormSpec[] = [];
  for (const bits of [8, 16, 32] as const) {
    const w = bits === 8 ? 0 : 1;
    const prefixes = sizePrefix(bits);
    const handler = bits === 8 ? multiplyDivide8 : bits === 16 ? multiplyDivide16 : multiplyDivide32;
    const common = { prefixes, opcode: [0xf6 + w], modrm: 'both' as const, operandSize: bits, flagsWritten: OSZAPC, handler };
    list.push(defineForm({ ...common, name: `mul r/m${bits}`, digit: 4, flagsUndefined: UNDEFINED_FLAGS.multiply }));
    list.push(defineForm({ ...common, name: `imul r/m${bits}`, digit: 5, flagsUndefined: UNDEFINED_FLAGS.multiply }));
    list.push(defineForm({ ...common, name: `div r/m${bits}`, digit: 6, flagsUndefined: UNDEFINED_FLAGS.divide }));
    list.push(defineForm({ ...common, name: `idiv r/m${bits}`, digit: 7, flagsUndefined: UNDEFINED_FLAGS.divide }));
  }
  for (const bits of [16, 32] as const) {
    const prefixes = sizePrefix(bits);
    const handler = bits === 16 ? imulTwo16 : imulTwo32;
    const common = { prefixes, modrm: 'both' as const, operandSize: bits, flagsWritten: OSZAPC, flagsUndefined: UNDEFINED_FLAGS.multiply, handler };
    list.push(defineForm({ ...common, name: `imul r${bits}, r/m${bits}`, opcode: [0x0f, 0xaf] }));
    list.push(defineForm({ ...common, name: `imul r${bits}, r/m${bits}, imm${bits}`, opcode: [0x69], immediate: bits / 8, operation: 1 }));
    list.push(defineForm({ ...common, name: `imul r${bits}, r/m${bits}, imm8`, opcode: [0x6b], immediate: 1, operation: 1 }));
  }
  list.push(defineForm({ name: 'daa', opcode: [0x27], flagsWritten: OSZAPC, flagsUndefined: UNDEFINED_FLAGS.daa, handler: daaHandler }));
  list.push(defineForm({ name: 'das', opcode: [0x2f], flagsWritten: OSZAPC, flagsUndefined: UNDEFINED_FLAGS.das, handler: dasHandler }));
  list.push(defineForm({ name: 'aaa', opcode: [0x37], flagsWritten: OSZAPC, flagsUndefined: UNDEFINED_FLAGS.aaa, handler: aaaHandler }));
  list.push(defineForm({ name: 'aas', opcode: [0x3f], flagsWritten: OSZAPC, flagsUndefined: UNDEFINED_FLAGS.aas, handler: aasHandler }));
  list.push(defineForm({ name: 'aam imm8', opcode: [0xd4], immediate: 1, flagsWritten: OSZAPC, flagsUndefined: UNDEFINED_FLAGS.aam, handler: aamHandler }));
  list.push(defineForm({ name: 'aad imm8', opcode: [0xd5], immediate: 1, flagsWritten: OSZAPC, flagsUndefined: UNDEFINED_FLAGS.aad, handler: aadHandler }));
  return list;
}

export const MULTIPLY_DIVIDE_FORMS: readonly FormSpec[] = forms();
