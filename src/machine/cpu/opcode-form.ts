/**
 * One row of the opcode table: an instruction form as the decoder accepts it.
 * The table (src/machine/cpu/opcodes/) is the single source for the decoder,
 * the interpreter, the differential-test generator and, later, the JIT.
 *
 * A "form" is one opcode byte sequence with one operand size and, for group
 * opcodes, one ModRM.reg digit: `add r/m32, r32` (01 /r) and `add r/m16, r16`
 * (66 01 /r) are two forms. The test generator emits every form with register
 * and memory operands as `modrm` allows.
 */
export interface OpcodeForm {
  /** Intel-syntax description, unique in the table: 'add r/m32, r32'. */
  readonly name: string;
  readonly mnemonic: string;
  /** Mandatory prefix bytes of this form (0x66 for 16-bit operand size, 0xf3 for rep forms, ...). */
  readonly prefixes: readonly number[];
  /** Opcode bytes after the prefixes: [0x01], [0x0f, 0xaf]. */
  readonly opcode: readonly number[];
  /**
   * ModRM usage: 'none' (no ModRM byte), 'reg' (register operand only: mod=3),
   * 'mem' (memory operand only: mod!=3), 'both'.
   */
  readonly modrm: 'none' | 'reg' | 'mem' | 'both';
  /** For group opcodes, the ModRM.reg digit (/0../7); otherwise undefined (any reg). */
  readonly digit?: number;
  /** For x87 register forms (D8..DF with mod=3), the full ModRM byte range is [modrmLow, modrmHigh]. */
  readonly modrmLow?: number;
  readonly modrmHigh?: number;
  /** Immediate bytes after ModRM/displacement (0, 1, 2, 3 for enter, 4, 6 for far pointers). */
  readonly immediate: number;
  /** 8, 16 or 32; 0 where it does not apply. */
  readonly operandSize: 0 | 8 | 16 | 32;
  /** EFLAGS bits the instruction may change. */
  readonly flagsWritten: number;
  /** EFLAGS bits the Intel SDM leaves undefined after it: masked in differential comparisons. */
  readonly flagsUndefined: number;
  /** Touches the x87 unit: the differential test compares the FPU state too. */
  readonly fpu?: boolean;
  /** Changes control flow (jmp/call/ret/jcc/loop...): the test harness lands on int3 filler. */
  readonly branch?: boolean;
  /** Why a form cannot run in the differential harness, if it cannot (e.g. 'int 0x80 is a syscall'). */
  readonly untestable?: string;
}
