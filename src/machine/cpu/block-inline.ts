/**
 * JavaScript source for the hottest instruction forms, specialised to one
 * decoded instruction (registers, displacement and immediates become literals),
 * which block-compiler.ts emits in place of a handler call. Each template does
 * exactly what its handler does (the handler stays the reference, STYLE.md 12):
 * the same effective address, the same access order, the same lazy-flag state.
 * Generated code sees `cpu`, `g` (cpu.gpr), `r8`, `r16` (its byte and word views), `sb`
 * (cpu.segmentBase) and `mem` (cpu.memory).
 */
import { Vector } from '../../hal/vcpu.js';
import { ARITHMETIC_FLAGS, LazyOp } from './cpu-core.js';
import type { Instruction } from './instruction.js';
import { movRegRm32, movRmReg32, movRegImm32, movRmImm32, lea32, movzx8To32, movsx8To32, movzx16To32 } from './opcodes/data-move.js';
import { JCC32 } from './opcodes/control.js';
import { aluRmReg32, aluRegRm32, aluAccImm32, aluRmImm32, testRmReg32, testRmImm32 } from './opcodes/arithmetic.js';
import { x87Escape } from './opcodes/x87.js';

/** How an inlined instruction touches the flags and memory (for dead-flag elimination and stop checks). */
export interface InlineForm {
  /** Writes all six arithmetic flags without reading any. */
  readonly writesFlags: boolean;
  /** May throw CPU_FAULT (a memory access or a null segment). */
  readonly mayFault: boolean;
  /** Writes memory (may hit a code page and stop the run). */
  readonly writesMemory: boolean;
  /** Lazy-flag kind it leaves (LazyOp, 32-bit, no carry-in) when it writes flags; -1 otherwise. */
  readonly lazyKind: number;
  /** The source; with `flagsLive` false the lazy-flag state is not written (a later instruction overwrites it). */
  source(flagsLive: boolean): string;
}

/** Group-1 operations inlined (adc and sbb read CF and stay calls). */
const OPERATOR: (string | undefined)[] = ['+', '|', undefined, undefined, '&', '-', '^', '-'];
const LAZY_KIND = [LazyOp.Add, LazyOp.Logic, -1, -1, LazyOp.Logic, LazyOp.Sub, LazyOp.Logic, LazyOp.Sub];

/** The linear address of the memory operand, as CpuCore.ea computes it. */
function effectiveAddress(ins: Instruction): string {
  let offset = `${ins.displacement}`;
  if (ins.base >= 0) offset += ` + g[${ins.base}]`;
  if (ins.index >= 0) offset += ` + (g[${ins.index}] << ${ins.scale})`;
  return `(((${offset}) & ${ins.addressMask}) + sb[${ins.segment}]) | 0`;
}

/** CpuCore.ea's null-segment check (Intel SDM 3A §3.4.2: any access through a null selector is #GP(0)). */
function segmentCheck(ins: Instruction): string {
  return `if (((cpu.nullSegments >> ${ins.segment}) & 1) !== 0) cpu.raise(${Vector.GP}, 0);`;
}

function form(writesFlags: boolean, mayFault: boolean, writesMemory: boolean, source: (flagsLive: boolean) => string, lazyKind = -1): InlineForm {
  return { writesFlags, mayFault, writesMemory, lazyKind, source };
}

/** `a op b` into `target` (undefined: cmp/test, result discarded) with the lazy flags of alu(). */
function aluSource(op: number, a: string, b: string, target: string | undefined, prelude: string, flagsLive: boolean): string {
  const operator = OPERATOR[op] as string;
  const result = operator === '+' || operator === '-' ? `(a ${operator} b) | 0` : `a ${operator} b`;
  const store = target === undefined ? '' : ` ${target} = r;`;
  if (!flagsLive) return target === undefined ? `{ ${prelude} }` : `{ ${prelude}const a = ${a}, b = ${b}; ${target} = ${result}; }`;
  return `{ ${prelude}const a = ${a}, b = ${b}, r = ${result}; cpu.lazyOp = ${LAZY_KIND[op]}; cpu.lazyA = a; cpu.lazyB = b; ` +
    `cpu.lazyResult = r; cpu.lazyCarry = 0; cpu.lazyBits = 32; cpu.lazyMask = ${ARITHMETIC_FLAGS};${store} }`;
}

