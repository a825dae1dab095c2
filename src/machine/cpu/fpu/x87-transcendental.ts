/**
 * The x87 transcendentals: fsin, fcos, fsincos, fptan (after the stack checks
 * in x87-function-group.ts), f2xm1, fyl2x, fyl2xp1, fpatan. Special operands
 * follow Intel SDM 2A per instruction; finite results are computed in
 * double-double (about 106 bits) and rounded once to the 64-bit significand,
 * so they may differ from the hardware in the last bit or two. Arguments of
 * fsin/fcos/fptan are reduced modulo the hardware's 66-bit pi/2 exactly
 * (Intel SDM 1 §8.3.10), so large arguments reproduce the hardware's reduction.
 */
import { EXPONENT_BIAS, type ExtendedArithmetic, FpuException } from './extended-arithmetic.js';
import { Kind, classify, type X87Registers } from './x87-registers.js';
import { MemoryFormats } from './memory-formats.js';
import type { X87Operations } from './x87-operations.js';
import * as dd from './double-double.js';
import type { DoubleDouble } from './double-double.js';

const C1 = 0x200, C2 = 0x400;
const { IE, DE, ZE, PE } = FpuException;
const TWO32 = 4294967296;
/** pi × 2^126 to 128 bits; the hardware's pi/2 keeps PI_BITS of it (Intel SDM 1 §8.3.10: 66 bits). */
const PI_128 = 0xC90FDAA22168C234C4C6628B80DC1CD1n;
const PI_BITS = 66n;
const HALF_PI_INTEGER = PI_128 >> (128n - PI_BITS);
/** HALF_PI_INTEGER × 2^-HALF_PI_FRACTION_BITS = pi/2. */
const HALF_PI_FRACTION_BITS = PI_BITS - 1n;
const QUARTER_PI: DoubleDouble = [0.7853981633974483, 3.061616997868383e-17];
const THREE_QUARTER_PI: DoubleDouble = [2.356194490192345, 9.184850993605148e-17];
/** 1/ln 2 = log2(e). */
const LOG2_E: DoubleDouble = [1.4426950408889634, 2.0355273740931033e-17];

export class Transcendentals {
  private readonly formats = new MemoryFormats();
  private readonly doubleValue = new Float64Array(1);
  private readonly doubleWords = new Uint32Array(this.doubleValue.buffer);

  constructor(private readonly r: X87Registers, private readonly math: ExtendedArithmetic,
    private readonly ops: X87Operations) {}

  /** value × 2^-shift as a double-double (exact: 64 bits fit in two doubles). */
  private toDoubleDouble(signExponent: number, high: number, low: number, shift = 0): DoubleDouble {
    const ops = this.ops;
    ops.unpack(signExponent, high, low);
    if (ops.unpackedHigh === 0 && ops.unpackedLow === 0) return [0, 0];
    const scale = 2 ** (ops.unpackedExponent - EXPONENT_BIAS - 63 - shift);
    const lowBits = ops.unpackedLow & 0x7ff;
    let top = (ops.unpackedHigh * TWO32 + (ops.unpackedLow - lowBits)) * scale;
    let rest = lowBits * scale;
    if (signExponent & 0x8000) { top = -top; rest = -rest; }
    const sum = top + rest;
    return [sum, rest - (sum - top)];
  }

  /** Unbiased exponent of a finite nonzero operand. */
  private exponentOf(signExponent: number, high: number, low: number): number {
    this.ops.unpack(signExponent, high, low);
    return this.ops.unpackedExponent - EXPONENT_BIAS;
  }

  /** Rounds value × 2^scale once to 64 bits with the current rounding control into math. */
  private roundDoubleDouble(value: DoubleDouble, scale = 0): void {
    const formats = this.formats, math = this.math, ops = this.ops;
    this.doubleValue[0] = value[1];
    formats.loadFloat64(this.doubleWords[0], this.doubleWords[1]);
    ops.unpack(formats.signExponent, formats.high, formats.low);
    const signB = formats.signExponent >> 15, exponentB = ops.unpackedExponent + scale;
    const highB = ops.unpackedHigh, lowB = ops.unpackedLow;
    this.doubleValue[0] = value[0];
    formats.loadFloat64(this.doubleWords[0], this.doubleWords[1]);
    ops.unpack(formats.signExponent, formats.high, formats.low);
    math.add(formats.signExponent >> 15, ops.unpackedExponent + scale, ops.unpackedHigh, ops.unpackedLow,
      signB, exponentB, highB, lowB, 64, ops.rounding(), (this.r.controlWord & 0x10) !== 0, (this.r.controlWord & 8) !== 0);
  }

