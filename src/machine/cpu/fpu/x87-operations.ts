/**
 * The x87 register forms and the state the other parts share: the operand
 * registers A and B, stack pushes and pops, exception reporting, and the
 * arithmetic with the NaN, infinity and stack-fault rules. The memory forms are
 * in x87-memory-forms.ts, compares in x87-compares.ts, stores in x87-stores.ts;
 * X87 (x87.ts) handles waiting, pointers and the control forms. Intel SDM 1
 * ch. 8 (§8.5 exception rules, table 4-7 NaN results) and vol 2 per instruction.
 */
import type { FpuHost } from './fpu-host.js';
import { type ExtendedArithmetic, FpuException } from './extended-arithmetic.js';
import type { IntegerRounding } from './integer-rounding.js';
import { Kind, classify, type X87Registers } from './x87-registers.js';
import type { MemoryFormats } from './memory-formats.js';

const C1 = 0x200;
const { IE, DE, ZE, SF } = FpuException;
/** The real indefinite: a negative quiet NaN (Intel SDM 1 §4.8.3.7). */
const INDEFINITE_SIGN_EXPONENT = 0xffff, INDEFINITE_HIGH = 0xc0000000;
const PRECISION_BITS = [24, 64, 53, 64];

/** The rounding constants of fld1..fldz: exponent, significand and the next 32 bits of the true value. */
const CONSTANTS = [
  [0x3fff, 0x80000000, 0x00000000, 0x00000000], // 1
  [0x4000, 0xd49a784b, 0xcd1b8afe, 0x492bf6ff], // log2(10)
  [0x3fff, 0xb8aa3b29, 0x5c17f0bb, 0xbe87fed0], // log2(e)
  [0x4000, 0xc90fdaa2, 0x2168c234, 0xc4c6628b], // pi
  [0x3ffd, 0x9a209a84, 0xfbcff798, 0x8f8959ac], // log10(2)
  [0x3ffe, 0xb17217f7, 0xd1cf79ab, 0xc9e3b398], // ln(2)
];

/** What the register and memory forms need from x87-compares.ts. */
export interface CompareUnit {
  compareRegister(other: number, ordered: boolean, pops: number, toFlags?: boolean): void;
  compareToFlags(other: number, ordered: boolean, popAfter: boolean): void;
  compareUnderflow(toFlags: boolean, pops: number): void;
  compareOperands(ordered: boolean, toFlags?: boolean): number;
  finishCompare(result: number, toFlags: boolean, pops: number): void;
  test(): void;
  examine(): void;
}

/** What the memory forms need from x87-stores.ts. */
export interface StoreUnit {
  storeExtended(address: number): void;
  storeFloat(address: number, bits: number, popAfter: boolean): void;
  storeInteger(address: number, bits: number, popAfter: boolean, truncate: boolean): void;
  storeBcd(address: number): void;
}

export class X87Operations {
  /** The stores (x87-stores.ts), attached by X87 to keep the imports acyclic. */
  stores!: StoreUnit;
  /** The compares (x87-compares.ts), attached by X87 likewise. */
  compares!: CompareUnit;
  /** The D9 F0..FF group (x87-function-group.ts), attached by X87 to keep the imports acyclic. */
  functions: { execute(modrm: number): void } = { execute: () => undefined };
  // Operands of the current operation.
  aSignExponent = 0; aHigh = 0; aLow = 0;
  bSignExponent = 0; bHigh = 0; bLow = 0;
  memoryDenormal = false;
  // Unpacked (normalized) operand scratch.
  unpackedExponent = 0; unpackedHigh = 0; unpackedLow = 0;

  constructor(private readonly r: X87Registers, private readonly host: FpuHost,
    private readonly math: ExtendedArithmetic, readonly integerRounding: IntegerRounding) {}

  precision(): number { return PRECISION_BITS[(this.r.controlWord >> 8) & 3]; }
  rounding(): number { return (this.r.controlWord >> 10) & 3; }

  setConditions(value: number, mask: number): void {
    this.r.statusFlags = (this.r.statusFlags & ~mask) | value;
  }

