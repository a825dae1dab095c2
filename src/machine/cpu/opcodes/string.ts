/**
 * String instructions: movs, cmps, stos, lods, scas with rep/repe/repne and
 * 16-bit address forms; ins/outs raise #GP(0) (IOPL 0 at CPL 3). Each
 * iteration commits esi/edi/ecx before the next, so a fault mid-way leaves the
 * registers describing the remaining work and the restart resumes it (Intel SDM
 * 2B rep). Long repeats yield every CHUNK iterations by re-executing themselves.
 */
import { Flag, Vector } from '../../../hal/vcpu.js';
import type { CpuCore } from '../cpu-core.js';
import type { Instruction } from '../instruction.js';
import { aluResult, aluFlags } from './arithmetic.js';
import { defineForm, sizePrefix, type FormSpec, OSZAPC } from './form-spec.js';

const MOVS = 0, CMPS = 1, STOS = 2, LODS = 3, SCAS = 4;
/** Iterations per execution of a repeated instruction before it yields to the run loop. */
const CHUNK = 4096;

function load(cpu: CpuCore, address: number, size: number): number {
  return size === 1 ? cpu.memory.read8(address) : size === 2 ? cpu.memory.read16(address) : cpu.memory.read32(address);
}
function store(cpu: CpuCore, address: number, size: number, value: number): void {
  if (size === 1) cpu.memory.write8(address, value);
  else if (size === 2) cpu.memory.write16(address, value);
  else cpu.memory.write32(address, value);
}
function accumulator(cpu: CpuCore, size: number): number {
  return size === 1 ? cpu.r8[0] : size === 2 ? cpu.r16[0] : cpu.gpr[0];
}

/**
 * rep movs / rep stos with 32-bit addresses: the memcpy/memset of glibc's i686
 * string functions. Same semantics as the general loop (registers committed
 * after every element, CHUNK elements per execution), without its per-element
 * dispatch on kind and size.
 */
function repeatMoveOrStore(cpu: CpuCore, ins: Instruction, kind: number, size: number): void {
  const memory = cpu.memory;
  const gpr = cpu.gpr;
  const step = (cpu.flags & Flag.DF) !== 0 ? -size : size;
  let remaining = gpr[1] >>> 0;
  if (remaining === 0) return;
  let budget = (cpu.flags & Flag.TF) !== 0 ? 1 : CHUNK;
  const destinationBase = cpu.linear(0, 0);
  let di = gpr[7];
  if (kind === STOS) {
    const value = size === 1 ? cpu.r8[0] : size === 2 ? cpu.r16[0] : gpr[0];
    while (remaining !== 0 && budget !== 0) {
      const address = (di + destinationBase) | 0;
      if (size === 4) memory.write32(address, value); else if (size === 1) memory.write8(address, value); else memory.write16(address, value);
      di = (di + step) | 0;
      remaining = (remaining - 1) >>> 0;
      gpr[7] = di;
      gpr[1] = remaining;
      budget--;
    }
  } else {
    const sourceBase = cpu.linear(ins.segment, 0);
    let si = gpr[6];
    while (remaining !== 0 && budget !== 0) {
      const from = (si + sourceBase) | 0, to = (di + destinationBase) | 0;
      if (size === 4) memory.write32(to, memory.read32(from));
      else if (size === 1) memory.write8(to, memory.read8(from));
      else memory.write16(to, memory.read16(from));
      si = (si + step) | 0;
      di = (di + step) | 0;
      remaining = (remaining - 1) >>> 0;
      gpr[6] = si;
      gpr[7] = di;
      gpr[1] = remaining;
      budget--;
    }
  }
  if (remaining !== 0) cpu.eip = (cpu.eip - ins.length) | 0;
}

