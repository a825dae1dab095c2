/**
 * JavaScript source for the hottest instruction forms, specialised to one
 * decoded instruction (registers, displacement and immediates become literals),
 * which block-compiler.ts emits in place of a handler call. Each template does
 * exactly what its handler does (the handler stays the reference, STYLE.md 12):
 * the same effective address, the same access order, the same lazy-flag state.
 * Generated code sees `cpu`, `g` (cpu.gpr), `sb` (cpu.segmentBase) and `mem` (cpu.memory).
 */
import { Vector } from '../../hal/vcpu.js';
import { ARITHMETIC_FLAGS, LazyOp } from './cpu-core.js';
import type { Instruction } from './instruction.js';
import { movRegRm32, movRmReg32, movRegImm32, movRmImm32, lea32 } from './opcodes/data-move.js';
import { aluRmReg32, aluRegRm32, aluAccImm32, aluRmImm32, testRmReg32 } from './opcodes/arithmetic.js';

/** How an inlined instruction touches the flags and memory (for dead-flag elimination and stop checks). */
export interface InlineForm {
  /** Writes all six arithmetic flags without reading any. */
  readonly writesFlags: boolean;
  /** May throw CPU_FAULT (a memory access or a null segment). */
  readonly mayFault: boolean;
  /** Writes memory (may hit a code page and stop the run). */
  readonly writesMemory: boolean;
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

function form(writesFlags: boolean, mayFault: boolean, writesMemory: boolean, source: (flagsLive: boolean) => string): InlineForm {
  return { writesFlags, mayFault, writesMemory, source };
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
  const op = handler === aluRmImm32 ? ins.reg : ins.operation;
  if (handler === aluRmReg32 || handler === aluRegRm32 || handler === aluAccImm32 || handler === aluRmImm32) {
    if (OPERATOR[op] === undefined) return undefined;
  }
  const keep = op !== 7;
  if (handler === aluRmReg32 && register) {
    return form(true, false, false, (live) => aluSource(op, `g[${ins.rm}]`, `g[${ins.reg}]`, keep ? `g[${ins.rm}]` : undefined, '', live));
  }
  if (handler === aluRegRm32) {
    if (register) return form(true, false, false, (live) => aluSource(op, `g[${ins.reg}]`, `g[${ins.rm}]`, keep ? `g[${ins.reg}]` : undefined, '', live));
    // The read comes first: it faults before anything changes.
    return form(true, true, false, (live) => aluSource(op, `g[${ins.reg}]`, `m`, keep ? `g[${ins.reg}]` : undefined,
      `${segmentCheck(ins)} const m = mem.read32(${effectiveAddress(ins)}); `, live));
  }
  if (handler === aluAccImm32) {
    return form(true, false, false, (live) => aluSource(op, 'g[0]', `${ins.immediate}`, keep ? 'g[0]' : undefined, '', live));
  }
  if (handler === aluRmImm32 && register) {
    return form(true, false, false, (live) => aluSource(op, `g[${ins.rm}]`, `${ins.immediate}`, keep ? `g[${ins.rm}]` : undefined, '', live));
  }
  if (handler === testRmReg32 && register) {
    return form(true, false, false, (live) => aluSource(4, `g[${ins.rm}]`, `g[${ins.reg}]`, undefined, '', live));
  }
  return undefined;
}