  private isDenormal(kind: number): boolean {
    return kind === Kind.Denormal || kind === Kind.PseudoDenormal;
  }

  private deliver(index: number, exceptions: number): boolean {
    const ops = this.ops;
    ops.setConditions((exceptions & PE) !== 0 && this.math.roundedUp ? C1 : 0, C1);
    if (!ops.report(exceptions)) return false;
    ops.writeResult(index);
    return true;
  }

  /** Handles unsupported and NaN ST(0) for one-operand functions; returns the kind, or -1 when done. */
  private specialOperand(): number {
    const ops = this.ops;
    const kind = classify(ops.aSignExponent, ops.aHigh, ops.aLow);
    if (kind === Kind.Unsupported) {
      ops.setIndefinite();
      this.deliver(0, IE);
      return -1;
    }
    if (kind === Kind.QuietNaN || kind === Kind.SignalingNaN) {
      this.deliver(0, ops.quietNaN(ops.aSignExponent, ops.aHigh, ops.aLow, kind));
      return -1;
    }
    return kind;
  }

  /** x - k·(pi/2) with the hardware's pi/2, exactly; returns the reduced value and k mod 4. */
  private reduce(): [DoubleDouble, number] {
    const ops = this.ops;
    const exponent = this.exponentOf(ops.aSignExponent, ops.aHigh, ops.aLow);
    if (exponent < -1) return [this.toDoubleDouble(ops.aSignExponent, ops.aHigh, ops.aLow), 0];
    const significand = (BigInt(ops.unpackedHigh) << 32n) | BigInt(ops.unpackedLow);
    const scaled = significand << BigInt(exponent - 63 + Number(HALF_PI_FRACTION_BITS));
    const quotient = (scaled + (HALF_PI_INTEGER >> 1n)) / HALF_PI_INTEGER;
    const remainder = scaled - quotient * HALF_PI_INTEGER;
    const high = Number(remainder);
    const low = Number(remainder - BigInt(high));
    const unit = 2 ** -Number(HALF_PI_FRACTION_BITS);
    let reduced: DoubleDouble = [high * unit, low * unit];
    let quadrant = Number(quotient & 3n);
    if (ops.aSignExponent & 0x8000) { reduced = dd.negate(reduced); quadrant = (4 - quadrant) & 3; }
    return [reduced, quadrant];
  }

