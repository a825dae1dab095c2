/**
 * JavaScript source for the hottest instruction forms, specialised to one
 * decoded instruction (registers, displacement and immediates become literals),
 * which block-compiler.ts emits in place of a handler call. Each template does
 * exactly what its handler does (the handler stays the reference, STYLE.md 12):
 * the same effective address, the same access order, the same flag state.
 * Generated code sees `cpu`, `g` (cpu.gpr), `r8`, `r16` (its byte and word views), `sb`
 * (cpu.segmentBase), `mem` (cpu.memory) and `parity` (the PF table).
 */
import { Vector } from '../../hal/vcpu.js';
import { ARITHMETIC_FLAGS, LazyOp } from './cpu-core.js';
import type { Instruction } from './instruction.js';
import {
  movRegRm32, movRmReg32, movRegImm32, movRmImm32, lea32, movzx8To32, movsx8To32, movzx16To32,
  movRmReg8, movRegRm8, movRmImm8, cmov32, setcc,
} from './opcodes/data-move.js';
import {
  aluRmReg32, aluRegRm32, aluAccImm32, aluRmImm32, testRmReg32, testRmImm32, testAccImm32,
  aluRmReg8, aluRegRm8, aluAccImm8, aluRmImm8, testRmReg8, testRmImm8, testAccImm8, incDecReg32,
} from './opcodes/arithmetic.js';
import { shift32, COUNT_ONE, COUNT_IMMEDIATE } from './opcodes/shift-rotate.js';
import { pushReg32, pushImm32, popReg32 } from './opcodes/stack.js';
import { imulTwo32 } from './opcodes/multiply-divide.js';
import { x87Escape } from './opcodes/x87.js';
import { fusedCallSource } from './fpu/x87-fused.js';
import { KIND_INC_DEC, lazyCarry, type InlineForm } from './inline-form.js';
import { conditionSource } from './block-conditions.js';
import { read8Source, read32Source, write8Source, write32Source } from './block-memory.js';

export type { InlineForm } from './inline-form.js';
export { branchCondition } from './block-conditions.js';

/** Group-1 operations inlined (adc and sbb read CF and stay calls). */
const OPERATOR: (string | undefined)[] = ['+', '|', undefined, undefined, '&', '-', '^', '-'];
const LAZY_KIND = [LazyOp.Add, LazyOp.Logic, -1, -1, LazyOp.Logic, LazyOp.Sub, LazyOp.Logic, LazyOp.Sub];
/** The bits that setFlagBits(value, ARITHMETIC_FLAGS) leaves as they are. */
const KEEP = ~ARITHMETIC_FLAGS;

/** The linear address of the memory operand, as CpuCore.ea computes it. */
export function effectiveAddress(ins: Instruction): string {
  let offset = `${ins.displacement}`;
  if (ins.base >= 0) offset += ` + g[${ins.base}]`;
  if (ins.index >= 0) offset += ` + (g[${ins.index}] << ${ins.scale})`;
  return `(((${offset}) & ${ins.addressMask}) + sb[${ins.segment}]) | 0`;
}

/** CpuCore.ea's null-segment check (Intel SDM 3A §3.4.2: any access through a null selector is #GP(0)). */
export function segmentCheck(ins: Instruction): string {
  return `if (((cpu.nullSegments >> ${ins.segment}) & 1) !== 0) cpu.raise(${Vector.GP}, 0);`;
}

/** CpuCore.linear(2, esp)'s check: SS is never null at CPL 3, but the handler tests it, so does the template. */
export const STACK_CHECK = `if ((cpu.nullSegments & 4) !== 0) cpu.raise(${Vector.GP}, 0);`;

/** CpuCore.push32(`value`): the store first, then esp (a faulting push leaves esp unchanged). */
export function pushSource(value: string): string {
  return `{ const v = ${value}, esp = (g[4] - 4) | 0; ${STACK_CHECK} ${write32Source('(esp + sb[2]) | 0', 'v')} g[4] = esp; }`;
}

interface FormOptions {
  readonly writesFlags?: boolean;
  readonly readsFlags?: boolean;
  readonly mayFault?: boolean;
  readonly writesMemory?: boolean;
  readonly lazyKind?: number;
  readonly lazyBits?: number;
  readonly carry?: string;
}