  /** ORs exceptions into the status word; false when an unmasked IE, DE or ZE suppresses the result. */
  report(exceptions: number): boolean {
    this.r.statusFlags |= exceptions;
    return (exceptions & ~this.r.controlWord & (IE | DE | ZE)) === 0;
  }

  /** An operand exception (DE) found before computing: an unmasked one ends the instruction with C1 clear. */
  reportOperandException(exceptions: number): boolean {
    if (this.report(exceptions)) return true;
    this.setConditions(0, C1);
    return false;
  }

  /** Stack underflow (Intel SDM 1 §8.5.1.1): IE+SF, C1=0; true when masked (store the indefinite). */
  underflow(): boolean {
    this.setConditions(0, C1);
    return this.report(IE | SF);
  }

  setIndefinite(): void {
    this.math.sign = 1; this.math.exponent = 0x7fff; this.math.high = INDEFINITE_HIGH; this.math.low = 0;
  }

  writeStack(index: number, signExponent: number, high: number, low: number): void {
    const physical = (this.r.top + index) & 7;
    // high/low may arrive as i32 (see ExtendedArithmetic.round); the typed arrays store u32.
    this.r.signExponent[physical] = signExponent;
    this.r.high[physical] = high;
    this.r.low[physical] = low;
    this.r.emptyMask &= ~(1 << physical);
  }

  writeResult(index: number): void {
    const math = this.math;
    this.writeStack(index, (math.sign << 15) | math.exponent, math.high | 0, math.low | 0);
  }

  pop(): void {
    this.r.emptyMask |= 1 << this.r.top;
    this.r.top = (this.r.top + 1) & 7;
  }

  /** Makes room for a push; on overflow stores the indefinite when masked. False: do not push. */
  pushCheck(): boolean {
    const r = this.r;
    const slot = (r.top - 1) & 7;
    if ((r.emptyMask >> slot & 1) === 0) {
      this.setConditions(C1, C1);
      if (this.report(IE | SF)) {
        r.top = slot;
        this.writeStack(0, INDEFINITE_SIGN_EXPONENT, INDEFINITE_HIGH, 0);
      }
      return false;
    }
    return true;
  }

  push(signExponent: number, high: number, low: number): void {
    this.r.top = (this.r.top - 1) & 7;
    this.writeStack(0, signExponent, high, low);
  }

  loadA(index: number): boolean {
    const physical = (this.r.top + index) & 7;
    if ((this.r.emptyMask >> physical & 1) !== 0) return false;
    this.aSignExponent = this.r.signExponent[physical]; this.aHigh = this.r.high[physical]; this.aLow = this.r.low[physical];
    return true;
  }

  loadB(index: number): boolean {
    const physical = (this.r.top + index) & 7;
    if ((this.r.emptyMask >> physical & 1) !== 0) return false;
    this.bSignExponent = this.r.signExponent[physical]; this.bHigh = this.r.high[physical]; this.bLow = this.r.low[physical];
    return true;
  }

  /** Loads B from a converted memory operand (x87-memory-forms.ts). */
  loadBFromFormats(formats: MemoryFormats): void {
    this.bSignExponent = formats.signExponent; this.bHigh = formats.high; this.bLow = formats.low;
    this.memoryDenormal = formats.denormal;
  }

  /** Normalizes a finite value into unpacked*; denormals get exponents below 1. */
  unpack(signExponent: number, high: number, low: number): void {
    let exponent = signExponent & 0x7fff;
    if (exponent === 0) exponent = 1;
    if ((high & 0x80000000) === 0) {
      if (high === 0 && low === 0) {
        this.unpackedExponent = 0; this.unpackedHigh = 0; this.unpackedLow = 0;
        return;
      }
      if (high === 0) { high = low; low = 0; exponent -= 32; }
      const leading = Math.clz32(high);
      if (leading > 0) {
        high = ((high << leading) | (low >>> (32 - leading))) >>> 0;
        low = (low << leading) >>> 0;
        exponent -= leading;
      }
    }
    this.unpackedExponent = exponent; this.unpackedHigh = high >>> 0; this.unpackedLow = low >>> 0;
  }