  /** fsin fe, fcos ff, fptan f2, fsincos fb; ST(0) is present and a push has room. */
  trigonometric(modrm: number): void {
    const ops = this.ops, math = this.math;
    const pushes = modrm === 0xf2 || modrm === 0xfb;
    ops.setConditions(0, C2);
    const kind = this.specialOperand();
    if (kind < 0) {
      if (pushes && (this.r.statusFlags & ~this.r.controlWord & IE) === 0) {
        const value = this.r.physical(0);
        ops.push(this.r.signExponent[value], this.r.high[value], this.r.low[value]);
      }
      return;
    }
    math.roundedUp = false;
    math.exceptions = 0;
    if (kind === Kind.Infinity) {
      ops.setIndefinite();
      if (this.deliver(0, IE) && pushes) ops.push(0xffff, 0xc0000000, 0);
      return;
    }
    const sign = ops.aSignExponent >> 15;
    if (kind === Kind.Zero) {
      if (modrm === 0xff) this.setOne(); else ops.setZero(sign);
      this.deliver(0, 0);
      if (modrm === 0xf2) ops.push(0x3fff, 0x80000000, 0);
      if (modrm === 0xfb) { this.setOne(); ops.writeResult(-1); this.pushResult(); }
      return;
    }
    const exponent = this.exponentOf(ops.aSignExponent, ops.aHigh, ops.aLow);
    if (exponent >= 63) {
      ops.setConditions(C2, C1 | C2);
      return;
    }
    let exceptions = this.isDenormal(kind) ? DE : 0;
    if (exceptions !== 0 && !ops.reportOperandException(exceptions)) return;
    exceptions |= PE;
    if (exponent < -1000) {
      // sin x = x - x³/6, tan x = x + x³/3, cos x = 1 - x²/2: only the direction of the tiny
      // term matters for rounding (C1, and UE for denormal results). Scale x into double range.
      const x = this.toDoubleDouble(ops.aSignExponent, ops.aHigh, ops.aLow, exponent);
      const hair = x[0] * 2 ** -100;
      const sinX = dd.add(x, [-hair, 0]);
      const cosX: DoubleDouble = [1, -(2 ** -100)];
      switch (modrm) {
        case 0xfe: this.roundDoubleDouble(sinX, exponent); this.deliver(0, exceptions | math.exceptions); return;
        case 0xff: this.roundDoubleDouble(cosX); this.deliver(0, exceptions | math.exceptions); return;
        case 0xf2:
          this.roundDoubleDouble(dd.add(x, [hair, 0]), exponent);
          if (this.deliver(0, exceptions | math.exceptions)) ops.push(0x3fff, 0x80000000, 0);
          return;
        default:
          this.roundDoubleDouble(sinX, exponent);
          if (this.deliver(0, exceptions | math.exceptions)) { this.roundDoubleDouble(cosX); this.pushResult(); }
          return;
      }
    }
    const [reduced, quadrant] = this.reduce();
    let [sin, cos] = dd.sinCos(reduced);
    // Rotate by the quadrant: x = reduced + quadrant·pi/2.
    for (let turn = 0; turn < quadrant; turn++) { const previous = sin; sin = cos; cos = dd.negate(previous); }
    switch (modrm) {
      case 0xfe: this.roundDoubleDouble(sin); this.deliver(0, exceptions | math.exceptions); return;
      case 0xff: this.roundDoubleDouble(cos); this.deliver(0, exceptions | math.exceptions); return;
      case 0xf2:
        this.roundDoubleDouble(dd.divide(sin, cos));
        if (this.deliver(0, exceptions | math.exceptions)) ops.push(0x3fff, 0x80000000, 0);
        return;
      default:
        this.roundDoubleDouble(sin);
        if (this.deliver(0, exceptions | math.exceptions)) {
          this.roundDoubleDouble(cos);
          this.pushResult();
        }
    }
  }

  private setOne(): void {
    const math = this.math;
    math.sign = 0; math.exponent = 0x3fff; math.high = 0x80000000; math.low = 0;
  }

  private pushResult(): void {
    const math = this.math;
    this.ops.push((math.sign << 15) | math.exponent, math.high, math.low);
  }

  /** f2xm1: 2^x - 1 for -1 <= x <= 1; the hardware leaves other values unchanged (measured). */
  twoToXMinusOne(): void {
    const ops = this.ops, math = this.math;
    if (!ops.loadA(0)) {
      if (ops.underflow()) { ops.setIndefinite(); ops.writeResult(0); }
      return;
    }
    const kind = this.specialOperand();
    if (kind < 0) return;
    math.roundedUp = false;
    math.exceptions = 0;
    const sign = ops.aSignExponent >> 15;
    if (kind === Kind.Zero) { ops.setZero(sign); this.deliver(0, 0); return; }
    if (kind === Kind.Infinity) {
      if (sign === 1) { this.setOne(); math.sign = 1; } else ops.setInfinity(0);
      this.deliver(0, 0);
      return;
    }
    let exceptions = this.isDenormal(kind) ? DE : 0;
    if (exceptions !== 0 && !ops.reportOperandException(exceptions)) return;
    exceptions |= PE;
    const exponent = this.exponentOf(ops.aSignExponent, ops.aHigh, ops.aLow);
    if (exponent > 0 || (exponent === 0 && (ops.unpackedHigh !== 0x80000000 || ops.unpackedLow !== 0))) {
      math.sign = sign; math.exponent = ops.aSignExponent & 0x7fff; math.high = ops.aHigh; math.low = ops.aLow;
      this.deliver(0, exceptions);
      return;
    }
    if (exponent < -900) {
      // 2^x - 1 = x·ln 2 (1 + x·ln 2 / 2 + ...): the correction is far below the last bit.
      const scaled = this.toDoubleDouble(ops.aSignExponent, ops.aHigh, ops.aLow, exponent);
      this.roundDoubleDouble(dd.multiply(scaled, dd.LN2), exponent);
      this.deliver(0, exceptions | math.exceptions);
      return;
    }
    const x = this.toDoubleDouble(ops.aSignExponent, ops.aHigh, ops.aLow);
    this.roundDoubleDouble(dd.expMinusOne(dd.multiply(x, dd.LN2)));
    this.deliver(0, exceptions | math.exceptions);
  }