/** The inline form of `ins`, or undefined when it stays a handler call. */
export function inlineForm(ins: Instruction): InlineForm | undefined {
  const handler = ins.handler;
  const register = ins.registerForm;
  if (handler === movRegRm32) {
    if (register) return form(false, false, false, () => `g[${ins.reg}] = g[${ins.rm}];`);
    return form(false, true, false, () => `${segmentCheck(ins)} g[${ins.reg}] = mem.read32(${effectiveAddress(ins)});`);
  }
  if (handler === movRmReg32) {
    if (register) return form(false, false, false, () => `g[${ins.rm}] = g[${ins.reg}];`);
    return form(false, true, true, () => `${segmentCheck(ins)} mem.write32(${effectiveAddress(ins)}, g[${ins.reg}]);`);
  }
  if (handler === movRegImm32) return form(false, false, false, () => `g[${ins.operation}] = ${ins.immediate};`);
  if (handler === movRmImm32) {
    if (register) return form(false, false, false, () => `g[${ins.rm}] = ${ins.immediate};`);
    return form(false, true, true, () => `${segmentCheck(ins)} mem.write32(${effectiveAddress(ins)}, ${ins.immediate});`);
  }
  if (handler === lea32) {
    let offset = `${ins.displacement}`;
    if (ins.base >= 0) offset += ` + g[${ins.base}]`;
    if (ins.index >= 0) offset += ` + (g[${ins.index}] << ${ins.scale})`;
    return form(false, false, false, () => `g[${ins.reg}] = (${offset}) & ${ins.addressMask};`);
  }
  if (handler === movzx8To32 || handler === movsx8To32 || handler === movzx16To32) {
    const word = handler === movzx16To32;
    const value = register ? (word ? `r16[${ins.rm << 1}]` : `r8[${ins.rm8}]`) : (word ? 'mem.read16(address)' : 'mem.read8(address)');
    const extended = handler === movsx8To32 ? `(${value} << 24) >> 24` : value;
    if (register) return form(false, false, false, () => `g[${ins.reg}] = ${extended};`);
    return form(false, true, false, () => `{ ${segmentCheck(ins)} const address = ${effectiveAddress(ins)}; g[${ins.reg}] = ${extended}; }`);
  }
  // Memory reads of cmp and test (no store, so no read-modify-write check): the read faults first.
  const read = register ? '' : `${segmentCheck(ins)} const m = mem.read32(${effectiveAddress(ins)}); `;
  if (!register && ((handler === aluRmReg32 && ins.operation === 7) || (handler === aluRmImm32 && ins.reg === 7))) {
    const b = handler === aluRmReg32 ? `g[${ins.reg}]` : `${ins.immediate}`;
    return form(true, true, false, (live) => aluSource(7, 'm', b, undefined, read, live), LazyOp.Sub);
  }
  if (!register && handler === testRmReg32) {
    return form(true, true, false, (live) => aluSource(4, 'm', `g[${ins.reg}]`, undefined, read, live), LazyOp.Logic);
  }
  if (handler === testRmImm32) {
    const a = register ? `g[${ins.rm}]` : 'm';
    return form(true, !register, false, (live) => aluSource(4, a, `${ins.immediate}`, undefined, read, live), LazyOp.Logic);
  }
  const op = handler === aluRmImm32 ? ins.reg : ins.operation;
  if (handler === aluRmReg32 || handler === aluRegRm32 || handler === aluAccImm32 || handler === aluRmImm32) {
    if (OPERATOR[op] === undefined) return undefined;
  }
  const keep = op !== 7;
  if (handler === aluRmReg32 && register) {
    return form(true, false, false, (live) => aluSource(op, `g[${ins.rm}]`, `g[${ins.reg}]`, keep ? `g[${ins.rm}]` : undefined, '', live), LAZY_KIND[op]);
  }
  if (handler === aluRegRm32) {
    if (register) return form(true, false, false, (live) => aluSource(op, `g[${ins.reg}]`, `g[${ins.rm}]`, keep ? `g[${ins.reg}]` : undefined, '', live), LAZY_KIND[op]);
    // The read comes first: it faults before anything changes.
    return form(true, true, false, (live) => aluSource(op, `g[${ins.reg}]`, `m`, keep ? `g[${ins.reg}]` : undefined,
      `${segmentCheck(ins)} const m = mem.read32(${effectiveAddress(ins)}); `, live), LAZY_KIND[op]);
  }
  if (handler === aluAccImm32) {
    return form(true, false, false, (live) => aluSource(op, 'g[0]', `${ins.immediate}`, keep ? 'g[0]' : undefined, '', live), LAZY_KIND[op]);
  }
  if (handler === aluRmImm32 && register) {
    return form(true, false, false, (live) => aluSource(op, `g[${ins.rm}]`, `${ins.immediate}`, keep ? `g[${ins.rm}]` : undefined, '', live), LAZY_KIND[op]);
  }
  if (handler === testRmReg32 && register) {
    return form(true, false, false, (live) => aluSource(4, `g[${ins.rm}]`, `g[${ins.reg}]`, undefined, '', live), LazyOp.Logic);
  }
  return undefined;
}

