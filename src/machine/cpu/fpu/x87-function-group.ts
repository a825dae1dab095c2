/**
 * The D9 F0..FF group: the exact functions (fsqrt, fprem, fprem1, frndint,
 * fscale, fxtract) here, the transcendentals (fsin, fcos, fsincos, fptan,
 * fpatan, f2xm1, fyl2x, fyl2xp1) in x87-transcendental.ts. Special operands
 * follow Intel SDM 2A per instruction and the host FPU where the SDM leaves them open.
 */
import { EXPONENT_BIAS, type ExtendedArithmetic, FpuException } from './extended-arithmetic.js';
import type { IntegerRounding } from './integer-rounding.js';
import { Kind, classify, type X87Registers } from './x87-registers.js';
import { partialRemainder } from './extended-remainder.js';
import { MemoryFormats } from './memory-formats.js';
import type { X87Operations } from './x87-operations.js';
import { Transcendentals } from './x87-transcendental.js';

const C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000;
const { IE, DE, ZE, PE } = FpuException;

export class FunctionGroup {
  private readonly formats = new MemoryFormats();
  private readonly transcendentals: Transcendentals;

  constructor(private readonly r: X87Registers, private readonly math: ExtendedArithmetic,
    private readonly ops: X87Operations) {
    this.transcendentals = new Transcendentals(r, math, ops);
  }

  execute(modrm: number): void {
    switch (modrm) {
      case 0xfa: this.squareRoot(); return;
      case 0xf8: this.remainder(false); return;
      case 0xf5: this.remainder(true); return;
      case 0xfc: this.roundToInteger(); return;
      case 0xfd: this.scale(); return;
      case 0xf4: this.extract(); return;
      case 0xfe: case 0xff: case 0xf2: case 0xfb: this.trigonometric(modrm); return;
      case 0xf0: this.transcendentals.twoToXMinusOne(); return;
      case 0xf3: this.transcendentals.arcTangent(); return;
      default: this.transcendentals.logarithm(modrm === 0xf9); return; // f1 fyl2x, f9 fyl2xp1
    }
  }

  /** Common start of a one-operand function: handles empty, unsupported and NaN ST(0). Returns the kind or -1 when done. */
  private unaryOperand(): number {
    const ops = this.ops;
    if (!ops.loadA(0)) {
      if (ops.underflow()) { ops.setIndefinite(); ops.writeResult(0); }
      return -1;
    }
    const kind = classify(ops.aSignExponent, ops.aHigh, ops.aLow);
    if (kind === Kind.Unsupported) {
      ops.setConditions(0, C1);
      if (ops.report(IE)) { ops.setIndefinite(); ops.writeResult(0); }
      return -1;
    }
    if (kind === Kind.QuietNaN || kind === Kind.SignalingNaN) {
      ops.setConditions(0, C1);
      if (ops.report(ops.quietNaN(ops.aSignExponent, ops.aHigh, ops.aLow, kind))) ops.writeResult(0);
      return -1;
    }
    return kind;
  }

  private isDenormal(kind: number): boolean {
    return kind === Kind.Denormal || kind === Kind.PseudoDenormal;
  }

  /** Writes math's result to ST(index) after reporting; C1 from rounding when inexact. */
  private deliver(index: number, exceptions: number): boolean {
    const ops = this.ops;
    ops.setConditions((exceptions & PE) !== 0 && this.math.roundedUp ? C1 : 0, C1);
    if (!ops.report(exceptions)) return false;
    ops.writeResult(index);
    return true;
  }

