/**
 * The architectural state of the i686 integer core and the helpers every
 * instruction handler uses: registers, lazy flags, effective addresses,
 * operand access, the stack, segment loads and exceptions. Hot paths are
 * written for speed (STYLE.md 12): flags are computed lazily from the last
 * arithmetic operation and materialised only when read.
 */
import { Flag, Vector, Exit } from '../../hal/vcpu.js';
import { CPU_FAULT } from './fault.js';
import type { CpuMemory } from './cpu-memory.js';
import type { MemoryOperand } from './memory-operand.js';
import type { FpuHost } from './fpu/fpu-host.js';
import { X87 } from './fpu/x87.js';

/** Kinds of the last flag-setting operation (lazy flags). */
export const LazyOp = { Add: 0, Sub: 1, Logic: 2 } as const;

/** The six arithmetic flags. */
export const ARITHMETIC_FLAGS = Flag.CF | Flag.PF | Flag.AF | Flag.ZF | Flag.SF | Flag.OF;
/** EFLAGS bits a ring-3 popf may change (Intel SDM 2B popf: IOPL, IF unchanged at CPL 3; VM, RF cleared). */
export const USER_WRITABLE_FLAGS = ARITHMETIC_FLAGS | Flag.TF | Flag.DF | Flag.NT | Flag.AC | Flag.ID;

/** Internal stop code: leave the fast loop and re-enter (code cache invalidated, TF changed). */
export const STOP_RESCAN = 100;

/** PF of each low byte of a result (Intel SDM 1 §3.4.3.1). */
export const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let bits = 0;
  for (let b = i; b !== 0; b >>= 1) bits += b & 1;
  PARITY[i] = (bits & 1) === 0 ? Flag.PF : 0;
}

/** Linux's GDT (arch/x86/include/asm/segment.h): 32 entries; user code 14 (0x73), user data 15 (0x7b). */
export const GDT_ENTRIES = 32;
export const USER_CS = 0x73;
export const USER_DS = 0x7b;

export class CpuCore implements FpuHost {
  readonly gpr = new Int32Array(8);
  /** 16-bit views: r16[i * 2] is the low word of gpr[i]. */
  readonly r16 = new Uint16Array(this.gpr.buffer);
  /** 8-bit view: byte offsets come from Instruction.reg8/rm8 (AL=0, CL=4, ..., AH=1, ...). */
  readonly r8 = new Uint8Array(this.gpr.buffer);
  /** Held as i32 (addresses above 2 GiB stay unboxed); Cpu.eip presents it as u32. */
  eip = 0;

  /** EFLAGS with the arithmetic bits valid only where lazyMask is clear. Bit 1 is always set. */
  flags = 0x202;
  lazyMask = 0;
  lazyOp = 0;
  lazyA = 0;
  lazyB = 0;
  lazyResult = 0;
  lazyCarry = 0;
  /** Operand width of the last lazy operation: 8, 16 or 32. */
  lazyBits = 32;

  readonly selectors = new Uint16Array(6);
  readonly segmentBase = new Int32Array(6);
  readonly gdtLow = new Int32Array(GDT_ENTRIES);
  readonly gdtHigh = new Int32Array(GDT_ENTRIES);
  /** Bit per segment register holding a null selector: any access through it is #GP(0) (Intel SDM 3A §3.4.2). */
  nullSegments = 0;

  /** A load of SS just happened: debug traps wait until after the next instruction (Intel SDM 3A §6.8.3). */
  ssLoadShadow = false;
  /** Set by handlers to leave run(): an Exit value or STOP_RESCAN. 0 = keep going. */
  stop = 0;
  exitVector = 0;
  exitErrorCode = 0;
  cr2 = 0;
  /** Vector recorded by raise() for the fault being thrown; -1 when the MMU raised it. */
  pendingVector = -1;
  pendingErrorCode = 0;
  instructionsRetired = 0;
  /** Set by a compiled block when one of its instructions faults: its index in the block. */
  blockFaultIndex = 0;
  /** Instructions a looping compiled block retired in earlier passes before the fault. */
  blockFaultPasses = 0;