  /**
   * NaN result of a two-operand operation (Intel SDM 1 table 4-7): an SNaN raises IE;
   * of two NaNs of the same kind the larger significand wins, else the QNaN.
   */
  propagateNaN(kindA: number, kindB: number): number {
    const aNaN = kindA === Kind.QuietNaN || kindA === Kind.SignalingNaN;
    const bNaN = kindB === Kind.QuietNaN || kindB === Kind.SignalingNaN;
    let useA = aNaN;
    if (aNaN && bNaN) {
      if (kindA === kindB) {
        const aHigh = this.aHigh & 0x7fffffff, bHigh = this.bHigh & 0x7fffffff;
        useA = aHigh > bHigh || (aHigh === bHigh && (this.aLow > this.bLow
          || (this.aLow === this.bLow && (this.aSignExponent & 0x8000) === 0)));
      } else {
        useA = kindA === Kind.QuietNaN;
      }
    }
    const math = this.math;
    if (useA) {
      math.sign = this.aSignExponent >> 15; math.exponent = 0x7fff; math.high = (this.aHigh | 0x40000000) >>> 0; math.low = this.aLow;
    } else {
      math.sign = this.bSignExponent >> 15; math.exponent = 0x7fff; math.high = (this.bHigh | 0x40000000) >>> 0; math.low = this.bLow;
    }
    return kindA === Kind.SignalingNaN || kindB === Kind.SignalingNaN ? IE : 0;
  }

  /** Quiets a single NaN operand into the result; IE when it was signaling. */
  quietNaN(signExponent: number, high: number, low: number, kind: number): number {
    const math = this.math;
    math.sign = signExponent >> 15; math.exponent = 0x7fff; math.high = (high | 0x40000000) >>> 0; math.low = low;
    return kind === Kind.SignalingNaN ? IE : 0;
  }

  /**
   * A op B for op 0 add, 1 mul, 4 sub (A-B), 5 subr (B-A), 6 div (A/B), 7 divr (B/A).
   * Leaves the result in math and reports the exceptions; false: no result (unmasked).
   */
  private binary(operation: number): boolean {
    if (operation === 5 || operation === 7) {
      let t = this.aSignExponent; this.aSignExponent = this.bSignExponent; this.bSignExponent = t;
      t = this.aHigh; this.aHigh = this.bHigh; this.bHigh = t;
      t = this.aLow; this.aLow = this.bLow; this.bLow = t;
      operation -= 1;
    }
    const math = this.math;
    math.exceptions = 0;
    math.roundedUp = false;
    const kindA = classify(this.aSignExponent, this.aHigh, this.aLow);
    const kindB = classify(this.bSignExponent, this.bHigh, this.bLow);
    let exceptions = 0;
    const signA = this.aSignExponent >> 15;
    let signB = this.bSignExponent >> 15;
    if (operation === 4) signB ^= 1;
    if (kindA === Kind.Unsupported || kindB === Kind.Unsupported) {
      exceptions = IE;
      this.setIndefinite();
    } else if (kindA === Kind.QuietNaN || kindA === Kind.SignalingNaN || kindB === Kind.QuietNaN || kindB === Kind.SignalingNaN) {
      exceptions = this.propagateNaN(kindA, kindB);
    } else {
      const divideByZero = operation === 6 && kindB === Kind.Zero;
      if ((kindA === Kind.Denormal || kindA === Kind.PseudoDenormal || kindB === Kind.Denormal
        || kindB === Kind.PseudoDenormal || this.memoryDenormal) && !divideByZero) {
        exceptions = DE;
        if ((this.r.controlWord & DE) === 0) return this.finishBinary(exceptions);
      }
      const aInfinite = kindA === Kind.Infinity, bInfinite = kindB === Kind.Infinity;
      const aZero = kindA === Kind.Zero, bZero = kindB === Kind.Zero;
      const productSign = signA ^ (this.bSignExponent >> 15);
      if (operation === 0 || operation === 4) {
        if (aInfinite || bInfinite) {
          if (aInfinite && bInfinite && signA !== signB) {
            exceptions |= IE; this.setIndefinite();
          } else {
            this.setInfinity(aInfinite ? signA : signB);
          }
          return this.finishBinary(exceptions);
        }
        this.unpack(this.aSignExponent, this.aHigh, this.aLow);
        const exponentA = this.unpackedExponent, highA = this.unpackedHigh, lowA = this.unpackedLow;
        this.unpack(this.bSignExponent, this.bHigh, this.bLow);
        math.add(signA, exponentA, highA | 0, lowA | 0, signB, this.unpackedExponent, this.unpackedHigh | 0, this.unpackedLow | 0,
          this.precision(), this.rounding(), (this.r.controlWord & 0x10) !== 0, (this.r.controlWord & 8) !== 0);
      } else if (operation === 1) {
        if (aInfinite || bInfinite) {
          if (aZero || bZero) { exceptions |= IE; this.setIndefinite(); } else this.setInfinity(productSign);
          return this.finishBinary(exceptions);
        }
        if (aZero || bZero) { this.setZero(productSign); return this.finishBinary(exceptions); }
        this.unpack(this.aSignExponent, this.aHigh, this.aLow);
        const exponentA = this.unpackedExponent, highA = this.unpackedHigh, lowA = this.unpackedLow;
        this.unpack(this.bSignExponent, this.bHigh, this.bLow);
        math.multiply(productSign, exponentA, highA | 0, lowA | 0, this.unpackedExponent, this.unpackedHigh | 0, this.unpackedLow | 0,
          this.precision(), this.rounding(), (this.r.controlWord & 0x10) !== 0, (this.r.controlWord & 8) !== 0);
      } else {
        if (aInfinite) {
          if (bInfinite) { exceptions |= IE; this.setIndefinite(); } else this.setInfinity(productSign);
          return this.finishBinary(exceptions);
        }
        if (bInfinite) { this.setZero(productSign); return this.finishBinary(exceptions); }
        if (bZero) {
          if (aZero) { exceptions |= IE; this.setIndefinite(); } else { exceptions |= ZE; this.setInfinity(productSign); }
          return this.finishBinary(exceptions);
        }
        if (aZero) { this.setZero(productSign); return this.finishBinary(exceptions); }
        this.unpack(this.aSignExponent, this.aHigh, this.aLow);
        const exponentA = this.unpackedExponent, highA = this.unpackedHigh, lowA = this.unpackedLow;
        this.unpack(this.bSignExponent, this.bHigh, this.bLow);
        math.divide(productSign, exponentA, highA | 0, lowA | 0, this.unpackedExponent, this.unpackedHigh | 0, this.unpackedLow | 0,
          this.precision(), this.rounding(), (this.r.controlWord & 0x10) !== 0, (this.r.controlWord & 8) !== 0);
      }
      exceptions |= math.exceptions;
    }
    return this.finishBinary(exceptions);
  }