  private squareRoot(): void {
    const ops = this.ops, math = this.math;
    const kind = this.unaryOperand();
    if (kind < 0) return;
    const sign = ops.aSignExponent >> 15;
    math.exceptions = 0; math.roundedUp = false;
    let exceptions = 0;
    if (kind === Kind.Zero) { ops.setZero(sign); this.deliver(0, 0); return; }
    if (sign === 1) { ops.setIndefinite(); this.deliver(0, IE); return; }
    if (kind === Kind.Infinity) { ops.setInfinity(0); this.deliver(0, 0); return; }
    if (this.isDenormal(kind)) {
      exceptions = DE;
      if (!ops.reportOperandException(DE)) return;
    }
    ops.unpack(ops.aSignExponent, ops.aHigh, ops.aLow);
    math.squareRoot(ops.unpackedExponent, ops.unpackedHigh, ops.unpackedLow, ops.precision(), ops.rounding());
    this.deliver(0, exceptions | math.exceptions);
  }

  private roundToInteger(): void {
    const ops = this.ops, math = this.math;
    const kind = this.unaryOperand();
    if (kind < 0) return;
    math.roundedUp = false;
    if (kind === Kind.Zero || kind === Kind.Infinity) { ops.setConditions(0, C1); return; }
    let exceptions = 0;
    if (this.isDenormal(kind)) {
      exceptions = DE;
      if (!ops.reportOperandException(DE)) return;
    }
    const sign = ops.aSignExponent >> 15;
    ops.unpack(ops.aSignExponent, ops.aHigh, ops.aLow);
    if (ops.unpackedExponent >= EXPONENT_BIAS + 63) { ops.setConditions(0, C1); return; }
    const integer = this.integerRounding();
    integer.roundMagnitude(sign, ops.unpackedExponent, ops.unpackedHigh, ops.unpackedLow, ops.rounding());
    if (integer.inexact) exceptions |= PE;
    this.formats.loadInteger(sign, integer.high, integer.low);
    math.sign = sign; math.exponent = this.formats.signExponent & 0x7fff; math.high = this.formats.high; math.low = this.formats.low;
    math.roundedUp = integer.roundedUp;
    this.deliver(0, exceptions);
  }

  private integerRounding(): IntegerRounding {
    return this.ops.integerRounding;
  }

  /** fscale: ST(0) × 2^trunc(ST(1)) (Intel SDM 2A FSCALE). */
  private scale(): void {
    const ops = this.ops, math = this.math;
    if (!ops.loadA(0) || !ops.loadB(1)) {
      if (ops.underflow()) { ops.setIndefinite(); ops.writeResult(0); }
      return;
    }
    const kindA = classify(ops.aSignExponent, ops.aHigh, ops.aLow);
    const kindB = classify(ops.bSignExponent, ops.bHigh, ops.bLow);
    math.exceptions = 0; math.roundedUp = false;
    if (kindA === Kind.Unsupported || kindB === Kind.Unsupported) { ops.setIndefinite(); this.deliver(0, IE); return; }
    if (kindA === Kind.QuietNaN || kindA === Kind.SignalingNaN || kindB === Kind.QuietNaN || kindB === Kind.SignalingNaN) {
      this.deliver(0, ops.propagateNaN(kindA, kindB));
      return;
    }
    let exceptions = this.isDenormal(kindA) || this.isDenormal(kindB) ? DE : 0;
    if (exceptions !== 0 && !ops.reportOperandException(exceptions)) return;
    const signA = ops.aSignExponent >> 15, signB = ops.bSignExponent >> 15;
    if (kindB === Kind.Infinity) {
      if (signB === 0) {
        if (kindA === Kind.Zero) { ops.setIndefinite(); exceptions |= IE; } else ops.setInfinity(signA);
      } else if (kindA === Kind.Infinity) { ops.setIndefinite(); exceptions |= IE; } else ops.setZero(signA);
      this.deliver(0, exceptions);
      return;
    }
    if (kindA === Kind.Zero) { ops.setZero(signA); this.deliver(0, exceptions); return; }
    if (kindA === Kind.Infinity) { ops.setInfinity(signA); this.deliver(0, exceptions); return; }
    ops.unpack(ops.bSignExponent, ops.bHigh, ops.bLow);
    let count = 0;
    if (ops.unpackedExponent >= EXPONENT_BIAS + 20) count = 1 << 20;
    else if (ops.unpackedExponent >= EXPONENT_BIAS) count = ops.unpackedHigh >>> (31 - (ops.unpackedExponent - EXPONENT_BIAS));
    if (signB === 1) count = -count;
    ops.unpack(ops.aSignExponent, ops.aHigh, ops.aLow);
    math.round(signA, ops.unpackedExponent + count, ops.unpackedHigh, ops.unpackedLow, 0, 64, ops.rounding(), 1, 32766,
      (this.r.controlWord & 0x10) !== 0, (this.r.controlWord & 8) !== 0);
    this.deliver(0, exceptions | math.exceptions);
  }