function form(options: FormOptions, source: (flagsLive: boolean, previous: InlineForm | undefined) => string): InlineForm {
  const lazyKind = options.lazyKind ?? -1;
  const lazyBits = options.lazyBits ?? 32;
  return {
    writesFlags: options.writesFlags ?? false,
    readsFlags: options.readsFlags ?? false,
    mayFault: options.mayFault ?? false,
    writesMemory: options.writesMemory ?? false,
    lazyKind,
    lazyBits,
    carry: options.carry ?? (lazyKind >= 0 ? lazyCarry(lazyKind, lazyBits) : undefined),
    source,
  };
}

/** A form that changes no flags: a register move (`mayFault` false) or a memory access. */
function plain(source: string, mayFault = false, writesMemory = false): InlineForm {
  return form({ mayFault, writesMemory }, () => source);
}

/** The lazy state alu() records (CpuCore.setLazy with lazyCarry 0). */
function lazyState(kind: number, a: string, b: string, r: string, bits: number): string {
  return `cpu.lazyOp = ${kind}; cpu.lazyA = ${a}; cpu.lazyB = ${b}; cpu.lazyResult = ${r}; cpu.lazyCarry = 0; cpu.lazyBits = ${bits}; cpu.lazyMask = ${ARITHMETIC_FLAGS};`;
}

/** `a op b` into `target` (undefined: cmp/test, result discarded) with the lazy flags of alu(); 8-bit operands come zero-extended. */
function aluSource(op: number, a: string, b: string, target: string | undefined, prelude: string, flagsLive: boolean, bits = 32): string {
  const operator = OPERATOR[op] as string;
  const result = operator === '+' || operator === '-' ? `(a ${operator} b) | 0` : `a ${operator} b`;
  const store = target === undefined ? '' : ` ${target} = r;`;
  if (!flagsLive) return target === undefined ? `{ ${prelude} }` : `{ ${prelude}const a = ${a}, b = ${b}; ${target} = ${result}; }`;
  return `{ ${prelude}const a = ${a}, b = ${b}, r = ${result}; ${lazyState(LAZY_KIND[op], 'a', 'b', 'r', bits)}${store} }`;
}

/** An ALU form: `a op b`, stored into `target` unless op is cmp. */
function aluForm(op: number, a: string, b: string, target: string | undefined, prelude: string, bits: number): InlineForm | undefined {
  if (OPERATOR[op] === undefined) return undefined;
  const keep = op !== 7 ? target : undefined;
  return form({ writesFlags: true, mayFault: prelude !== '', lazyKind: LAZY_KIND[op], lazyBits: bits },
    (live) => aluSource(op, a, b, keep, prelude, live, bits));
}

/** The memory read of a cmp/test/op-reg form: it faults before anything changes. */
function readPrelude(ins: Instruction, bits: number): string {
  const read = bits === 8 ? read8Source(effectiveAddress(ins)) : read32Source(effectiveAddress(ins));
  return `${segmentCheck(ins)} const m = ${read}; `;
}

/**
 * A read-modify-write (aluMemory): checkModify faults as the store would before
 * the read, the store comes before the flags.
 */
function aluMemoryForm(ins: Instruction, op: number, b: string): InlineForm | undefined {
  if (OPERATOR[op] === undefined || op === 7) return undefined;
  const operator = OPERATOR[op] as string;
  const result = operator === '+' || operator === '-' ? `(a ${operator} b) | 0` : `a ${operator} b`;
  const head = `${segmentCheck(ins)} const address = ${effectiveAddress(ins)}; cpu.checkModify(address, 4); const a = ${read32Source('address')}, b = ${b}, r = ${result}; ${write32Source('address', 'r')}`;
  return form({ writesFlags: true, mayFault: true, writesMemory: true, lazyKind: LAZY_KIND[op] },
    (live) => `{ ${head}${live ? ` ${lazyState(LAZY_KIND[op], 'a', 'b', 'r', 32)}` : ''} }`);
}