  readonly memory: CpuMemory;
  readonly x87: X87;

  constructor(memory: CpuMemory) {
    this.memory = memory;
    this.x87 = new X87(this);
    this.gdtLow[14] = 0x0000ffff; this.gdtHigh[14] = 0x00cffa00;
    this.gdtLow[15] = 0x0000ffff; this.gdtHigh[15] = 0x00cff200;
    this.gdtLow[12] = 0x0000ffff; this.gdtHigh[12] = 0x00cf9a00;
    this.gdtLow[13] = 0x0000ffff; this.gdtHigh[13] = 0x00cf9200;
    this.selectors.set([USER_DS, USER_CS, USER_DS, USER_DS, 0, 0]);
    this.nullSegments = (1 << 4) | (1 << 5);
  }

  // ---- exceptions -------------------------------------------------------

  /** Raises a fault: the instruction is abandoned and eip restored to its start. */
  raise(vector: number, errorCode: number): never {
    this.pendingVector = vector;
    this.pendingErrorCode = errorCode;
    throw CPU_FAULT;
  }

  /** Reports a trap: the instruction completes and run() exits with eip after it. */
  trap(vector: number): void {
    this.exitVector = vector;
    this.exitErrorCode = 0;
    this.stop = Exit.Exception;
  }

  // ---- lazy flags ---------------------------------------------------------

  setLazy(op: number, a: number, b: number, result: number, bits: number): void {
    this.lazyOp = op;
    this.lazyA = a;
    this.lazyB = b;
    this.lazyResult = result;
    this.lazyCarry = 0;
    this.lazyBits = bits;
    this.lazyMask = ARITHMETIC_FLAGS;
  }

  /** Keeps CF as it is (inc/dec): materialise it, then make the others lazy. */
  setLazyKeepCarry(op: number, a: number, b: number, result: number, bits: number): void {
    const carry = this.getCF();
    this.lazyOp = op;
    this.lazyA = a;
    this.lazyB = b;
    this.lazyResult = result;
    this.lazyCarry = 0;
    this.lazyBits = bits;
    this.flags = (this.flags & ~Flag.CF) | carry;
    this.lazyMask = ARITHMETIC_FLAGS & ~Flag.CF;
  }

  /** Replaces the bits of `mask` with those of `value` (non-lazy). */
  setFlagBits(value: number, mask: number): void {
    this.flags = (this.flags & ~mask) | (value & mask);
    this.lazyMask &= ~mask;
  }

  /** Result flags ZF, SF, PF of a value of `bits` width (used by eager operations). */
  static resultFlags(result: number, bits: number): number {
    const masked = bits === 32 ? result : result & ((1 << bits) - 1);
    return (masked === 0 ? Flag.ZF : 0) | ((result >>> (bits - 1)) & 1 ? Flag.SF : 0) | PARITY[result & 0xff];
  }

  private widthMask(): number {
    return this.lazyBits === 32 ? -1 : (1 << this.lazyBits) - 1;
  }

  getCF(): number {
    if ((this.lazyMask & Flag.CF) === 0) return this.flags & Flag.CF;
    const mask = this.widthMask();
    const op = this.lazyOp;
    if (op === LazyOp.Logic) return 0;
    const a = (this.lazyA & mask) >>> 0;
    if (op === LazyOp.Add) {
      const r = (this.lazyResult & mask) >>> 0;
      return (this.lazyCarry !== 0 ? r <= a : r < a) ? 1 : 0;
    }
    const b = (this.lazyB & mask) >>> 0;
    return (this.lazyCarry !== 0 ? a <= b : a < b) ? 1 : 0;
  }

  getZF(): boolean {
    if ((this.lazyMask & Flag.ZF) === 0) return (this.flags & Flag.ZF) !== 0;
    return (this.lazyResult & this.widthMask()) === 0;
  }

