/**
 * Generates differential test cases for one opcode form: random and edge
 * operand values, every ModRM/SIB shape (memory operands placed by
 * memory-operand.ts), segment overrides, random EFLAGS and x87 states. What
 * the form's semantics need (pointers for string operations, code addresses
 * for branches, selectors for segment loads) is classified from its opcode.
 */
import type { OpcodeForm } from '../../machine/cpu/opcode-form.js';
import { CODE_ENTRY, DATA_BASE, HOST_USER_CS, HOST_USER_DS, PAGE, type Patch, type TestCase } from './layout.js';
import { ESP, chooseTarget, codeTarget, dataOffset, encodeMemoryOperand } from './memory-operand.js';
import { Random, SHIFT_COUNTS, operandValue } from './random.js';
import { fninitImage, limitStackTop, randomX87Image } from './x87-image.js';

const EAX = 0, ECX = 1, EDX = 2, EBX = 3, EBP = 5, ESI = 6, EDI = 7;
const TF = 1 << 8;

export interface GeneratorContext {
  /** Selector of the harness's TLS segment (set_thread_area entry * 8 + 3). */
  tlsSelector: number;
}

/** Opcode classification: the opcode bytes after mandatory prefixes, as one number (0x0fa3 for 0f a3). */
export function opcodeKey(form: OpcodeForm): number {
  return form.opcode.reduce((key, byte) => key * 256 + byte, 0);
}

const RELATIVE_BRANCHES = new Set([0xe0, 0xe1, 0xe2, 0xe3, 0xe8, 0xe9, 0xeb,
  ...Array.from({ length: 16 }, (_, i) => 0x70 + i), ...Array.from({ length: 16 }, (_, i) => 0x0f80 + i)]);
const STRING_OPERATIONS = new Set([0xa4, 0xa5, 0xa6, 0xa7, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf, 0x6c, 0x6d, 0x6e, 0x6f]);
const SHIFT_BY_CL = new Set([0xd2, 0xd3, 0x0fa5, 0x0fad]);
const SHIFT_BY_IMMEDIATE = new Set([0xc0, 0xc1, 0x0fa4, 0x0fac]);
const BIT_TEST_BY_REGISTER = new Set([0x0fa3, 0x0fab, 0x0fb3, 0x0fbb]);
const POP_SEGMENT = new Set([0x07, 0x17, 0x1f, 0x0fa1, 0x0fa9]);
const FAR_POINTER_LOADS = new Set([0xc4, 0xc5, 0x0fb2, 0x0fb4, 0x0fb5]);
const MOFFS = new Set([0xa0, 0xa1, 0xa2, 0xa3]);
/**
 * Forms the harness must never run even when asked to run the table's
 * untestable forms: they enter the host kernel or read host-specific values.
 */
export const HARNESS_EXCLUDED = new Set([0x0f34, 0x0f05, 0x0f31, 0x0fa2]);

/** Memory-only forms whose register encoding (mod = 3) is #UD rather than another instruction. */
const UNDEFINED_WITH_REGISTER = new Set([0x8d, 0x0fb2, 0x0fb4, 0x0fb5, 0x0fc7]);

export class CaseGenerator {
  private readonly random: Random;
  private readonly context: GeneratorContext;

  constructor(seed: number, context: GeneratorContext) {
    this.random = new Random(seed);
    this.context = context;
  }

  /** Selectors a segment load may see: null, flat code and data, the TLS segment, and ones that fault. */
  private selector(): number {
    const tls = this.context.tlsSelector;
    return this.random.pick([HOST_USER_DS, HOST_USER_DS, tls, tls, 0, 3, HOST_USER_CS, 0x13, 0x103, tls | 4]);
  }