/** inc/dec r32: CF kept (CpuCore.setLazyKeepCarry), so it reads the flags before it. */
function incDecForm(ins: Instruction): InlineForm {
  const register = ins.operation & 7;
  const dec = ins.operation >= 8;
  const operator = dec ? '-' : '+';
  const kind = dec ? LazyOp.Sub : LazyOp.Add;
  return form({ readsFlags: true, lazyKind: KIND_INC_DEC }, (live, previous) => {
    if (!live) return `g[${register}] = (g[${register}] ${operator} 1) | 0;`;
    const carry = previous?.carry ?? 'cpu.getCF()';
    return `{ const a = g[${register}], r = (a ${operator} 1) | 0; cpu.flags = (cpu.flags & -2) | ${carry}; ` +
      `cpu.lazyOp = ${kind}; cpu.lazyA = a; cpu.lazyB = 1; cpu.lazyResult = r; cpu.lazyCarry = 0; cpu.lazyBits = 32; ` +
      `cpu.lazyMask = ${ARITHMETIC_FLAGS & ~1}; g[${register}] = r; }`;
  });
}

/**
 * shl/shr/sar/rol/ror on 32 bits: shift32's register code (eager flags) for
 * shifts by 1, an immediate or CL; rol/ror by 1 or an immediate as ../alu/rotate.ts
 * (CF and OF only); shifts of a memory operand as shiftRm with ../alu/shift.ts
 * (checkModify first, the store before the flags). A masked count of 0 changes nothing.
 */
function shiftForm(ins: Instruction): InlineForm | undefined {
  const digit = ins.reg;
  if (digit === 2 || digit === 3) return undefined;
  if (ins.operation !== COUNT_ONE && ins.operation !== COUNT_IMMEDIATE) {
    return ins.registerForm && digit >= 4 ? shiftByCountForm(ins) : undefined;
  }
  const n = (ins.operation === COUNT_ONE ? 1 : ins.immediate) & 31;
  if (!ins.registerForm) return digit >= 4 ? shiftMemoryForm(ins, n) : undefined;
  if (n === 0) return plain('');
  const rm = ins.rm;
  if (digit < 2) {
    // rotate.ts rol/ror: only CF and OF change (setFlagBits(flags, CF | OF)), the other flags stay as they are.
    const result = digit === 0 ? `((v << ${n}) | (v >>> ${32 - n})) | 0` : `((v >>> ${n}) | (v << ${32 - n})) | 0`;
    const flags = digit === 0 ? '(r & 1) | ((((r >>> 31) ^ r) & 1) !== 0 ? 2048 : 0)' : '(r >>> 31) | ((((r >>> 31) ^ (r >>> 30)) & 1) !== 0 ? 2048 : 0)';
    return form({ carry: '(cpu.flags & 1)' },
      () => `{ const v = g[${rm}], r = ${result}; g[${rm}] = r; cpu.flags = (cpu.flags & ${~0x801}) | ${flags}; cpu.lazyMask &= ${~0x801}; }`);
  }
  const { result, carry, overflow } = registerShift(digit, `${n}`, `${n - 1}`, `${32 - n}`);
  return form({ writesFlags: true, carry: '(cpu.flags & 1)' }, (live) => {
    if (!live) return `{ const v = g[${rm}]; g[${rm}] = ${result}; }`;
    return `{ const v = g[${rm}], r = ${result}, c = ${carry}; g[${rm}] = r; ` +
      `cpu.flags = (cpu.flags & ${KEEP}) | c | (${overflow}) | (r === 0 ? 64 : 0) | ((r >>> 24) & 128) | parity[r & 255]; cpu.lazyMask &= ${KEEP}; }`;
  });
}

/** shift32's register shift of `v` by `n` (1..31): the result, CF and OF expressions. */
function registerShift(digit: number, n: string, nMinus1: string, complement: string): { result: string; carry: string; overflow: string } {
  switch (digit) {
    case 5: return { result: `v >>> ${n}`, carry: `(v >>> ${nMinus1}) & 1`, overflow: 'v < 0 ? 2048 : 0' };
    case 7: return { result: `v >> ${n}`, carry: `(v >> ${nMinus1}) & 1`, overflow: '0' };
    default: return { result: `v << ${n}`, carry: `(v >>> ${complement}) & 1`, overflow: '((r >>> 31) ^ c) !== 0 ? 2048 : 0' };
  }
}

