/**
 * A decoded instruction: the handler from the opcode table plus every operand
 * field pre-extracted by the decoder, so executing it again costs no decoding.
 * One monomorphic class (all fields always initialised) keeps the hot loop's
 * property accesses fast (STYLE.md 12).
 */
import type { CpuCore } from './cpu-core.js';
import type { MemoryOperand } from './memory-operand.js';

export type Handler = (cpu: CpuCore, instruction: Instruction) => void;

export class Instruction implements MemoryOperand {
  handler: Handler;
  /** Total length in bytes, prefixes included (1..15). */
  length = 0;
  /** mod = 3: the r/m operand is a register (index in `rm`). */
  registerForm = false;
  /** ModRM.reg (register operand or group digit). */
  reg = 0;
  /** ModRM.rm register index when registerForm. */
  rm = 0;
  /** Byte offsets into the register file of reg/rm as 8-bit registers (AL..BH). */
  reg8 = 0;
  rm8 = 0;
  /** Memory operand: base and index register (-1: none), scale shift, displacement, segment. */
  base = -1;
  index = -1;
  scale = 0;
  displacement = 0;
  segment = 3;
  /** 0xffffffff for 32-bit addressing, 0xffff after a 0x67 prefix. */
  addressMask = -1;
  /** Immediates, sign-extended to 32 bits (handlers mask as needed). */
  immediate = 0;
  immediate2 = 0;
  /** 0, 0xf2 or 0xf3. */
  repeat = 0;
  /** Segment override prefix present (-1: none). */
  segmentOverride = -1;
  lock = false;
  /** Handler-specific constant from the opcode table (ALU operation, condition code, ...). */
  operation = 0;
  /**
   * Reads or sets eip (branches, x87 pointers, repeated string instructions that
   * resume themselves): a compiled block must give it an exact eip and end after it.
   */
  controlFlow = false;
  /** An unconditional transfer (jmp, call, ret, ...): a compiled block ends after it. */
  endsBlock = false;
  /** The ModRM byte (x87 needs it whole). */
  modrm = 0;
  /** First opcode byte (x87 escape D8..DF). */
  opcode = 0;

  constructor(handler: Handler) {
    this.handler = handler;
  }
}
