/**
 * Compiles a hot straight-line run of decoded instructions (a basic block)
 * into one JavaScript function that calls each instruction's handler from its
 * own call site. Each site sees one handler, so V8 can inline it; the
 * interpreter's single dispatch site sees every handler and cannot. This is
 * the hot path of STYLE.md 12: Cpu.step() and referenceMode stay the
 * simple path the tests compare against.
 *
 * A block ends after an unconditional transfer (call, ret, an indirect jmp or
 * one leaving the page; a direct jmp within the page is followed to its target;
 * following a call measured slower: the callee's code is copied into every caller),
 * at the end of the page, or at MAX_BLOCK instructions; it leaves early when a
 * conditional branch is taken (one back to the block start loops in place), a
 * repeated string op resumes itself, or a handler stops the run. Hot forms are
 * emitted inline (block-inline.ts); the others call their handler.
 * Generated code sets eip only where it is read; after a handler that stops
 * the run (syscall, trap, code write, TF change) it sets eip and returns. On
 * a fault it records which instruction faulted (CpuCore.blockFaultIndex).
 */
import type { CpuCore } from './cpu-core.js';
import type { Instruction, Handler } from './instruction.js';
import { branchCondition, inlineForm, x87Call, type InlineForm } from './block-inline.js';
import { PARITY } from './cpu-core.js';
import { transferSource } from './block-transfers.js';
import { EMPTY_RAM8, EMPTY_TLB, MEMORY_SCRATCH } from './block-memory.js';

export const MAX_BLOCK = 48;

/**
 * Runs the block at linear address `base` with `left` (>= its count) instructions of
 * budget; returns the number retired. A block that loops to its own start runs
 * again only while a whole pass fits in what is left.
 */
export type BlockFunction = (cpu: CpuCore, base: number, left: number) => number;

export class Block {
  /**
   * The block that ran after this one last time (Cpu.runCached's link), valid while
   * the run left this block for `nextEip`, the MMU's translationStamp is `nextStamp`
   * and the successor is `live`.
   */
  next: Block = this;
  nextEip = 0;
  nextStamp = -1;
  /** False once the code page it was compiled from is dropped. */
  live = true;

  constructor(
    readonly run: BlockFunction,
    /** Number of instructions. */
    readonly count: number,
    /** Offset of each instruction's first byte from the block start. */
    readonly starts: Int32Array,
  ) {}
}

/**
 * Builds the block for `instructions` (already decoded, in one page, each at
 * `positions[k]` bytes from the block start: consecutive, except after a direct
 * jmp, which the block follows to its target).
 * `unique` names the block in its source so that V8 does not share feedback
 * between blocks of the same shape.
 */