/** shl/shr/sar r32, cl: the count is known only at run time, so the flags may stay as they are (not a flag writer here). */
function shiftByCountForm(ins: Instruction): InlineForm {
  const rm = ins.rm;
  const { result, carry, overflow } = registerShift(ins.reg, 'n', '(n - 1)', '(32 - n)');
  return form({ carry: '(cpu.flags & 1)' }, () => `{ const n = r8[4] & 31; if (n !== 0) { const v = g[${rm}], r = ${result}, c = ${carry}; g[${rm}] = r; ` +
    `cpu.flags = (cpu.flags & ${KEEP}) | c | (${overflow}) | (r === 0 ? 64 : 0) | ((r >>> 24) & 128) | parity[r & 255]; cpu.lazyMask &= ${KEEP}; } }`);
}

/** shl/shr/sar dword [m], 1|imm: shiftRm's memory path with shift.ts's flags (AF set, OF by the host's rules). */
function shiftMemoryForm(ins: Instruction, n: number): InlineForm {
  const head = `${segmentCheck(ins)} const address = ${effectiveAddress(ins)}; cpu.checkModify(address, 4); const v = ${read32Source('address')};`;
  if (n === 0) return form({ mayFault: true }, () => `{ ${head} }`);
  let result: string, carry: string, overflow: string;
  switch (ins.reg) {
    case 5: result = `v >>> ${n}`; carry = `(v >>> ${n - 1}) & 1`; overflow = '((r >>> 31) ^ (r >>> 30)) & 1'; break;
    case 7: result = `v >> ${n}`; carry = `(v >> ${n - 1}) & 1`; overflow = '0'; break;
    default: result = `v << ${n}`; carry = `(v >>> ${32 - n}) & 1`; overflow = '((r >>> 31) ^ c) & 1'; break;
  }
  return form({ writesFlags: true, mayFault: true, writesMemory: true, carry: '(cpu.flags & 1)' }, (live) => {
    const flags = live ? ` cpu.flags = (cpu.flags & ${KEEP}) | c | (${overflow} ? 2048 : 0) | (r === 0 ? 64 : 0) | ((r >>> 24) & 128) | parity[r & 255] | 16; cpu.lazyMask &= ${KEEP};` : '';
    return `{ ${head} const r = ${result}, c = ${carry}; ${write32Source('address', 'r')}${flags} }`;
  });
}

/** imul r32, r/m32[, imm]: CF = OF = the signed product does not fit (exact: a * b is exact below 2^53, and far from an int32 above). */
function imulForm(ins: Instruction): InlineForm {
  const source = ins.registerForm ? `g[${ins.rm}]` : read32Source(effectiveAddress(ins));
  const prelude = ins.registerForm ? '' : segmentCheck(ins);
  const b = ins.operation === 1 ? `${ins.immediate}` : `g[${ins.reg}]`;
  return form({ writesFlags: true, mayFault: !ins.registerForm, carry: '(cpu.flags & 1)' }, (live) => {
    if (!live) return `{ ${prelude} g[${ins.reg}] = Math.imul(${source}, ${b}); }`;
    return `{ ${prelude} const a = ${source}, b = ${b}, r = Math.imul(a, b); g[${ins.reg}] = r; ` +
      `cpu.flags = (cpu.flags & ${KEEP}) | (a * b !== r ? 2049 : 0); cpu.lazyMask &= ${KEEP}; }`;
  });
}