  getSF(): boolean {
    if ((this.lazyMask & Flag.SF) === 0) return (this.flags & Flag.SF) !== 0;
    return ((this.lazyResult >>> (this.lazyBits - 1)) & 1) !== 0;
  }

  getOF(): boolean {
    if ((this.lazyMask & Flag.OF) === 0) return (this.flags & Flag.OF) !== 0;
    const op = this.lazyOp;
    if (op === LazyOp.Logic) return false;
    const a = this.lazyA, b = this.lazyB, r = this.lazyResult;
    const x = op === LazyOp.Add ? (a ^ r) & (b ^ r) : (a ^ b) & (a ^ r);
    return ((x >>> (this.lazyBits - 1)) & 1) !== 0;
  }

  getPF(): boolean {
    if ((this.lazyMask & Flag.PF) === 0) return (this.flags & Flag.PF) !== 0;
    return PARITY[this.lazyResult & 0xff] !== 0;
  }

  getAF(): boolean {
    if ((this.lazyMask & Flag.AF) === 0) return (this.flags & Flag.AF) !== 0;
    if (this.lazyOp === LazyOp.Logic) return false;
    return ((this.lazyA ^ this.lazyB ^ this.lazyResult) & Flag.AF) !== 0;
  }

  getEflags(): number {
    const lazy = this.lazyMask;
    if (lazy === 0) return this.flags;
    let value = this.flags & ~lazy;
    if (lazy & Flag.CF) value |= this.getCF();
    if (lazy & Flag.PF && this.getPF()) value |= Flag.PF;
    if (lazy & Flag.AF && this.getAF()) value |= Flag.AF;
    if (lazy & Flag.ZF && this.getZF()) value |= Flag.ZF;
    if (lazy & Flag.SF && this.getSF()) value |= Flag.SF;
    if (lazy & Flag.OF && this.getOF()) value |= Flag.OF;
    return value;
  }

  /** Writes the user-writable bits (popf at CPL 3). */
  setEflags(value: number): void {
    const old = this.flags;
    this.flags = ((old & ~USER_WRITABLE_FLAGS) | (value & USER_WRITABLE_FLAGS) | 2) & ~(Flag.RF | Flag.VM);
    this.lazyMask = 0;
    this.memory.alignmentCheck = (this.flags & Flag.AC) !== 0;
    if ((old ^ this.flags) & Flag.TF) this.stop = this.stop || STOP_RESCAN;
  }

  /** True when the lazy state is a plain subtraction/comparison with every flag lazy (the cmp fast path). */
  private plainSubtraction(): boolean {
    return this.lazyMask === ARITHMETIC_FLAGS && this.lazyOp === LazyOp.Sub && this.lazyCarry === 0;
  }

  /** CF or ZF (jbe/ja): a <= b unsigned after cmp a, b. */
  belowOrEqual(): boolean {
    if (this.plainSubtraction()) {
      const mask = this.widthMask();
      return (this.lazyA & mask) >>> 0 <= (this.lazyB & mask) >>> 0;
    }
    return this.getCF() !== 0 || this.getZF();
  }

  /** SF != OF (jl/jge): a < b signed after cmp a, b. */
  lessSigned(): boolean {
    if (this.plainSubtraction()) {
      const shift = 32 - this.lazyBits;
      return this.lazyA << shift < this.lazyB << shift;
    }
    return this.getSF() !== this.getOF();
  }

  /** ZF or SF != OF (jle/jg): a <= b signed after cmp a, b. */
  lessOrEqualSigned(): boolean {
    if (this.plainSubtraction()) {
      const shift = 32 - this.lazyBits;
      return this.lazyA << shift <= this.lazyB << shift;
    }
    return this.getZF() || this.getSF() !== this.getOF();
  }