  generate(form: OpcodeForm, formIndex: number): TestCase {
    const random = this.random;
    const key = opcodeKey(form);
    const gpr = Array.from({ length: 8 }, () => operandValue(random));
    const pinned = new Set<number>([ESP]);
    const patches: Patch[] = [];
    const patch = (linear: number, value: number): void => {
      const offset = dataOffset(linear);
      if (offset >= 0 && offset <= 3 * PAGE - 4 && patches.length < 16) patches.push({ offset, value: value | 0 });
    };
    // The stack: mostly the middle of the second read-write page, sometimes at an edge of it.
    let esp = DATA_BASE + PAGE + random.below(PAGE - 64) + 32;
    if (random.chance(0.8)) esp &= ~3;
    if (random.chance(0.05)) esp = DATA_BASE + 2 * PAGE + random.range(-8, 8);
    if (random.chance(0.03)) esp = DATA_BASE + random.range(0, 8);
    gpr[ESP] = esp;

    let eflags = 0x202 | (random.u32() & 0x8d5);
    if (random.chance(0.25)) eflags |= 1 << 10; // DF
    if (random.chance(0.05)) eflags |= 1 << 18; // AC: alignment checks (Linux sets CR0.AM)
    if (random.chance(0.03)) eflags |= TF; // single-step: #DB after the instruction (after each rep iteration)
    let fs = random.chance(0.7) ? this.context.tlsSelector : 0;
    let gs = random.chance(0.7) ? this.context.tlsSelector : 0;

    const prefixes: number[] = [];
    if (random.chance(0.03)) prefixes.push(0xf0); // lock: #UD unless a lockable form with a memory destination
    const body: number[] = [...form.prefixes, ...form.opcode];

    // ModRM.
    let memoryLinear = -1;
    let modrmRegister = -1;
    let rmRegister = -1;
    const width = form.operandSize >= 16 ? form.operandSize / 8 : 1;
    if (form.modrm !== 'none') {
      let useMemory = form.modrm === 'mem' || (form.modrm === 'both' && random.chance(0.5));
      const undefinedRegister = form.modrm === 'mem' && UNDEFINED_WITH_REGISTER.has(key) && random.chance(0.1);
      if (undefinedRegister) useMemory = false;
      let reg = form.digit ?? random.below(8);
      if (BIT_TEST_BY_REGISTER.has(key) && useMemory) reg = random.pick([EAX, ECX, EDX]);
      if (form.modrmLow !== undefined && form.modrmHigh !== undefined) {
        body.push(random.range(form.modrmLow, form.modrmHigh));
      } else if (useMemory) {
        const target = chooseTarget(random, width);
        const operand = encodeMemoryOperand(random, target, esp, this.context.tlsSelector);
        prefixes.push(...operand.prefixes);
        if (operand.fs !== undefined) fs = operand.fs;
        if (operand.gs !== undefined) gs = operand.gs;
        // The reg operand must not be one of the address registers for bit tests (the offset moves the address).
        if (BIT_TEST_BY_REGISTER.has(key)) for (const r of [EAX, ECX, EDX, EBX, ESI, EDI]) if (!operand.registers.has(r)) reg = r;
        for (const [register, value] of operand.registers) { gpr[register] = value; pinned.add(register); }
        body.push((operand.bytes[0] & 0xc7) | (reg << 3), ...operand.bytes.slice(1));
        memoryLinear = operand.linear;
      } else {
        let rm = random.below(8);
        // A branch through ESP would run the stack as code: the host has NX, the i686 vcpu does not.
        if (form.branch && rm === ESP) rm = EAX;
        body.push(0xc0 | (reg << 3) | rm);
        rmRegister = rm;
      }
      modrmRegister = reg;
    }

    // Implicit operands the form's semantics constrain.
    const pointer = (register: number): void => {
      if (pinned.has(register)) return;
      const alignment = form.operandSize >= 16 ? form.operandSize / 8 : 1;
      gpr[register] = chooseTarget(random, alignment) | 0;
      pinned.add(register);
    };
    if (STRING_OPERATIONS.has(key)) {
      pointer(ESI);
      pointer(EDI);
      if (form.prefixes.includes(0xf3) || form.prefixes.includes(0xf2)) gpr[ECX] = random.pick([0, 1, 2, 3, 5, 8]);
    }
    if (key === 0xd7) pointer(EBX); // xlat
    if (key === 0xc8 || key === 0xc9) { // enter, leave: EBP is a frame pointer near the stack
      if (!pinned.has(EBP)) gpr[EBP] = (esp + random.range(-64, 256)) & ~3;
    }
    if ((key >= 0xe0 && key <= 0xe3) && random.chance(0.6)) gpr[ECX] = random.pick([0, 1, 2, -1]);
    if (SHIFT_BY_CL.has(key) && !pinned.has(ECX)) gpr[ECX] = (gpr[ECX] & ~0xff) | random.pick(SHIFT_COUNTS);
    if (BIT_TEST_BY_REGISTER.has(key) && memoryLinear >= 0) gpr[modrmRegister] = random.range(-200, 200);
    if ((key === 0xf6 || key === 0xf7) && (form.digit === 6 || form.digit === 7) && random.chance(0.7) && !pinned.has(EDX)) {
      // Divisions that do not overflow: a small high half (or the sign extension for idiv).
      gpr[EDX] = form.digit === 7 && gpr[EAX] < 0 ? -1 : random.below(4);
      if (form.operandSize === 8) gpr[EAX] = (gpr[EAX] & ~0xff00) | (random.below(4) << 8);
    }
    if (key === 0x8e) { // mov Sreg, r/m16
      const selector = this.selector();
      if (memoryLinear >= 0) patch(memoryLinear, selector | (random.u32() & 0xffff0000));
      else if (rmRegister >= 0 && rmRegister !== ESP) gpr[rmRegister] = (gpr[rmRegister] & ~0xffff) | selector;
    }
    if (POP_SEGMENT.has(key)) patch(esp, this.selector());
    if (FAR_POINTER_LOADS.has(key) && memoryLinear >= 0) patch(memoryLinear + (form.operandSize === 16 ? 2 : 4), this.selector());
    if (key === 0x62 && memoryLinear >= 0 && random.chance(0.6)) { // bound: mostly within the bounds
      const index = gpr[modrmRegister];
      if (form.operandSize === 16) {
        const value = (index << 16) >> 16;
        patch(memoryLinear, ((value - random.below(4)) & 0xffff) | ((value + random.below(4)) << 16));
      } else {
        patch(memoryLinear, index - random.below(4));
        patch(memoryLinear + 4, index + random.below(4));
      }
    }
    if (key === 0x9d) patch(esp, random.u32() & ~TF); // popf: single-stepping is tested elsewhere

    // Immediate.
    const immediate: number[] = [];
    const length = prefixes.length + body.length + form.immediate;
    const instructionEnd = CODE_ENTRY + length;
    if (RELATIVE_BRANCHES.has(key)) {
      const target = random.chance(0.9) ? codeTarget(random, CODE_ENTRY, instructionEnd)
        : (random.chance(0.5) ? 0x20100000 + random.below(0x0fe00000) : 0x10000000 + random.below(0x0ff00000));
      let displacement = target - instructionEnd;
      if (form.immediate === 1) {
        displacement = random.range(-128, 127);
        while (displacement < 0 && displacement >= -length) displacement = random.range(-128, 127);
      }
      for (let i = 0; i < form.immediate; i++) immediate.push((displacement >>> (i * 8)) & 0xff);
    } else if (form.immediate === 6 && (key === 0xea || key === 0x9a)) {
      const offset = codeTarget(random, CODE_ENTRY, instructionEnd);
      const selector = random.chance(0.8) ? HOST_USER_CS : this.selector();
      immediate.push(...[0, 1, 2, 3].map((i) => (offset >>> (i * 8)) & 0xff), selector & 0xff, selector >>> 8);
    } else if (MOFFS.has(key)) {
      let address = chooseTarget(random, width);
      if (random.chance(0.3)) {
        prefixes.push(0x64);
        fs = this.context.tlsSelector;
        address = (address - (DATA_BASE - 0x8000)) >>> 0;
      }
      memoryLinear = address;
      for (let i = 0; i < form.immediate; i++) immediate.push((address >>> (i * 8)) & 0xff);
    } else if (key === 0xc8) { // enter imm16, imm8
      const size = random.pick([0, 4, 8, 16, random.below(512)]);
      immediate.push(size & 0xff, size >>> 8, random.pick([0, 0, 1, 2, 3, random.below(256)]));
    } else if (key === 0xc2 || key === 0xca) {
      const adjust = random.chance(0.8) ? random.below(64) : random.below(0x10000);
      immediate.push(adjust & 0xff, adjust >>> 8);
    } else if (key === 0xcd) { // int imm8: never 0x80, which would make a real system call on the host
      let vector = random.pick([3, 4, 1, 0x81, 0x21, random.below(256)]);
      if (vector === 0x80) vector = 0x81;
      immediate.push(vector);
    } else if (SHIFT_BY_IMMEDIATE.has(key)) {
      immediate.push(random.pick(SHIFT_COUNTS));
    } else {
      const value = operandValue(random);
      for (let i = 0; i < form.immediate; i++) immediate.push((value >>> ((i % 4) * 8)) & 0xff);
    }

    // Branch targets held in registers, memory or the stack land on int3 filler in the code page.
    if (form.branch && !RELATIVE_BRANCHES.has(key)) {
      const code = (): number => codeTarget(random, CODE_ENTRY, CODE_ENTRY + prefixes.length + body.length + immediate.length);
      if (rmRegister >= 0) gpr[rmRegister] = code();
      if (memoryLinear >= 0) {
        patch(memoryLinear, code());
        if (key === 0xff && (form.digit === 3 || form.digit === 5)) patch(memoryLinear + 4, random.chance(0.8) ? HOST_USER_CS : this.selector());
      }
      if (key === 0xc3 || key === 0xc2 || key === 0xcb || key === 0xca || key === 0xcf) {
        patch(esp, code());
        if (key === 0xcb || key === 0xca || key === 0xcf) patch(esp + 4, random.chance(0.8) ? HOST_USER_CS : this.selector());
        if (key === 0xcf) patch(esp + 8, (random.u32() & ~TF & 0xffff) | 0x202);
      }
    }

    const code = new Uint8Array([...prefixes, ...body, ...immediate]);
    const fpu = form.fpu ? randomX87Image(random) : fninitImage();
    // Intel SDM 2A f2xm1: "If the source value is outside this range, the result is undefined."
    if (form.mnemonic === 'f2xm1' && random.chance(0.9)) limitStackTop(fpu, random, 0x3ffe);
    return { formIndex, gpr: gpr.map((v) => v | 0), eflags, fs, gs, seed: random.u32(), code, fpu, patches };
  }
}