/** The 32-bit moves, lea and movzx/movsx. */
function moveForm(ins: Instruction): InlineForm | undefined {
  const handler = ins.handler;
  const register = ins.registerForm;
  if (handler === movRegRm32) {
    return register ? plain(`g[${ins.reg}] = g[${ins.rm}];`) : plain(`${segmentCheck(ins)} g[${ins.reg}] = ${read32Source(effectiveAddress(ins))};`, true);
  }
  if (handler === movRmReg32) {
    return register ? plain(`g[${ins.rm}] = g[${ins.reg}];`) : plain(`${segmentCheck(ins)} ${write32Source(effectiveAddress(ins), `g[${ins.reg}]`)}`, true, true);
  }
  if (handler === movRegImm32) return plain(`g[${ins.operation}] = ${ins.immediate};`);
  if (handler === movRmImm32) {
    return register ? plain(`g[${ins.rm}] = ${ins.immediate};`) : plain(`${segmentCheck(ins)} ${write32Source(effectiveAddress(ins), `${ins.immediate}`)}`, true, true);
  }
  if (handler === movRmReg8) {
    return register ? plain(`r8[${ins.rm8}] = r8[${ins.reg8}];`) : plain(`${segmentCheck(ins)} ${write8Source(effectiveAddress(ins), `r8[${ins.reg8}]`)}`, true, true);
  }
  if (handler === movRegRm8) {
    return register ? plain(`r8[${ins.reg8}] = r8[${ins.rm8}];`) : plain(`${segmentCheck(ins)} r8[${ins.reg8}] = ${read8Source(effectiveAddress(ins))};`, true);
  }
  if (handler === movRmImm8) {
    return register ? plain(`r8[${ins.rm8}] = ${ins.immediate};`) : plain(`${segmentCheck(ins)} ${write8Source(effectiveAddress(ins), `${ins.immediate & 0xff}`)}`, true, true);
  }
  if (handler === lea32) {
    let offset = `${ins.displacement}`;
    if (ins.base >= 0) offset += ` + g[${ins.base}]`;
    if (ins.index >= 0) offset += ` + (g[${ins.index}] << ${ins.scale})`;
    return plain(`g[${ins.reg}] = (${offset}) & ${ins.addressMask};`);
  }
  if (handler === movzx8To32 || handler === movsx8To32 || handler === movzx16To32) {
    const word = handler === movzx16To32;
    const value = register ? (word ? `r16[${ins.rm << 1}]` : `r8[${ins.rm8}]`) : (word ? 'mem.read16(address)' : read8Source('address'));
    const extended = handler === movsx8To32 ? `(${value} << 24) >> 24` : value;
    if (register) return plain(`g[${ins.reg}] = ${extended};`);
    return plain(`{ ${segmentCheck(ins)} const address = ${effectiveAddress(ins)}; g[${ins.reg}] = ${extended}; }`, true);
  }
  if (handler === pushReg32) return plain(pushSource(`g[${ins.operation}]`), true, true);
  if (handler === pushImm32) return plain(pushSource(`${ins.immediate}`), true, true);
  if (handler === popReg32) {
    return plain(`{ const esp = g[4]; ${STACK_CHECK} const v = ${read32Source('(esp + sb[2]) | 0')}; g[4] = esp + 4; g[${ins.operation}] = v; }`, true);
  }
  return undefined;
}

/** cmovcc r32 and setcc r/m8: the source is read (and may fault) whatever the condition. */
function conditionalForm(ins: Instruction): InlineForm | undefined {
  const cc = ins.operation;
  if (ins.handler === cmov32) {
    const source = ins.registerForm ? `g[${ins.rm}]` : read32Source(effectiveAddress(ins));
    const prelude = ins.registerForm ? '' : segmentCheck(ins);
    return form({ readsFlags: true, mayFault: !ins.registerForm },
      (_live, previous) => `{ ${prelude} const v = ${source}; if (${conditionSource(cc, previous)}) g[${ins.reg}] = v; }`);
  }
  if (ins.handler === setcc) {
    if (ins.registerForm) return form({ readsFlags: true }, (_live, previous) => `r8[${ins.rm8}] = ${conditionSource(cc, previous)} ? 1 : 0;`);
    return form({ readsFlags: true, mayFault: true, writesMemory: true },
      (_live, previous) => `{ ${segmentCheck(ins)} const address = ${effectiveAddress(ins)}; ${write8Source('address', `(${conditionSource(cc, previous)} ? 1 : 0)`)} }`);
  }
  return undefined;
}