export function compileBlock(instructions: readonly Instruction[], positions: readonly number[], unique: number): Block {
  const count = instructions.length;
  const starts = new Int32Array(count);
  const lines: string[] = [];
  const forms = instructions.map(inlineForm);
  const skips = forwardSkips(instructions, positions, forms);
  let loops = false;
  let offset = 0;
  for (let k = 0; k < count; k++) {
    const ins = instructions[k];
    starts[k] = positions[k];
    offset = positions[k] + ins.length;
    for (let close = skips.closing[k]; close > 0; close--) lines.push('}');
    // A jmp followed in the block by its target (not by its next byte) was taken at compile time:
    // it retires with no other effect (a direct jmp reads and writes only eip).
    if (k < count - 1 && positions[k + 1] !== offset) continue;
    lines.push(`k = ${k};`);
    // Where a forward jcc of the block joins, the instruction before is not the only way in.
    const previous = k > 0 && !skips.joins[k] ? forms[k - 1] : undefined;
    const condition = ins.controlFlow ? branchCondition(ins, previous) : undefined;
    if (condition !== undefined) {
      const target = skips.target[k];
      if (target > k + 1) {
        // A jcc to an instruction further on in the block: taken, it skips the instructions between
        // (they do not retire) by leaving a labelled block that ends where the target starts.
        lines.push(`skip${k}: { if (${condition}) { done -= ${target - k - 1}; break skip${k}; }`);
      } else if (offset + ins.immediate === 0) {
        // A loop back to the block's start: run it again here while the budget holds a whole
        // pass and nothing asked to stop (the dispatcher's own test before entering a block).
        loops = true;
        lines.push(`if (${condition}) { done += ${k + 1}; if (left - done >= ${count} && cpu.stop === 0) continue; cpu.eip = base; return done; }`);
      } else {
        // An inlined jcc: leaves the block when taken; falls through otherwise.
        lines.push(`if (${condition}) { cpu.eip = (base + ${offset + ins.immediate}) | 0; return done + ${k + 1}; }`);
      }
      if (k === count - 1) {
        lines.push(`cpu.eip = (base + ${offset}) | 0;`);
        lines.push(`return done + ${count};`);
      }
      continue;
    }
    const transfer = ins.controlFlow ? transferSource(ins, offset) : undefined;
    if (transfer !== undefined) {
      lines.push(transfer, `return done + ${k + 1};`);
      break;
    }
    if (ins.controlFlow) {
      lines.push(`cpu.eip = (base + ${offset}) | 0;`);
      lines.push(x87Call(ins, positions[k], `h${k}(cpu, i${k});`) ?? `h${k}(cpu, i${k});`);
      if (ins.endsBlock || k === count - 1) {
        lines.push(`return done + ${k + 1};`);
        break;
      }
      // A branch not taken (or x87, or a repeat that finished) falls through: continue the block.
      lines.push(`if (cpu.eip !== ((base + ${offset}) | 0) || cpu.stop !== 0) return done + ${k + 1};`);
      continue;
    }
    const inline = forms[k];
    if (inline !== undefined) {
      lines.push(inline.source(!inline.writesFlags || flagsLiveAfter(forms, k), previous));
      if (inline.writesMemory) lines.push(`if (cpu.stop !== 0) { cpu.eip = (base + ${offset}) | 0; return done + ${k + 1}; }`);
    } else {
      lines.push(`h${k}(cpu, i${k});`);
      lines.push(`if (cpu.stop !== 0) { cpu.eip = (base + ${offset}) | 0; return done + ${k + 1}; }`);
    }
    if (k === count - 1) {
      lines.push(`cpu.eip = (base + ${offset}) | 0;`);
      lines.push(`return done + ${count};`);
    }
  }
  const bindings: string[] = [];
  for (let k = 0; k < count; k++) bindings.push(`const h${k} = handlers[${k}], i${k} = instructions[${k}];`);
  const body = lines.join('\n    ');
  // The in-place TLB path of block-memory.ts, bound only where the block uses it.
  const direct = body.includes('tlb[') ?
    `const tlb = mem.tlbEntries ?? EMPTY_TLB, ram = mem.ramI32 ?? EMPTY_TLB, ram8 = mem.ramU8 ?? EMPTY_RAM8, code = mem.codePages; ${MEMORY_SCRATCH}` : '';
  const source = `"use strict"; // block ${unique}
${bindings.join('\n')}
return function block(cpu, base, left) {
  const g = cpu.gpr, r8 = cpu.r8, r16 = cpu.r16, sb = cpu.segmentBase, mem = cpu.memory;
  ${direct}
  let k = 0, done = 0;
  try {
    ${loops ? 'for (;;) {' : ''}
    ${body}
    ${loops ? '}' : ''}
  } catch (fault) {
    cpu.blockFaultIndex = k;
    cpu.blockFaultPasses = done;
    throw fault;
  }
};`;
  const handlers: Handler[] = instructions.map((ins) => ins.handler);
  const factory = new Function('handlers', 'instructions', 'parity', 'EMPTY_TLB', 'EMPTY_RAM8', source) as
    (h: Handler[], i: readonly Instruction[], p: Uint8Array, emptyTlb: Int32Array, emptyRam8: Uint8Array) => BlockFunction;
  return new Block(factory(handlers, instructions, PARITY, EMPTY_TLB, EMPTY_RAM8), count, starts);
}

/**
 * The forward jccs a block takes without leaving it: `target[k]` is the index
 * of the instruction jcc `k` jumps to (-1: none), `closing[t]` how many
 * labelled blocks end before instruction t, `joins[t]` whether one does. The
 * skipped ranges must nest (JavaScript's labelled blocks do); a jcc whose
 * range would cross another's leaves the block as before.
 */
function forwardSkips(instructions: readonly Instruction[], positions: readonly number[], forms: readonly (InlineForm | undefined)[]):
  { target: Int32Array; closing: Int32Array; joins: boolean[] } {
  const count = instructions.length;
  const target = new Int32Array(count).fill(-1);
  const closing = new Int32Array(count);
  const joins = new Array<boolean>(count).fill(false);
  const indexAt = new Map<number, number>();
  positions.forEach((position, index) => indexAt.set(position, index));
  const open: number[] = [];
  for (let k = 0; k < count; k++) {
    while (open.length > 0 && open[open.length - 1] <= k) open.pop();
    const ins = instructions[k];
    const end = positions[k] + ins.length;
    if (k < count - 1 && positions[k + 1] !== end) continue;
    if (!ins.controlFlow || branchCondition(ins, k > 0 ? forms[k - 1] : undefined) === undefined) continue;
    const to = indexAt.get(end + ins.immediate);
    if (to === undefined || to <= k + 1) continue;
    if (open.length > 0 && to > open[open.length - 1]) continue;
    target[k] = to;
    closing[to]++;
    joins[to] = true;
    open.push(to);
  }
  return { target, closing, joins };
}

/**
 * Whether the flags written by instruction `k` can be observed: they are dead
 * only when a later inlined instruction overwrites all six before anything
 * could read them, fault (the kernel sees EFLAGS) or leave the block.
 */
function flagsLiveAfter(forms: readonly (InlineForm | undefined)[], k: number): boolean {
  for (let j = k + 1; j < forms.length; j++) {
    const next = forms[j];
    if (next === undefined || next.mayFault || next.readsFlags) return true;
    if (next.writesFlags) return false;
  }
  return true;
}
