/**
 * The D9 F0..FF group: the exact functions (fsqrt, fprem, fprem1, frndint,
 * fscale, fxtract) and the transcendentals (fsin, fcos, fsincos, fptan, fpatan,
 * f2xm1, fyl2x, fyl2xp1). Special operands follow Intel SDM 2A per instruction
 * exactly; finite transcendental results are computed in double precision and
 * may differ from the hardware in the low bits of the 64-bit significand.
 */
import { EXPONENT_BIAS, type ExtendedArithmetic, FpuException, type IntegerRounding } from './extended-arithmetic.js';
import { Kind, classify, type X87Registers } from './x87-registers.js';
import { MemoryFormats } from './memory-formats.js';
import type { X87Operations } from './x87-operations.js';

const C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000;
const { IE, DE, ZE, PE } = FpuException;
const TWO32 = 4294967296;

export class Transcendentals {
  private readonly formats = new MemoryFormats();
  private readonly doubleValue = new Float64Array(1);
  private readonly doubleWords = new Uint32Array(this.doubleValue.buffer);

  constructor(private readonly r: X87Registers, private readonly math: ExtendedArithmetic,
    private readonly ops: X87Operations) {}

  execute(modrm: number): void {
    switch (modrm) {
      case 0xfa: this.squareRoot(); return;
      case 0xf8: this.remainder(false); return;
      case 0xf5: this.remainder(true); return;
      case 0xfc: this.roundToInteger(); return;
      case 0xfd: this.scale(); return;
      case 0xf4: this.extract(); return;
      case 0xfe: case 0xff: case 0xf2: case 0xfb: this.trigonometric(modrm); return;
      case 0xf0: this.twoToXMinusOne(); return;
      default: this.twoOperandLogarithm(modrm); return; // f1 fyl2x, f3 fpatan, f9 fyl2xp1
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
      if (!ops.report(DE)) return;
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
      if (!ops.report(DE)) return;
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
    if (exceptions !== 0 && !ops.report(exceptions)) return;
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

  /** fprem/fprem1 (Intel SDM 2A): exact partial remainder; C2 set while incomplete, else quotient bits in C0 C3 C1. */
  private remainder(nearest: boolean): void {
    const ops = this.ops, math = this.math;
    if (!ops.loadA(0) || !ops.loadB(1)) {
      if (ops.underflow()) { ops.setIndefinite(); ops.writeResult(0); ops.setConditions(0, C2); }
      return;
    }
    const kindA = classify(ops.aSignExponent, ops.aHigh, ops.aLow);
    const kindB = classify(ops.bSignExponent, ops.bHigh, ops.bLow);
    math.exceptions = 0; math.roundedUp = false;
    ops.setConditions(0, C0 | C1 | C2 | C3);
    if (kindA === Kind.Unsupported || kindB === Kind.Unsupported) { ops.setIndefinite(); this.deliver(0, IE); return; }
    if (kindA === Kind.QuietNaN || kindA === Kind.SignalingNaN || kindB === Kind.QuietNaN || kindB === Kind.SignalingNaN) {
      this.deliver(0, ops.propagateNaN(kindA, kindB));
      return;
    }
    if (kindA === Kind.Infinity || kindB === Kind.Zero) { ops.setIndefinite(); this.deliver(0, IE); return; }
    const exceptions = this.isDenormal(kindA) || this.isDenormal(kindB) ? DE : 0;
    if (exceptions !== 0 && !ops.report(exceptions)) return;
    if (kindA === Kind.Zero || kindB === Kind.Infinity) {
      // ST(0) is already the remainder.
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
    math.remainder(signA, ops.unpackedExponent, ops.unpackedHigh, ops.unpackedLow, exponentB, highB, lowB, nearest && complete);
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

  /** ST(0) as a double (rounded to nearest). */
  toDouble(signExponent: number, high: number, low: number): number {
    this.ops.unpack(signExponent, high, low);
    const ops = this.ops;
    if (ops.unpackedHigh === 0 && ops.unpackedLow === 0) return signExponent & 0x8000 ? -0 : 0;
    const magnitude = (ops.unpackedHigh * TWO32 + ops.unpackedLow) * 2 ** (ops.unpackedExponent - EXPONENT_BIAS - 63);
    return signExponent & 0x8000 ? -magnitude : magnitude;
  }

  /** Sets math's result to the double `value` (exact). */
  fromDouble(value: number): void {
    this.doubleValue[0] = value;
    this.formats.loadFloat64(this.doubleWords[0], this.doubleWords[1]);
    const math = this.math;
    math.sign = this.formats.signExponent >> 15;
    math.exponent = this.formats.signExponent & 0x7fff;
    math.high = this.formats.high;
    math.low = this.formats.low;
    if (math.exponent === 0x7fff && value !== value) this.ops.setIndefinite();
  }

  /** fsin, fcos, fsincos, fptan: arguments with |x| >= 2^63 set C2 and leave ST(0) (Intel SDM 2A FSIN). */
  private trigonometric(modrm: number): void {
    const ops = this.ops, math = this.math;
    const pushes = modrm === 0xf2 || modrm === 0xfb;
    if (!ops.loadA(0)) {
      if (ops.underflow()) {
        ops.setIndefinite(); ops.writeResult(0);
        if (pushes && ops.pushCheck()) ops.push(0xffff, 0xc0000000, 0);
      }
      return;
    }
    if (pushes && !this.overflowCheck()) return;
    ops.setConditions(0, C2);
    const kind = this.unaryOperand();
    if (kind < 0) {
      if (pushes && ops.pushCheck()) {
        const value = this.r.physical(0);
        ops.push(this.r.signExponent[value], this.r.high[value], this.r.low[value]);
      }
      return;
    }
    math.roundedUp = false;
    if (kind === Kind.Infinity) {
      ops.setIndefinite();
      if (this.deliver(0, IE) && pushes) ops.push(0xffff, 0xc0000000, 0);
      return;
    }
    ops.unpack(ops.aSignExponent, ops.aHigh, ops.aLow);
    if (kind !== Kind.Zero && ops.unpackedExponent >= EXPONENT_BIAS + 63) {
      ops.setConditions(C2, C1 | C2);
      return;
    }
    let exceptions = this.isDenormal(kind) ? DE : 0;
    if (exceptions !== 0 && !ops.report(exceptions)) return;
    const x = this.toDouble(ops.aSignExponent, ops.aHigh, ops.aLow);
    if (kind !== Kind.Zero) exceptions |= PE;
    const zero = kind === Kind.Zero;
    switch (modrm) {
      case 0xfe: if (zero) ops.setZero(ops.aSignExponent >> 15); else this.fromDouble(Math.sin(x)); this.deliver(0, exceptions); return;
      case 0xff: this.fromDouble(Math.cos(x)); this.deliver(0, exceptions); return;
      case 0xf2:
        if (zero) ops.setZero(ops.aSignExponent >> 15); else this.fromDouble(Math.tan(x));
        if (this.deliver(0, exceptions)) ops.push(0x3fff, 0x80000000, 0);
        return;
      default:
        if (zero) ops.setZero(ops.aSignExponent >> 15); else this.fromDouble(Math.sin(x));
        if (this.deliver(0, exceptions)) {
          this.fromDouble(Math.cos(x));
          ops.push((math.sign << 15) | math.exponent, math.high, math.low);
        }
        return;
    }
  }

  private twoToXMinusOne(): void {
    const ops = this.ops, math = this.math;
    const kind = this.unaryOperand();
    if (kind < 0) return;
    math.roundedUp = false;
    const sign = ops.aSignExponent >> 15;
    if (kind === Kind.Zero) { ops.setZero(sign); this.deliver(0, 0); return; }
    if (kind === Kind.Infinity) {
      if (sign === 1) this.fromDouble(-1); else ops.setInfinity(0);
      this.deliver(0, 0);
      return;
    }
    let exceptions = this.isDenormal(kind) ? DE : 0;
    if (exceptions !== 0 && !ops.report(exceptions)) return;
    exceptions |= PE;
    this.fromDouble(Math.expm1(this.toDouble(ops.aSignExponent, ops.aHigh, ops.aLow) * Math.LN2));
    this.deliver(0, exceptions);
  }

  /** fyl2x (f1), fpatan (f3), fyl2xp1 (f9): ST(1) = f(ST(1), ST(0)), then pop. */
  private twoOperandLogarithm(modrm: number): void {
    const ops = this.ops, math = this.math;
    if (!ops.loadA(0) || !ops.loadB(1)) {
      if (ops.underflow()) { ops.setIndefinite(); ops.writeResult(1); ops.pop(); }
      return;
    }
    const kindX = classify(ops.aSignExponent, ops.aHigh, ops.aLow);
    const kindY = classify(ops.bSignExponent, ops.bHigh, ops.bLow);
    math.exceptions = 0; math.roundedUp = false;
    let exceptions = 0;
    if (kindX === Kind.Unsupported || kindY === Kind.Unsupported) { ops.setIndefinite(); exceptions = IE; }
    else if (kindX === Kind.QuietNaN || kindX === Kind.SignalingNaN || kindY === Kind.QuietNaN || kindY === Kind.SignalingNaN) {
      exceptions = ops.propagateNaN(kindX, kindY);
    } else {
      exceptions = this.isDenormal(kindX) || this.isDenormal(kindY) ? DE : 0;
      if (exceptions !== 0 && !ops.report(exceptions)) return;
      const x = this.toDouble(ops.aSignExponent, ops.aHigh, ops.aLow);
      const y = this.toDouble(ops.bSignExponent, ops.bHigh, ops.bLow);
      let result: number;
      if (modrm === 0xf3) result = Math.atan2(y, x);
      else if (modrm === 0xf1) {
        if (x < 0 || (x === 0 && y === 0) || (x === Infinity && y === 0) || (x === 1 && !Number.isFinite(y))) { ops.setIndefinite(); exceptions |= IE; result = NaN; }
        else {
          if (x === 0 && Number.isFinite(y)) exceptions |= ZE;
          result = y * Math.log2(x);
          if (x === 1) result = y < 0 || Object.is(y, -0) ? -0 : 0;
        }
      } else {
        if (x < -1 || (x === -1)) { result = y * Math.log2(1 + x); } else result = y * (Math.log1p(x) / Math.LN2);
        if (x === 0) result = (ops.aSignExponent >> 15) !== (ops.bSignExponent >> 15) ? -0 : 0;
        if (!Number.isFinite(y) && x === 0) { ops.setIndefinite(); exceptions |= IE; result = NaN; }
      }
      if ((exceptions & IE) === 0) {
        this.fromDouble(result);
        if (Number.isFinite(result) && result !== 0 && (exceptions & ZE) === 0) exceptions |= PE;
      }
    }
    ops.setConditions(0, C1);
    if (!ops.report(exceptions)) return;
    ops.writeResult(1);
    ops.pop();
  }
}

