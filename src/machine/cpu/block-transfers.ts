/**
 * JavaScript source for the unconditional near transfers a compiled block
 * ends with (block-compiler.ts): call rel32, call/jmp r/m32 and ret,
 * doing exactly what their handlers in opcodes/control.ts do (operand read,
 * then the push, then eip; a faulting push leaves esp unchanged).
 */
import type { Instruction } from './instruction.js';
import { callRelative32, callRm32, jmpRm32, ret32 } from './opcodes/control.js';
import { effectiveAddress, pushSource, segmentCheck, STACK_CHECK } from './block-inline.js';
import { read32Source } from './block-memory.js';

/**
 * The transfer `ins` (ending at `end` bytes from the block start) setting
 * cpu.eip, or undefined when it stays a handler call.
 */
export function transferSource(ins: Instruction, end: number): string | undefined {
  const next = `(base + ${end}) | 0`;
  switch (ins.handler) {
    case callRelative32: return `${pushSource(next)} cpu.eip = (base + ${end + ins.immediate}) | 0;`;
    case jmpRm32:
      if (ins.registerForm) return `cpu.eip = g[${ins.rm}];`;
      return `{ ${segmentCheck(ins)} cpu.eip = ${read32Source(effectiveAddress(ins))} | 0; }`;
    case callRm32: {
      const read = ins.registerForm ? `g[${ins.rm}]` : read32Source(effectiveAddress(ins));
      const check = ins.registerForm ? '' : segmentCheck(ins);
      return `{ ${check} const target = ${read}; ${pushSource(next)} cpu.eip = target | 0; }`;
    }
    case ret32: {
      const release = (ins.immediate & 0xffff) === 0 ? '' : ` g[4] += ${ins.immediate & 0xffff};`;
      return `{ const esp = g[4]; ${STACK_CHECK} const v = ${read32Source('(esp + sb[2]) | 0')}; g[4] = esp + 4;${release} cpu.eip = v | 0; }`;
    }
    default: return undefined;
  }
}