  /** C1 from the rounding direction, then the exceptions. */
  finishBinary(exceptions: number): boolean {
    this.setConditions((exceptions & FpuException.PE) !== 0 && this.math.roundedUp ? C1 : 0, C1);
    return this.report(exceptions);
  }

  setInfinity(sign: number): void {
    this.math.sign = sign; this.math.exponent = 0x7fff; this.math.high = 0x80000000; this.math.low = 0;
  }

  setZero(sign: number): void {
    this.math.sign = sign; this.math.exponent = 0; this.math.high = 0; this.math.low = 0;
  }

  /** D8/DC/DE register forms and the memory forms: ST(dest) = A op B, optionally pop. */
  private arithmeticRegister(operation: number, destination: number, other: number, popAfter: boolean): void {
    this.memoryDenormal = false;
    const aPresent = this.loadA(destination), bPresent = this.loadB(other);
    if (!aPresent || !bPresent) {
      if (this.underflow()) {
        this.setIndefinite();
        this.writeResult(destination);
        if (popAfter) this.pop();
      }
      return;
    }
    if (this.binary(operation)) {
      this.writeResult(destination);
      if (popAfter) this.pop();
    }
  }

  /** ST(0) op a memory operand (already converted into `formats`). */
  arithmeticMemory(operation: number, formats: MemoryFormats): void {
    this.loadBFromFormats(formats);
    if (!this.loadA(0)) {
      if (this.underflow()) { this.setIndefinite(); this.writeResult(0); }
      return;
    }
    if (this.binary(operation)) this.writeResult(0);
  }