/** The ALU and test forms (8- and 32-bit). */
function arithmeticForm(ins: Instruction): InlineForm | undefined {
  const handler = ins.handler;
  const register = ins.registerForm;
  const rm32 = register ? `g[${ins.rm}]` : 'm', rm8 = register ? `r8[${ins.rm8}]` : 'm';
  const read32 = register ? '' : readPrelude(ins, 32), read8 = register ? '' : readPrelude(ins, 8);
  const imm8 = `${ins.immediate & 0xff}`;
  switch (handler) {
    case aluRmReg32:
      if (!register) return ins.operation === 7 ? aluForm(7, 'm', `g[${ins.reg}]`, undefined, read32, 32) : aluMemoryForm(ins, ins.operation, `g[${ins.reg}]`);
      return aluForm(ins.operation, rm32, `g[${ins.reg}]`, rm32, '', 32);
    case aluRegRm32: return aluForm(ins.operation, `g[${ins.reg}]`, rm32, `g[${ins.reg}]`, read32, 32);
    case aluAccImm32: return aluForm(ins.operation, 'g[0]', `${ins.immediate}`, 'g[0]', '', 32);
    case aluRmImm32:
      if (!register) return ins.reg === 7 ? aluForm(7, 'm', `${ins.immediate}`, undefined, read32, 32) : aluMemoryForm(ins, ins.reg, `${ins.immediate}`);
      return aluForm(ins.reg, rm32, `${ins.immediate}`, rm32, '', 32);
    case testRmReg32: return aluForm(4, rm32, `g[${ins.reg}]`, undefined, read32, 32);
    case testRmImm32: return aluForm(4, rm32, `${ins.immediate}`, undefined, read32, 32);
    case testAccImm32: return aluForm(4, 'g[0]', `${ins.immediate}`, undefined, '', 32);
    // 8-bit forms: memory operands only where nothing is stored (cmp, test, op r8, r/m8).
    case aluRmReg8:
      if (!register) return ins.operation === 7 ? aluForm(7, 'm', `r8[${ins.reg8}]`, undefined, read8, 8) : undefined;
      return aluForm(ins.operation, rm8, `r8[${ins.reg8}]`, rm8, '', 8);
    case aluRegRm8: return aluForm(ins.operation, `r8[${ins.reg8}]`, rm8, `r8[${ins.reg8}]`, read8, 8);
    case aluAccImm8: return aluForm(ins.operation, 'r8[0]', imm8, 'r8[0]', '', 8);
    case aluRmImm8:
      if (!register) return ins.reg === 7 ? aluForm(7, 'm', imm8, undefined, read8, 8) : undefined;
      return aluForm(ins.reg, rm8, imm8, rm8, '', 8);
    case testRmReg8: return aluForm(4, rm8, `r8[${ins.reg8}]`, undefined, read8, 8);
    case testRmImm8: return aluForm(4, rm8, imm8, undefined, read8, 8);
    case testAccImm8: return aluForm(4, 'r8[0]', imm8, undefined, '', 8);
    default: return undefined;
  }
}

/** The inline form of `ins`, or undefined when it stays a handler call. */
export function inlineForm(ins: Instruction): InlineForm | undefined {
  const handler = ins.handler;
  if (handler === incDecReg32) return incDecForm(ins);
  if (handler === shift32) return shiftForm(ins);
  if (handler === imulTwo32) return imulForm(ins);
  return moveForm(ins) ?? arithmeticForm(ins) ?? conditionalForm(ins);
}

/**
 * The call of an x87 form in a compiled block: straight into the unit's fast
 * path (X87.tryRegister/tryMemory) with the ModRM, the address and the
 * instruction's eip as literals, falling back to the handler `call` when the
 * fast path declines. Undefined: not an x87 escape (fwait stays a call).
 */
export function x87Call(ins: Instruction, start: number, call: string): string | undefined {
  if (ins.handler !== x87Escape) return undefined;
  const eip = `(base + ${start}) | 0`;
  // fadd/fsub/fmul with st(i) or m64 have fused entries (fpu/x87-fused.ts); the others go through the fast path.
  if (ins.registerForm) {
    const entry = fusedCallSource(ins.opcode, ins.modrm, 'cpu.x87', eip, '') ?? `cpu.x87.tryRegister(${ins.opcode}, ${ins.modrm}, ${eip})`;
    return `if (!${entry}) ${call}`;
  }
  const address = effectiveAddress(ins);
  const entry = fusedCallSource(ins.opcode, ins.modrm, 'cpu.x87', eip, address) ?? `cpu.x87.tryMemory(${ins.opcode}, ${ins.modrm}, ${address}, ${eip})`;
  return `{ ${segmentCheck(ins)} if (!${entry}) ${call} }`;
}