  /** Evaluates condition code `cc` (the low nibble of jcc/setcc/cmovcc; Intel SDM 2 Appendix B.1.4.7). */
  condition(cc: number): boolean {
    let result: boolean;
    switch (cc >> 1) {
      case 0: result = this.getOF(); break;
      case 1: result = this.getCF() !== 0; break;
      case 2: result = this.getZF(); break;
      case 3: result = this.getCF() !== 0 || this.getZF(); break;
      case 4: result = this.getSF(); break;
      case 5: result = this.getPF(); break;
      case 6: result = this.getSF() !== this.getOF(); break;
      default: result = this.getZF() || this.getSF() !== this.getOF(); break;
    }
    return (cc & 1) === 0 ? result : !result;
  }

  // ---- FpuHost -----------------------------------------------------------

  setComparisonFlags(zf: boolean, pf: boolean, cf: boolean): void {
    this.setFlagBits((zf ? Flag.ZF : 0) | (pf ? Flag.PF : 0) | (cf ? Flag.CF : 0), ARITHMETIC_FLAGS);
  }

  setAx(value: number): void {
    this.r16[0] = value;
  }

  // ---- x87 ---------------------------------------------------------------

  /** Runs an x87 instruction; faults the unit raises itself (#MF, #UD) are re-raised with its vector. */
  executeX87(opcode: number, modrm: number, address: number, eip: number): void {
    const x87 = this.x87;
    x87.faultVector = -1;
    try {
      x87.execute(opcode, modrm, address, eip);
    } catch (fault) {
      if (fault === CPU_FAULT && x87.faultVector >= 0) this.raise(x87.faultVector, 0);
      throw fault;
    }
  }

  x87Wait(): void {
    const x87 = this.x87;
    x87.faultVector = -1;
    try {
      x87.fwait();
    } catch (fault) {
      if (fault === CPU_FAULT && x87.faultVector >= 0) this.raise(x87.faultVector, 0);
      throw fault;
    }
  }

  // ---- operands -----------------------------------------------------------

  /**
   * Linear address of the memory operand (segment base included), as i32: the
   * MMU masks it, and small integers stay unboxed on the hot path.
   */
  ea(ins: MemoryOperand): number {
    if (this.nullSegments !== 0 && ((this.nullSegments >> ins.segment) & 1) !== 0) this.raise(Vector.GP, 0);
    let address = ins.displacement;
    if (ins.base >= 0) address += this.gpr[ins.base];
    if (ins.index >= 0) address += this.gpr[ins.index] << ins.scale;
    return ((address & ins.addressMask) + this.segmentBase[ins.segment]) | 0;
  }

  /** Linear address of `offset` in data segment `segment` (string instructions, xlat, moffs). */
  linear(segment: number, offset: number): number {
    if (this.nullSegments !== 0 && ((this.nullSegments >> segment) & 1) !== 0) this.raise(Vector.GP, 0);
    return (offset + this.segmentBase[segment]) | 0;
  }

  readRm8(ins: MemoryOperand): number {
    return ins.registerForm ? this.r8[ins.rm8] : this.memory.read8(this.ea(ins));
  }
  readRm16(ins: MemoryOperand): number {
    return ins.registerForm ? this.r16[ins.rm << 1] : this.memory.read16(this.ea(ins));
  }
  readRm32(ins: MemoryOperand): number {
    return ins.registerForm ? this.gpr[ins.rm] : this.memory.read32(this.ea(ins));
  }
  writeRm8(ins: MemoryOperand, value: number): void {
    if (ins.registerForm) this.r8[ins.rm8] = value;
    else this.memory.write8(this.ea(ins), value);
  }
  writeRm16(ins: MemoryOperand, value: number): void {
    if (ins.registerForm) this.r16[ins.rm << 1] = value;
    else this.memory.write16(this.ea(ins), value);
  }
  writeRm32(ins: MemoryOperand, value: number): void {
    if (ins.registerForm) this.gpr[ins.rm] = value;
    else this.memory.write32(this.ea(ins), value);
  }

  /**
   * Before a read-modify-write: faults as the store would (#PF with W=1 even
   * when the page is absent), after the alignment check (#AC comes first, as on
   * the host processor).
   */
  checkModify(address: number, size: number): void {
    if (this.memory.alignmentCheck && (address & (size - 1)) !== 0) {
      this.raise(Vector.AC, 0);
    }
    this.memory.checkWrite(address, size);
  }