  executeRegister(opcode: number, modrm: number): boolean {
    const index = modrm & 7;
    const digit = (modrm >> 3) & 7;
    switch (opcode) {
      case 0xd8:
        if (digit === 2 || digit === 3) this.compares.compareRegister(index, true, digit === 3 ? 1 : 0);
        else this.arithmeticRegister(digit, 0, index, false);
        return true;
      case 0xd9:
        return this.executeD9Register(modrm);
      case 0xda:
        if (modrm === 0xe9) { this.compares.compareRegister(1, false, 2); return true; }
        if (modrm < 0xe0) { this.conditionalMove(digit, false, index); return true; }
        return false;
      case 0xdb:
        if (modrm < 0xe0) { this.conditionalMove(digit, true, index); return true; }
        if (modrm >= 0xe8 && modrm < 0xf8) { this.compares.compareToFlags(index, modrm >= 0xf0, false); return true; }
        return false;
      case 0xdc:
        if (digit === 2 || digit === 3) this.compares.compareRegister(index, true, digit === 3 ? 1 : 0);
        else this.arithmeticRegister(REVERSED[digit], index, 0, false);
        return true;
      case 0xdd:
        switch (digit) {
          case 0: this.r.emptyMask |= 1 << ((this.r.top + index) & 7); this.setConditions(0, C1); return true; // ffree
          case 1: this.exchange(index); return true; // fxch4 alias
          case 2: this.storeRegister(index, false); return true;
          case 3: this.storeRegister(index, true); return true;
          case 4: this.compares.compareRegister(index, false, 0); return true;
          case 5: this.compares.compareRegister(index, false, 1); return true;
          default: return false;
        }
      case 0xde:
        if (digit === 2) { this.compares.compareRegister(index, true, 1); return true; } // fcomp5 alias
        if (digit === 3) {
          if (modrm !== 0xd9) return false;
          this.compares.compareRegister(1, true, 2);
          return true;
        }
        this.arithmeticRegister(REVERSED[digit], index, 0, true);
        return true;
      default: // 0xdf
        switch (digit) {
          case 0: this.r.emptyMask |= 1 << ((this.r.top + index) & 7); this.setConditions(0, C1); this.pop(); return true; // ffreep
          case 1: this.exchange(index); return true;
          case 2: case 3: this.storeRegister(index, true); return true; // fstp8/fstp9 aliases
          case 5: this.compares.compareToFlags(index, false, true); return true;
          case 6: this.compares.compareToFlags(index, true, true); return true;
          default: return false;
        }
    }
  }

  private executeD9Register(modrm: number): boolean {
    const index = modrm & 7;
    switch (modrm >> 3) {
      case 0x18: this.loadRegister(index); return true; // fld st(i)
      case 0x19: this.exchange(index); return true;
      case 0x1a: return modrm === 0xd0; // fnop
      case 0x1b: this.storeRegisterUnchecked(index); return true; // fstp1
      default: break;
    }
    switch (modrm) {
      case 0xe0: case 0xe1: this.signOperation(modrm === 0xe0); return true;
      case 0xe4: this.compares.test(); return true;
      case 0xe5: this.compares.examine(); return true;
      case 0xe8: case 0xe9: case 0xea: case 0xeb: case 0xec: case 0xed: this.loadConstant(modrm - 0xe8); return true;
      case 0xee:
        if (this.pushCheck()) { this.setConditions(0, C1); this.push(0, 0, 0); }
        return true;
      case 0xf6: this.r.top = (this.r.top - 1) & 7; this.setConditions(0, C1); return true;
      case 0xf7: this.r.top = (this.r.top + 1) & 7; this.setConditions(0, C1); return true;
      case 0xf0: case 0xf1: case 0xf2: case 0xf3: case 0xf4: case 0xf5: case 0xf8: case 0xf9:
      case 0xfa: case 0xfb: case 0xfc: case 0xfd: case 0xfe: case 0xff:
        this.functions.execute(modrm);
        return true;
      default: return false;
    }
  }

  private loadRegister(index: number): void {
    if (!this.loadA(index)) {
      if (this.pushCheck() && this.underflow()) this.push(INDEFINITE_SIGN_EXPONENT, INDEFINITE_HIGH, 0);
      return;
    }
    if (this.pushCheck()) {
      this.setConditions(0, C1);
      this.push(this.aSignExponent, this.aHigh | 0, this.aLow | 0);
    }
  }