function stringOperation(cpu: CpuCore, ins: Instruction, kind: number, size: number): void {
  if (ins.repeat !== 0 && ins.addressMask === -1 && (kind === MOVS || kind === STOS)) {
    repeatMoveOrStore(cpu, ins, kind, size);
    return;
  }
  const short = ins.addressMask === 0xffff;
  const step = (cpu.flags & Flag.DF) !== 0 ? -size : size;
  const repeat = ins.repeat;
  const compares = kind === CMPS || kind === SCAS;
  let remaining = repeat === 0 ? 1 : short ? cpu.r16[2] : cpu.gpr[1] >>> 0;
  // Under single-step (TF) each iteration traps separately (Intel SDM 3A §17.3.1.4: rep strings
  // single-step per iteration), so run one and come back.
  let budget = (cpu.flags & Flag.TF) !== 0 ? 1 : CHUNK;
  const bits = size * 8;
  while (remaining !== 0) {
    const si = short ? cpu.r16[12] : cpu.gpr[6];
    const di = short ? cpu.r16[14] : cpu.gpr[7];
    const source = cpu.linear(ins.segment, si);
    const destination = cpu.linear(0, di);
    let usesSi = true, usesDi = true;
    switch (kind) {
      case MOVS: store(cpu, destination, size, load(cpu, source, size)); break;
      case CMPS: {
        // Read order as the host's faults show it (ir0 cpu-diff, #PF cr2 and #AC):
        // ES:EDI before DS:ESI, except repe cmpsb, which reads DS:ESI first.
        let a: number, b: number;
        if (repeat === 0xf3 && size === 1) { a = load(cpu, source, size); b = load(cpu, destination, size); } else { b = load(cpu, destination, size); a = load(cpu, source, size); }
        aluFlags(cpu, 7, a, b, aluResult(7, a, b, 0), bits, 0);
        break;
      }
      case STOS: store(cpu, destination, size, accumulator(cpu, size)); usesSi = false; break;
      case LODS: {
        const value = load(cpu, source, size);
        if (size === 1) cpu.r8[0] = value; else if (size === 2) cpu.r16[0] = value; else cpu.gpr[0] = value;
        usesDi = false;
        break;
      }
      default: {
        const a = accumulator(cpu, size), b = load(cpu, destination, size);
        aluFlags(cpu, 7, a, b, aluResult(7, a, b, 0), bits, 0);
        usesSi = false;
      }
    }
    if (short) {
      if (usesSi) cpu.r16[12] = si + step;
      if (usesDi) cpu.r16[14] = di + step;
    } else {
      if (usesSi) cpu.gpr[6] = si + step;
      if (usesDi) cpu.gpr[7] = di + step;
    }
    if (repeat === 0) return;
    remaining--;
    if (short) cpu.r16[2] = remaining; else cpu.gpr[1] = remaining;
    if (compares && cpu.getZF() !== (repeat === 0xf3)) return;
    if (--budget === 0 && remaining !== 0) {
      cpu.eip = (cpu.eip - ins.length) | 0;
      return;
    }
  }
}

function movs8(cpu: CpuCore, ins: Instruction): void { stringOperation(cpu, ins, MOVS, 1); }
function movs16(cpu: CpuCore, ins: Instruction): void { stringOperation(cpu, ins, MOVS, 2); }
function movs32(cpu: CpuCore, ins: Instruction): void { stringOperation(cpu, ins, MOVS, 4); }
function cmps8(cpu: CpuCore, ins: Instruction): void { stringOperation(cpu, ins, CMPS, 1); }
function cmps16(cpu: CpuCore, ins: Instruction): void { stringOperation(cpu, ins, CMPS, 2); }
function cmps32(cpu: CpuCore, ins: Instruction): void { stringOperation(cpu, ins, CMPS, 4); }
function stos8(cpu: CpuCore, ins: Instruction): void { stringOperation(cpu, ins, STOS, 1); }
function stos16(cpu: CpuCore, ins: Instruction): void { stringOperation(cpu, ins, STOS, 2); }
function stos32(cpu: CpuCore, ins: Instruction): void { stringOperation(cpu, ins, STOS, 4); }
function lods8(cpu: CpuCore, ins: Instruction): void { stringOperation(cpu, ins, LODS, 1); }
function lods16(cpu: CpuCore, ins: Instruction): void { stringOperation(cpu, ins, LODS, 2); }
function lods32(cpu: CpuCore, ins: Instruction): void { stringOperation(cpu, ins, LODS, 4); }
function scas8(cpu: CpuCore, ins: Instruction): void { stringOperation(cpu, ins, SCAS, 1); }
function scas16(cpu: CpuCore, ins: Instruction): void { stringOperation(cpu, ins, SCAS, 2); }
function scas32(cpu: CpuCore, ins: Instruction): void { stringOperation(cpu, ins, SCAS, 4); }
/** in/out and ins/outs at CPL 3 with IOPL 0 and no I/O bitmap: #GP(0) (Intel SDM 3A §19.5). */
export function ioPrivileged(cpu: CpuCore): void { cpu.raise(Vector.GP, 0); }

