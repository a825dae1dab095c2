/**
 * What block-compiler.ts needs to know about an instruction emitted inline
 * (block-inline.ts): how it touches flags and memory (for dead-flag
 * elimination and stop checks), the lazy-flag state it leaves (so that a
 * following jcc, cmov or inc can test it directly) and its JavaScript source.
 */
import { LazyOp } from './cpu-core.js';

/** Lazy kind of inc/dec: Add/Sub lazy state for ZF/SF/OF/PF/AF, CF kept in cpu.flags. */
export const KIND_INC_DEC = 10;

export interface InlineForm {
  /** Writes all six arithmetic flags without reading any. */
  readonly writesFlags: boolean;
  /** Reads a flag (inc/dec keep CF; cmov and setcc test a condition): the flags before it are live. */
  readonly readsFlags: boolean;
  /** May throw CPU_FAULT (a memory access or a null segment). */
  readonly mayFault: boolean;
  /** Writes memory (may hit a code page and stop the run). */
  readonly writesMemory: boolean;
  /** Lazy-flag kind it leaves when it writes flags (LazyOp, no carry-in, or KIND_INC_DEC); -1: none or eager. */
  readonly lazyKind: number;
  /** Operand width of that lazy state: 8 or 32. */
  readonly lazyBits: number;
  /** A JavaScript expression for CF (0 or 1) right after it, when it writes flags; undefined: ask cpu.getCF(). */
  readonly carry: string | undefined;
  /**
   * The source. With `flagsLive` false the flags it writes are not stored (a later
   * instruction overwrites them first); `previous` is the inline form that ran just before it.
   */
  source(flagsLive: boolean, previous: InlineForm | undefined): string;
}

/** CF after a lazy operation of `kind` and `bits` (lazyCarry 0), read from the core's lazy fields. */
export function lazyCarry(kind: number, bits: number): string | undefined {
  const a = 'cpu.lazyA', b = 'cpu.lazyB', r = 'cpu.lazyResult';
  if (kind === LazyOp.Logic) return '0';
  if (bits === 32) {
    if (kind === LazyOp.Sub) return `((${a} >>> 0) < (${b} >>> 0) ? 1 : 0)`;
    if (kind === LazyOp.Add) return `((${r} >>> 0) < (${a} >>> 0) ? 1 : 0)`;
  } else if (bits === 8) {
    // 8-bit operands are held zero-extended (0..255); the result is not masked.
    if (kind === LazyOp.Sub) return `(${a} < ${b} ? 1 : 0)`;
    if (kind === LazyOp.Add) return `((${r} & 255) < ${a} ? 1 : 0)`;
  }
  if (kind === KIND_INC_DEC) return '(cpu.flags & 1)';
  return undefined;
}