  /** Multiplies ST(1) by the double-double `factor` (rounded to 64 bits first) into math. */
  private multiplyStackOne(factor: DoubleDouble, extraScale = 0): void {
    const ops = this.ops;
    // One rounding of the double-double product: rounding the factor first, then
    // the product, drifted by up to 2 ulps under directed rounding (cpu-diff).
    const exponentY = this.exponentOf(ops.bSignExponent, ops.bHigh, ops.bLow);
    const y = this.toDoubleDouble(ops.bSignExponent, ops.bHigh, ops.bLow, exponentY);
    this.roundDoubleDouble(dd.multiply(y, factor), exponentY + extraScale);
  }

  /**
   * The exceptions of the rounded logarithm, where a denormal result is an
   * underflow even when exact (2·log2 2 of a denormal y): the hardware reports
   * its logarithms as inexact (PE) and so a tiny result as UE (measured).
   */
  private tinyInexact(): number {
    const math = this.math;
    const denormal = (math.high & 0x80000000) === 0 && (math.high !== 0 || math.low !== 0);
    return math.exceptions | (denormal ? FpuException.UE : 0);
  }

  /** Common start of fyl2x/fyl2xp1/fpatan: stack and NaN handling; returns false when done. */
  private twoOperands(): boolean {
    const ops = this.ops, math = this.math;
    if (!ops.loadA(0) || !ops.loadB(1)) {
      if (ops.underflow()) { ops.setIndefinite(); ops.writeResult(1); ops.pop(); }
      return false;
    }
    math.exceptions = 0; math.roundedUp = false;
    const kindX = classify(ops.aSignExponent, ops.aHigh, ops.aLow);
    const kindY = classify(ops.bSignExponent, ops.bHigh, ops.bLow);
    let exceptions = -1;
    if (kindX === Kind.Unsupported || kindY === Kind.Unsupported) { ops.setIndefinite(); exceptions = IE; }
    else if (kindX === Kind.QuietNaN || kindX === Kind.SignalingNaN || kindY === Kind.QuietNaN || kindY === Kind.SignalingNaN) {
      exceptions = ops.propagateNaN(kindX, kindY);
    }
    if (exceptions < 0) return true;
    this.finishTwoOperands(exceptions);
    return false;
  }

  private finishTwoOperands(exceptions: number): void {
    const ops = this.ops;
    ops.setConditions((exceptions & PE) !== 0 && this.math.roundedUp ? C1 : 0, C1);
    if (!ops.report(exceptions)) return;
    ops.writeResult(1);
    ops.pop();
  }