/** Conditions (Intel SDM 2 Appendix B.1.4.7) through the core's lazy-flag readers, as the JCC32 handlers test them. */
const GENERIC_CONDITION = [
  'cpu.getOF()', '!cpu.getOF()', 'cpu.getCF() !== 0', 'cpu.getCF() === 0', 'cpu.getZF()', '!cpu.getZF()',
  'cpu.belowOrEqual()', '!cpu.belowOrEqual()', 'cpu.getSF()', '!cpu.getSF()', 'cpu.getPF()', '!cpu.getPF()',
  'cpu.lessSigned()', '!cpu.lessSigned()', 'cpu.lessOrEqualSigned()', '!cpu.lessOrEqualSigned()',
];

/**
 * Conditions right after a 32-bit operation of a known lazy kind (lazyCarry 0,
 * every flag lazy): for a subtraction a - b, CF is a < b unsigned and SF != OF
 * is a < b signed; for logic, CF = OF = 0 (Intel SDM 2A and, or, xor, test).
 * undefined: use the generic reader (PF).
 */
function knownCondition(kind: number, cc: number): string | undefined {
  const a = 'cpu.lazyA', b = 'cpu.lazyB', r = 'cpu.lazyResult';
  let test: string | undefined;
  const base = cc >> 1;
  if (base === 2) test = `${r} === 0`;
  else if (base === 4) test = `${r} < 0`;
  else if (kind === LazyOp.Sub) {
    switch (base) {
      case 0: test = `((${a} ^ ${b}) & (${a} ^ ${r})) < 0`; break;
      case 1: test = `(${a} >>> 0) < (${b} >>> 0)`; break;
      case 3: test = `(${a} >>> 0) <= (${b} >>> 0)`; break;
      case 6: test = `${a} < ${b}`; break;
      case 7: test = `${a} <= ${b}`; break;
    }
  } else if (kind === LazyOp.Logic) {
    switch (base) {
      case 0: test = 'false'; break;
      case 1: test = 'false'; break;
      case 3: test = `${r} === 0`; break;
      case 6: test = `${r} < 0`; break;
      case 7: test = `${r} <= 0`; break;
    }
  } else if (kind === LazyOp.Add) {
    switch (base) {
      case 0: test = `((${a} ^ ${r}) & (${b} ^ ${r})) < 0`; break;
      case 1: test = `(${r} >>> 0) < (${a} >>> 0)`; break;
    }
  }
  if (test === undefined) return undefined;
  return (cc & 1) === 0 ? `(${test})` : `!(${test})`;
}

/**
 * The condition of a 32-bit jcc as a JavaScript expression, or undefined when
 * `ins` is not one; `previous` is the inline form of the instruction before it
 * in the block (its lazy kind lets the test skip the lazy-flag dispatch).
 */
export function branchCondition(ins: Instruction, previous: InlineForm | undefined): string | undefined {
  const cc = ins.operation;
  if (cc < 0 || cc > 15 || ins.handler !== JCC32[cc]) return undefined;
  if (previous !== undefined && previous.lazyKind >= 0) {
    const known = knownCondition(previous.lazyKind, cc);
    if (known !== undefined) return known;
  }
  return GENERIC_CONDITION[cc];
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
  if (ins.registerForm) return `if (!cpu.x87.tryRegister(${ins.opcode}, ${ins.modrm}, ${eip})) ${call}`;
  return `{ ${segmentCheck(ins)} if (!cpu.x87.tryMemory(${ins.opcode}, ${ins.modrm}, ${effectiveAddress(ins)}, ${eip})) ${call} }`;
}