  /** fxtract: ST(0) becomes the exponent and the significand is pushed (Intel SDM 2A FXTRACT). */
  private extract(): void {
    const ops = this.ops, math = this.math;
    if (!ops.loadA(0)) {
      if (ops.underflow()) {
        ops.setIndefinite(); ops.writeResult(0);
        if (ops.pushCheck()) ops.push(0xffff, 0xc0000000, 0);
      }
      return;
    }
    if (!this.overflowCheck()) return;
    const kind = classify(ops.aSignExponent, ops.aHigh, ops.aLow);
    const sign = ops.aSignExponent >> 15;
    ops.setConditions(0, C1);
    let exceptions = 0;
    let exponentSE: number, exponentHigh: number, exponentLow: number;
    let significandSE: number, significandHigh: number, significandLow: number;
    if (kind === Kind.Unsupported || kind === Kind.QuietNaN || kind === Kind.SignalingNaN) {
      if (kind === Kind.Unsupported) { exceptions = IE; ops.setIndefinite(); } else exceptions = ops.quietNaN(ops.aSignExponent, ops.aHigh, ops.aLow, kind);
      exponentSE = significandSE = (math.sign << 15) | math.exponent;
      exponentHigh = significandHigh = math.high; exponentLow = significandLow = math.low;
    } else if (kind === Kind.Zero) {
      exceptions = ZE;
      exponentSE = 0xffff; exponentHigh = 0x80000000; exponentLow = 0;
      significandSE = ops.aSignExponent; significandHigh = 0; significandLow = 0;
    } else if (kind === Kind.Infinity) {
      exponentSE = 0x7fff; exponentHigh = 0x80000000; exponentLow = 0;
      significandSE = ops.aSignExponent; significandHigh = ops.aHigh; significandLow = ops.aLow;
    } else {
      if (this.isDenormal(kind)) exceptions = DE;
      ops.unpack(ops.aSignExponent, ops.aHigh, ops.aLow);
      const exponent = ops.unpackedExponent - EXPONENT_BIAS;
      this.formats.loadInteger(exponent < 0 ? 1 : 0, 0, Math.abs(exponent));
      exponentSE = this.formats.signExponent; exponentHigh = this.formats.high; exponentLow = this.formats.low;
      significandSE = (sign << 15) | EXPONENT_BIAS; significandHigh = ops.unpackedHigh; significandLow = ops.unpackedLow;
    }
    if (!ops.report(exceptions)) return;
    ops.writeStack(0, exponentSE, exponentHigh, exponentLow);
    ops.push(significandSE, significandHigh, significandLow);
  }

  /**
   * Stack overflow of an instruction that replaces ST(0) and pushes (fxtract, fptan, fsincos):
   * when masked both ST(0) and the pushed register become the indefinite (measured on the host FPU).
   */
  private overflowCheck(): boolean {
    if ((this.r.emptyMask >> ((this.r.top - 1) & 7) & 1) !== 0) return true;
    const ops = this.ops;
    ops.setConditions(C1, C1);
    if (ops.report(IE | FpuException.SF)) {
      ops.setIndefinite();
      ops.writeResult(0);
      ops.push(0xffff, 0xc0000000, 0);
    }
    return false;
  }