  /** fyl2x (ST(1)·log2 ST(0)) or fyl2xp1 (ST(1)·log2(ST(0) + 1)), then pop (Intel SDM 2A). */
  logarithm(plusOne: boolean): void {
    if (!this.twoOperands()) return;
    const ops = this.ops, math = this.math;
    const kindX = classify(ops.aSignExponent, ops.aHigh, ops.aLow);
    const kindY = classify(ops.bSignExponent, ops.bHigh, ops.bLow);
    const signX = ops.aSignExponent >> 15, signY = ops.bSignExponent >> 15;
    const zeroX = kindX === Kind.Zero, zeroY = kindY === Kind.Zero;
    const infiniteX = kindX === Kind.Infinity, infiniteY = kindY === Kind.Infinity;
    const isOne = kindX === Kind.Normal && signX === 0 && (ops.aSignExponent & 0x7fff) === 0x3fff
      && ops.aHigh === 0x80000000 && ops.aLow === 0;
    // Invalid operands take precedence over #D (measured).
    const invalid = plusOne
      ? (zeroX && infiniteY) || (infiniteX && (signX === 1 || zeroY))
      : (signX === 1 && !zeroX) || (zeroX && zeroY) || (infiniteX && zeroY) || (isOne && infiniteY);
    if (invalid) {
      ops.setIndefinite();
      this.finishTwoOperands(IE);
      return;
    }
    // fyl2x of ±0 is a division by zero whatever y is: a denormal y is no #D there (measured).
    const denormalY = this.isDenormal(kindY) && (plusOne || !zeroX);
    let exceptions = this.isDenormal(kindX) || denormalY ? DE : 0;
    if (exceptions !== 0 && !ops.reportOperandException(exceptions)) return;
    if (plusOne) {
      if (zeroX) {
        if (infiniteY) { ops.setIndefinite(); exceptions |= IE; } else ops.setZero(signX ^ signY);
      } else if (infiniteX) {
        if (signX === 1 || zeroY) { ops.setIndefinite(); exceptions |= IE; } else ops.setInfinity(signY);
      } else if (zeroY) ops.setZero(signX ^ signY);
      else if (infiniteY) ops.setInfinity(signX ^ signY);
      else {
        exceptions |= PE;
        const exponent = this.exponentOf(ops.aSignExponent, ops.aHigh, ops.aLow);
        if (signX === 1 && exponent >= 0) {
          // x <= -1 is outside the domain; the hardware returns x itself (measured).
          math.sign = 1; math.exponent = ops.aSignExponent & 0x7fff; math.high = ops.aHigh; math.low = ops.aLow;
          math.roundedUp = false;
          this.finishTwoOperands(exceptions);
          return;
        }
        if (exponent < -900) {
          // log2(1 + x) = x·log2(e) far beyond 64 bits: scale x into double range and back.
          const x = this.toDoubleDouble(ops.aSignExponent, ops.aHigh, ops.aLow, exponent);
          this.multiplyStackOne(dd.multiply(x, LOG2_E), exponent);
        } else if (exponent >= 60 && signX === 0) {
          // 1 + x = x to far beyond 64 bits: log2 x from the exponent and significand.
          this.multiplyStackOne(this.logarithmTwo());
        } else {
          // The hardware also computes outside the documented domain |x| < 1 - sqrt(2)/2 (measured).
          const x = this.toDoubleDouble(ops.aSignExponent, ops.aHigh, ops.aLow);
          const logarithm = Math.abs(x[0]) <= 0.5 ? dd.logOnePlus(x) : dd.logarithm(dd.add(x, [1, 0]));
          this.multiplyStackOne(dd.multiply(logarithm, LOG2_E));
        }
        exceptions |= this.tinyInexact();
      }
      this.finishTwoOperands(exceptions);
      return;
    }
    // fyl2x
    if (zeroX) {
      if (zeroY) { ops.setIndefinite(); exceptions |= IE; } else { if (!infiniteY) exceptions |= ZE; ops.setInfinity(signY ^ 1); }
    } else if (infiniteX) {
      if (zeroY) { ops.setIndefinite(); exceptions |= IE; } else ops.setInfinity(signY);
    } else if (isOne) {
      if (infiniteY) { ops.setIndefinite(); exceptions |= IE; } else ops.setZero(signY);
    } else if (infiniteY || zeroY) {
      const below = this.exponentOf(ops.aSignExponent, ops.aHigh, ops.aLow) < 0;
      if (infiniteY) ops.setInfinity(signY ^ (below ? 1 : 0)); else ops.setZero(signY ^ (below ? 1 : 0));
    } else {
      exceptions |= PE;
      this.multiplyStackOne(this.logarithmTwo());
      exceptions |= this.tinyInexact();
    }
    this.finishTwoOperands(exceptions);
  }

  /** log2 |ST(0)| as a double-double: x = 2^e · m with m in [0.75, 1.5), log2 x = e + ln(1 + (m - 1)) / ln 2. */
  private logarithmTwo(): DoubleDouble {
    const ops = this.ops;
    let exponent = this.exponentOf(ops.aSignExponent, ops.aHigh, ops.aLow);
    let m = this.toDoubleDouble(ops.aSignExponent & 0x7fff, ops.aHigh, ops.aLow, exponent);
    if (m[0] >= 1.5) { m = [m[0] / 2, m[1] / 2]; exponent += 1; }
    return dd.add([exponent, 0], dd.multiply(dd.logOnePlus(dd.add(m, [-1, 0])), LOG2_E));
  }