  // ---- stack (SS is flat in Linux user mode: 32-bit ESP) ---------------------
  // #SS arises only from SS segment-limit violations; Linux's user SS is flat
  // (base 0, 4 GiB limit), so stack accesses never raise it here: a stack
  // access to an absent or read-only page is #PF, as on hardware (Intel SDM 3A
  // §6.15, interrupt 12). Segment limits are not modelled.

  push32(value: number): void {
    const esp = (this.gpr[4] - 4) | 0;
    this.memory.write32(this.linear(2, esp), value);
    this.gpr[4] = esp;
  }
  push16(value: number): void {
    const esp = (this.gpr[4] - 2) | 0;
    this.memory.write16(this.linear(2, esp), value);
    this.gpr[4] = esp;
  }
  pop32(): number {
    const esp = this.gpr[4];
    const value = this.memory.read32(this.linear(2, esp));
    this.gpr[4] = esp + 4;
    return value;
  }
  pop16(): number {
    const esp = this.gpr[4];
    const value = this.memory.read16(this.linear(2, esp));
    this.gpr[4] = esp + 2;
    return value;
  }

  // ---- segments -------------------------------------------------------------

  setGdtEntry(index: number, low: number, high: number): void {
    if (index < 0 || index >= GDT_ENTRIES) return;
    this.gdtLow[index] = low;
    this.gdtHigh[index] = high;
  }

  /**
   * Loads segment register `seg` with `selector` as mov/pop Sreg does at CPL 3
   * (Intel SDM 2B mov, "Operation"): null is allowed except for SS; an LDT or
   * out-of-range selector, a system descriptor, a DPL or RPL other than 3, an
   * unreadable code segment, or for SS anything but writable data is #GP(selector);
   * not present is #NP(selector) (#SS for SS). Linux has no LDT by default.
   */
  loadSegment(seg: number, selector: number): void {
    selector &= 0xffff;
    const index = selector >> 3;
    if (index === 0 && (selector & 4) === 0) {
      if (seg === 2 || seg === 1) this.raise(Vector.GP, 0);
      this.selectors[seg] = selector;
      this.segmentBase[seg] = 0;
      this.nullSegments |= 1 << seg;
      return;
    }
    const errorCode = selector & 0xfffc;
    if ((selector & 4) !== 0 || index >= GDT_ENTRIES) this.raise(Vector.GP, errorCode);
    const high = this.gdtHigh[index];
    const dpl = (high >> 13) & 3;
    const isCodeOrData = (high & (1 << 12)) !== 0;
    const isCode = (high & (1 << 11)) !== 0;
    const readableOrWritable = (high & (1 << 9)) !== 0;
    if (!isCodeOrData) this.raise(Vector.GP, errorCode);
    if (seg === 2) {
      if ((selector & 3) !== 3 || dpl !== 3 || isCode || !readableOrWritable) this.raise(Vector.GP, errorCode);
      if ((high & (1 << 15)) === 0) this.raise(Vector.SS, errorCode);
    } else {
      if (isCode && !readableOrWritable) this.raise(Vector.GP, errorCode);
      // Conforming code segments skip the privilege check (Intel SDM 3A §5.6).
      const conforming = isCode && (high & (1 << 10)) !== 0;
      if (!conforming && dpl < 3) this.raise(Vector.GP, errorCode);
      if ((high & (1 << 15)) === 0) this.raise(Vector.NP, errorCode);
    }
    this.selectors[seg] = selector;
    this.segmentBase[seg] = this.descriptorBase(index);
    this.nullSegments &= ~(1 << seg);
    if (seg === 2) this.ssLoadShadow = true;
  }

  descriptorBase(index: number): number {
    const low = this.gdtLow[index], high = this.gdtHigh[index];
    return (low >>> 16) | ((high & 0xff) << 16) | (high & 0xff000000);
  }
}