const TABLE: [string, number, (cpu: CpuCore, ins: Instruction) => void, (cpu: CpuCore, ins: Instruction) => void, (cpu: CpuCore, ins: Instruction) => void, number][] = [
  ['movs', 0xa4, movs8, movs16, movs32, 0],
  ['cmps', 0xa6, cmps8, cmps16, cmps32, OSZAPC],
  ['stos', 0xaa, stos8, stos16, stos32, 0],
  ['lods', 0xac, lods8, lods16, lods32, 0],
  ['scas', 0xae, scas8, scas16, scas32, OSZAPC],
];

function forms(): FormSpec[] {
  const list: FormSpec[] = [];
  for (const [name, opcode, h8, h16, h32, flagsWritten] of TABLE) {
    for (const bits of [8, 16, 32] as const) {
      const suffix = bits === 8 ? 'b' : bits === 16 ? 'w' : 'd';
      const handler = bits === 8 ? h8 : bits === 16 ? h16 : h32;
      const opcodeBytes = [opcode + (bits === 8 ? 0 : 1)];
      const base = { opcode: opcodeBytes, operandSize: bits, flagsWritten, handler, mnemonic: name + suffix };
      list.push(defineForm({ ...base, name: `${name}${suffix}`, prefixes: sizePrefix(bits) }));
      const repeats = flagsWritten === 0 ? [['rep', 0xf3]] as const : [['repe', 0xf3], ['repne', 0xf2]] as const;
      for (const [prefixName, prefix] of repeats) {
        list.push(defineForm({ ...base, name: `${prefixName} ${name}${suffix}`, prefixes: [prefix, ...sizePrefix(bits)] }));
        list.push(defineForm({ ...base, name: `${prefixName} ${name}${suffix} (a16)`, prefixes: [prefix, 0x67, ...sizePrefix(bits)], untestable: '16-bit addresses need low memory' }));
      }
      list.push(defineForm({ ...base, name: `${name}${suffix} (a16)`, prefixes: [0x67, ...sizePrefix(bits)], untestable: '16-bit addresses need low memory' }));
    }
  }
  for (const bits of [8, 16, 32] as const) {
    const suffix = bits === 8 ? 'b' : bits === 16 ? 'w' : 'd';
    const w = bits === 8 ? 0 : 1;
    const prefixes = sizePrefix(bits);
    list.push(defineForm({ name: `ins${suffix}`, prefixes, opcode: [0x6c + w], operandSize: bits, handler: ioPrivileged }));
    list.push(defineForm({ name: `outs${suffix}`, prefixes, opcode: [0x6e + w], operandSize: bits, handler: ioPrivileged }));
    const acc = bits === 8 ? 'al' : bits === 16 ? 'ax' : 'eax';
    list.push(defineForm({ name: `in ${acc}, imm8`, prefixes, opcode: [0xe4 + w], immediate: 1, operandSize: bits, handler: ioPrivileged }));
    list.push(defineForm({ name: `in ${acc}, dx`, prefixes, opcode: [0xec + w], operandSize: bits, handler: ioPrivileged }));
    list.push(defineForm({ name: `out imm8, ${acc}`, prefixes, opcode: [0xe6 + w], immediate: 1, operandSize: bits, handler: ioPrivileged }));
    list.push(defineForm({ name: `out dx, ${acc}`, prefixes, opcode: [0xee + w], operandSize: bits, handler: ioPrivileged }));
  }
  return list;
}

export const STRING_FORMS: readonly FormSpec[] = forms();