  private exchange(index: number): void {
    const aPresent = this.loadA(0), bPresent = this.loadB(index);
    if (!aPresent || !bPresent) {
      if (!this.underflow()) return;
      if (!aPresent) { this.aSignExponent = INDEFINITE_SIGN_EXPONENT; this.aHigh = INDEFINITE_HIGH; this.aLow = 0; }
      if (!bPresent) { this.bSignExponent = INDEFINITE_SIGN_EXPONENT; this.bHigh = INDEFINITE_HIGH; this.bLow = 0; }
    }
    this.setConditions(0, C1);
    this.writeStack(0, this.bSignExponent, this.bHigh | 0, this.bLow | 0);
    this.writeStack(index, this.aSignExponent, this.aHigh | 0, this.aLow | 0);
  }

  /** fst/fstp st(i): a raw copy. */
  private storeRegister(index: number, popAfter: boolean): void {
    if (!this.loadA(0)) {
      if (this.underflow()) {
        this.writeStack(index, INDEFINITE_SIGN_EXPONENT, INDEFINITE_HIGH, 0);
        if (popAfter) this.pop();
      }
      return;
    }
    this.setConditions(0, C1);
    this.writeStack(index, this.aSignExponent, this.aHigh | 0, this.aLow | 0);
    if (popAfter) this.pop();
  }

  /**
   * D9 D8+i (fstp1): on the host (AMD Zen 4, measured) an empty ST(0) is no
   * stack underflow: nothing is stored, ST(i) keeps its value and tag, C1 is
   * cleared and the stack pops, whatever the control word. AMD documents the
   * encoding as FSTPNCE ("no check for empty"); the Intel SDM as reserved.
   */
  private storeRegisterUnchecked(index: number): void {
    if ((this.r.emptyMask >> this.r.physical(0) & 1) === 0) {
      this.storeRegister(index, true);
      return;
    }
    this.setConditions(0, C1);
    this.pop();
  }

  private signOperation(negate: boolean): void {
    if (!this.loadA(0)) {
      if (this.underflow()) this.writeStack(0, INDEFINITE_SIGN_EXPONENT, INDEFINITE_HIGH, 0);
      return;
    }
    this.setConditions(0, C1);
    this.writeStack(0, negate ? this.aSignExponent ^ 0x8000 : this.aSignExponent & 0x7fff, this.aHigh | 0, this.aLow | 0);
  }

  private loadConstant(which: number): void {
    if (!this.pushCheck()) return;
    const constant = CONSTANTS[which];
    this.math.exceptions = 0;
    this.math.round(0, constant[0], constant[1], constant[2], constant[3], 64, this.rounding(), 1, 32766, true, true);
    this.setConditions(0, C1);
    this.push(this.math.exponent, this.math.high | 0, this.math.low | 0);
  }

  /** fcmovcc (Intel SDM 2A FCMOVcc): digit selects B/E/BE/U, `negate` the DB forms. */
  private conditionalMove(digit: number, negate: boolean, index: number): void {
    const flags = this.host.getEflags();
    let condition: boolean;
    switch (digit) {
      case 0: condition = (flags & 1) !== 0; break;
      case 1: condition = (flags & 0x40) !== 0; break;
      case 2: condition = (flags & 0x41) !== 0; break;
      default: condition = (flags & 4) !== 0; break;
    }
    if (negate) condition = !condition;
    const aPresent = this.loadA(0), bPresent = this.loadB(index);
    if (!aPresent || !bPresent) {
      // Masked underflow writes the indefinite whether or not the condition holds (measured).
      if (this.underflow()) this.writeStack(0, INDEFINITE_SIGN_EXPONENT, INDEFINITE_HIGH, 0);
      return;
    }
    // C1 is left alone unless the stack underflows (measured).
    if (condition) this.writeStack(0, this.bSignExponent, this.bHigh | 0, this.bLow | 0);
  }

}

/** DC/DE register forms name the reversed operation relative to D8 (Intel SDM 2A FSUB/FDIV). */
const REVERSED = [0, 1, 2, 3, 5, 4, 7, 6];
