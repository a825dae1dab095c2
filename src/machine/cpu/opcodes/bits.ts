/**
 * Bit instructions: bt/bts/btr/btc with register or immediate offsets, and
 * bsf/bsr, computed by the ALU (../alu/). A register offset into memory
 * addresses a bit string: the operand moves by whole words (Intel SDM 2A bt).
 */
import { ARITHMETIC_FLAGS, type CpuCore } from '../cpu-core.js';
import type { Instruction } from '../instruction.js';
import { aluOut, bitTest, bitTestMemoryDelta, bsf, bsr, UNDEFINED_FLAGS, BitTestOperation } from '../alu/index.js';
import { defineForm, sizePrefix, type FormSpec, CF, ZF } from './form-spec.js';

/** operation: bit test operation (0 bt, 1 bts, 2 btr, 3 btc) | 4 when the offset is the immediate. */
function bitTestHandler(cpu: CpuCore, ins: Instruction, size: 16 | 32): void {
  const immediate = (ins.operation & 4) !== 0;
  const operation = (immediate ? ins.reg - 4 : ins.operation & 3) as BitTestOperation;
  const offset = immediate ? ins.immediate & 0xff : size === 16 ? cpu.r16[ins.reg << 1] : cpu.gpr[ins.reg];
  if (ins.registerForm) {
    const value = size === 16 ? cpu.r16[ins.rm << 1] : cpu.gpr[ins.rm];
    const result = bitTest(operation, size, value, offset, cpu.getEflags());
    if (operation !== BitTestOperation.Test) {
      if (size === 16) cpu.r16[ins.rm << 1] = result; else cpu.gpr[ins.rm] = result;
    }
    cpu.setFlagBits(aluOut.flags, ARITHMETIC_FLAGS);
    return;
  }
  const address = (cpu.ea(ins) + (immediate ? 0 : bitTestMemoryDelta(size, offset))) >>> 0;
  if (operation !== BitTestOperation.Test) cpu.checkModify(address, size >> 3);
  const value = size === 16 ? cpu.memory.read16(address) : cpu.memory.read32(address);
  const result = bitTest(operation, size, value, offset, cpu.getEflags());
  const flags = aluOut.flags;
  if (operation !== BitTestOperation.Test) {
    if (size === 16) cpu.memory.write16(address, result); else cpu.memory.write32(address, result);
  }
  cpu.setFlagBits(flags, ARITHMETIC_FLAGS);
}
function bitTest16(cpu: CpuCore, ins: Instruction): void { bitTestHandler(cpu, ins, 16); }
function bitTest32(cpu: CpuCore, ins: Instruction): void { bitTestHandler(cpu, ins, 32); }

function bitScan16(cpu: CpuCore, ins: Instruction): void {
  const source = cpu.readRm16(ins);
  const scan = ins.operation === 0 ? bsf : bsr;
  cpu.r16[ins.reg << 1] = scan(16, cpu.r16[ins.reg << 1], source, cpu.getEflags());
  cpu.setFlagBits(aluOut.flags, ARITHMETIC_FLAGS);
}
function bitScan32(cpu: CpuCore, ins: Instruction): void {
  const source = cpu.readRm32(ins);
  const scan = ins.operation === 0 ? bsf : bsr;
  cpu.gpr[ins.reg] = scan(32, cpu.gpr[ins.reg], source, cpu.getEflags());
  cpu.setFlagBits(aluOut.flags, ARITHMETIC_FLAGS);
}

const NAMES = ['bt', 'bts', 'btr', 'btc'];
const REGISTER_OPCODES = [0xa3, 0xab, 0xb3, 0xbb];

function forms(): FormSpec[] {
  const list: FormSpec[] = [];
  for (const bits of [16, 32] as const) {
    const prefixes = sizePrefix(bits);
    const handler = bits === 16 ? bitTest16 : bitTest32;
    const common = { prefixes, modrm: 'both' as const, operandSize: bits, flagsWritten: CF | UNDEFINED_FLAGS.bitTest, flagsUndefined: UNDEFINED_FLAGS.bitTest, handler };
    for (let op = 0; op < 4; op++) {
      list.push(defineForm({ ...common, name: `${NAMES[op]} r/m${bits}, r${bits}`, opcode: [0x0f, REGISTER_OPCODES[op]], operation: op, lockable: op !== 0, writesMemory: op !== 0 }));
      list.push(defineForm({ ...common, name: `${NAMES[op]} r/m${bits}, imm8`, opcode: [0x0f, 0xba], digit: 4 + op, immediate: 1, operation: 4, lockable: op !== 0, writesMemory: op !== 0 }));
    }
    const scanHandler = bits === 16 ? bitScan16 : bitScan32;
    const scan = { prefixes, modrm: 'both' as const, operandSize: bits, flagsWritten: ZF | UNDEFINED_FLAGS.bitScan, flagsUndefined: UNDEFINED_FLAGS.bitScan, handler: scanHandler };
    list.push(defineForm({ ...scan, name: `bsf r${bits}, r/m${bits}`, opcode: [0x0f, 0xbc], operation: 0 }));
    list.push(defineForm({ ...scan, name: `bsr r${bits}, r/m${bits}`, opcode: [0x0f, 0xbd], operation: 1 }));
  }
  return list;
}

export const BIT_FORMS: readonly FormSpec[] = forms();