  /** fpatan: ST(1) = arctan(ST(1)/ST(0)) in the quadrant of (ST(0), ST(1)), then pop (Intel SDM 2A FPATAN). */
  arcTangent(): void {
    if (!this.twoOperands()) return;
    const ops = this.ops, math = this.math;
    const kindX = classify(ops.aSignExponent, ops.aHigh, ops.aLow);
    const kindY = classify(ops.bSignExponent, ops.bHigh, ops.bLow);
    const signX = ops.aSignExponent >> 15, signY = ops.bSignExponent >> 15;
    let exceptions = this.isDenormal(kindX) || this.isDenormal(kindY) ? DE : 0;
    if (exceptions !== 0 && !ops.reportOperandException(exceptions)) return;
    let angle: DoubleDouble | undefined;
    if (kindY === Kind.Zero) {
      if (signX === 0) ops.setZero(signY); else angle = dd.PI;
    } else if (kindY === Kind.Infinity) {
      angle = kindX === Kind.Infinity ? (signX === 0 ? QUARTER_PI : THREE_QUARTER_PI) : dd.HALF_PI;
    } else if (kindX === Kind.Zero) {
      angle = dd.HALF_PI;
    } else if (kindX === Kind.Infinity) {
      if (signX === 0) ops.setZero(signY); else angle = dd.PI;
    } else {
      exceptions |= PE;
      const exponentX = this.exponentOf(ops.aSignExponent, ops.aHigh, ops.aLow);
      const exponentY = this.exponentOf(ops.bSignExponent, ops.bHigh, ops.bLow);
      if (exponentY - exponentX < -900 && signX === 0) {
        // atan(y/x) = y/x to far beyond 64 bits.
        ops.unpack(ops.bSignExponent, ops.bHigh, ops.bLow);
        const highY = ops.unpackedHigh, lowY = ops.unpackedLow, expY = ops.unpackedExponent;
        ops.unpack(ops.aSignExponent, ops.aHigh, ops.aLow);
        math.exceptions = 0;
        math.divide(signY, expY, highY | 0, lowY | 0, ops.unpackedExponent, ops.unpackedHigh | 0, ops.unpackedLow | 0, 64,
          ops.rounding(), true, true);
        if ((math.exceptions & PE) === 0) {
          // An exact quotient: atan t lies just below t, which decides the rounding (UE, C1).
          ops.unpack((math.sign << 15) | math.exponent, math.high, math.low);
          let high = ops.unpackedHigh, low = ops.unpackedLow, exponent = ops.unpackedExponent;
          low = (low - 1) >>> 0;
          if (low === 0xffffffff) high = (high - 1) >>> 0;
          let extra = 0xffffffff;
          if ((high & 0x80000000) === 0) {
            high = ((high << 1) | (low >>> 31)) >>> 0; low = ((low << 1) | 1) >>> 0; extra = 0xfffffffe; exponent -= 1;
          }
          math.exceptions = 0;
          math.round(signY, exponent, high | 0, low | 0, extra | 0, 64, ops.rounding(), 1, 32766,
            (this.r.controlWord & 0x10) !== 0, (this.r.controlWord & 8) !== 0);
        } else {
          math.exceptions = 0;
          math.divide(signY, expY, highY | 0, lowY | 0, ops.unpackedExponent, ops.unpackedHigh | 0, ops.unpackedLow | 0, 64,
            ops.rounding(), (this.r.controlWord & 0x10) !== 0, (this.r.controlWord & 8) !== 0);
        }
        this.finishTwoOperands(exceptions | math.exceptions);
        return;
      }
      if (exponentY - exponentX < -900) angle = dd.PI;
      else if (exponentY - exponentX > 900) angle = dd.HALF_PI;
      else {
        const x = this.toDoubleDouble(ops.aSignExponent & 0x7fff, ops.aHigh, ops.aLow, exponentX);
        const y = this.toDoubleDouble(ops.bSignExponent & 0x7fff, ops.bHigh, ops.bLow, exponentX);
        if (y[0] <= x[0]) {
          const ratio = dd.divide(y, x);
          angle = dd.arcTangent(ratio);
          // For tiny ratios atan t = t - t³/3 falls below double-double: keep the direction for rounding.
          if (ratio[0] < 2 ** -35) angle = dd.add(angle, [-ratio[0] * 2 ** -100, 0]);
        }
        else angle = dd.subtract(dd.HALF_PI, dd.arcTangent(dd.divide(x, y)));
        if (signX === 1) angle = dd.subtract(dd.PI, angle);
      }
    }
    if (angle !== undefined) {
      exceptions |= PE;
      this.roundDoubleDouble(signY === 1 ? dd.negate(angle) : angle);
      exceptions |= math.exceptions;
    }
    this.finishTwoOperands(exceptions);
  }
}