  /** fsin, fcos, fsincos, fptan: stack faults and overflow here, the rest in Transcendentals. */
  private trigonometric(modrm: number): void {
    const ops = this.ops;
    const pushes = modrm === 0xf2 || modrm === 0xfb;
    ops.setConditions(0, C2);
    if (!ops.loadA(0)) {
      if (ops.underflow()) {
        ops.setIndefinite(); ops.writeResult(0);
        if (pushes && ops.pushCheck()) ops.push(0xffff, 0xc0000000, 0);
      }
      return;
    }
    if (pushes && !this.overflowCheck()) return;
    this.transcendentals.trigonometric(modrm);
  }

  /** fprem/fprem1 (Intel SDM 2A): exact partial remainder; C2 set while incomplete, else quotient bits in C0 C3 C1. */
  private remainder(nearest: boolean): void {
    const ops = this.ops, math = this.math;
    if (!ops.loadA(0) || !ops.loadB(1)) {
      ops.setConditions(0, C2);
      if (ops.underflow()) { ops.setIndefinite(); ops.writeResult(0); }
      return;
    }
    const kindA = classify(ops.aSignExponent, ops.aHigh, ops.aLow);
    const kindB = classify(ops.bSignExponent, ops.bHigh, ops.bLow);
    math.exceptions = 0; math.roundedUp = false;
    // Invalid and NaN results clear C1 and C2 and keep C0 and C3 (measured).
    ops.setConditions(0, C1 | C2);
    if (kindA === Kind.Unsupported || kindB === Kind.Unsupported) { ops.setIndefinite(); this.deliver(0, IE); return; }
    if (kindA === Kind.QuietNaN || kindA === Kind.SignalingNaN || kindB === Kind.QuietNaN || kindB === Kind.SignalingNaN) {
      this.deliver(0, ops.propagateNaN(kindA, kindB));
      return;
    }
    if (kindA === Kind.Infinity || kindB === Kind.Zero) { ops.setIndefinite(); this.deliver(0, IE); return; }
    const exceptions = this.isDenormal(kindA) || this.isDenormal(kindB) ? DE : 0;
    if (exceptions !== 0 && !ops.reportOperandException(exceptions)) return;
    if (kindA === Kind.Zero || kindB === Kind.Infinity) {
      // ST(0) is already the remainder: complete, quotient 0. A pseudo-denormal comes back with
      // its exponent field 1, the encoding the hardware writes (measured).
      ops.setConditions(0, C0 | C1 | C2 | C3);
      if (kindA === Kind.PseudoDenormal) ops.writeStack(0, (ops.aSignExponent & 0x8000) | 1, ops.aHigh, ops.aLow);
      return;
    }
    const signA = ops.aSignExponent >> 15;
    ops.unpack(ops.bSignExponent, ops.bHigh, ops.bLow);
    let exponentB = ops.unpackedExponent;
    const highB = ops.unpackedHigh, lowB = ops.unpackedLow;
    ops.unpack(ops.aSignExponent, ops.aHigh, ops.aLow);
    const difference = ops.unpackedExponent - exponentB;
    let complete = true;
    if (difference >= 64) {
      // Partial: reduce the exponent difference by an amount between 32 and 63 (Intel SDM 2A FPREM).
      complete = false;
      const reduceBy = 32 + (difference & 31);
      exponentB = ops.unpackedExponent - reduceBy;
    }
    partialRemainder(math, signA, ops.unpackedExponent, ops.unpackedHigh, ops.unpackedLow, exponentB, highB, lowB, nearest && complete);
    const quotient = math.quotient;
    math.round(math.sign, math.exponent, math.high, math.low, 0, 64, ops.rounding(), 1, 32766,
      (this.r.controlWord & 0x10) !== 0, true);
    if (!this.deliver(0, exceptions | math.exceptions)) return;
    if (complete) {
      ops.setConditions(((quotient & 4) !== 0 ? C0 : 0) | ((quotient & 2) !== 0 ? C3 : 0) | ((quotient & 1) !== 0 ? C1 : 0),
        C0 | C1 | C2 | C3);
    } else {
      ops.setConditions(C2, C0 | C1 | C2 | C3);
    }
  }

}
