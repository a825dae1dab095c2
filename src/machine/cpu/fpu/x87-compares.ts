/**
 * The x87 compares: fcom/fcomp/fcompp, fucom/fucomp/fucompp, ficom/ficomp
 * (through X87Operations' memory forms), fcomi/fucomi(p), ftst and fxam
 * (Intel SDM 2A per instruction; §8.1.4 condition codes). Operands come in
 * X87Operations' A and B registers.
 */
import type { FpuHost } from './fpu-host.js';
import { FpuException } from './extended-arithmetic.js';
import { Kind, classify, type X87Registers } from './x87-registers.js';
import type { X87Operations } from './x87-operations.js';

const C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000;
const { IE, DE } = FpuException;
/** compareOperands() results at or below NO_POP: codes to set, but an unmasked exception suppresses the pop. */
const NO_POP = -10;

export class X87Compares {
  constructor(private readonly ops: X87Operations, private readonly r: X87Registers, private readonly host: FpuHost) {}

  /**
   * Compares A with B: 0 greater, 1 less, 2 equal, 3 unordered; reports IE for
   * SNaNs and unsupported operands (and QNaNs when `ordered`), DE for denormals.
   * Returns -1 when an unmasked exception suppresses the result.
   */
  compareOperands(ordered: boolean, toFlags = false): number {
    const kindA = classify(this.ops.aSignExponent, this.ops.aHigh, this.ops.aLow);
    const kindB = classify(this.ops.bSignExponent, this.ops.bHigh, this.ops.bLow);
    let exceptions = 0;
    let result: number;
    if (kindA === Kind.Unsupported || kindB === Kind.Unsupported || kindA === Kind.SignalingNaN || kindB === Kind.SignalingNaN) {
      exceptions = IE; result = 3;
    } else if (kindA === Kind.QuietNaN || kindB === Kind.QuietNaN) {
      exceptions = ordered ? IE : 0; result = 3;
    } else {
      if (kindA === Kind.Denormal || kindA === Kind.PseudoDenormal || kindB === Kind.Denormal
        || kindB === Kind.PseudoDenormal || this.ops.memoryDenormal) exceptions = DE;
      result = this.compareFinite(kindA, kindB);
    }
    // fcomi and friends leave C1 alone (measured); the others clear it.
    if (!toFlags) this.ops.setConditions(0, C1);
    // An unmasked IE or DE still sets the codes (unordered for IE) but does not pop (measured).
    if (!this.ops.report(exceptions)) return NO_POP - result;
    return result;
  }
  private compareFinite(kindA: number, kindB: number): number {
    const signA = kindA === Kind.Zero ? 0 : this.ops.aSignExponent >> 15;
    const signB = kindB === Kind.Zero ? 0 : this.ops.bSignExponent >> 15;
    if (kindA === Kind.Zero && kindB === Kind.Zero) return 2;
    if (signA !== signB) return signA === 0 ? 0 : 1;
    // Same sign: compare magnitudes (infinities have the largest exponent).
    this.ops.unpack(this.ops.aSignExponent, this.ops.aHigh, this.ops.aLow);
    let exponentA = this.ops.unpackedExponent;
    const highA = this.ops.unpackedHigh, lowA = this.ops.unpackedLow;
    this.ops.unpack(this.ops.bSignExponent, this.ops.bHigh, this.ops.bLow);
    let exponentB = this.ops.unpackedExponent;
    if (kindA === Kind.Zero) exponentA = -100000;
    if (kindB === Kind.Zero) exponentB = -100000;
    let magnitude: number;
    if (exponentA !== exponentB) magnitude = exponentA > exponentB ? 1 : -1;
    else if (highA !== this.ops.unpackedHigh) magnitude = highA > this.ops.unpackedHigh ? 1 : -1;
    else if (lowA !== this.ops.unpackedLow) magnitude = lowA > this.ops.unpackedLow ? 1 : -1;
    else return 2;
    if (signA === 1) magnitude = -magnitude;
    return magnitude > 0 ? 0 : 1;
  }
  /**
   * Sets C3 C2 C0 (or ZF PF CF) from a compareOperands() result and pops. An
   * unmasked IE still sets the unordered codes but does not pop.
   */
  finishCompare(result: number, toFlags: boolean, pops: number): void {
    if (result === -1) return;
    let popAllowed = true;
    if (result <= NO_POP) { result = NO_POP - result; popAllowed = false; }
    if (toFlags) this.host.setComparisonFlags(result >= 2, result === 3, result === 1 || result === 3);
    else this.ops.setConditions(result === 0 ? 0 : result === 1 ? C0 : result === 2 ? C3 : C3 | C2 | C0, C3 | C2 | C0);
    if (popAllowed) for (let count = 0; count < pops; count++) this.ops.pop();
  }
  /** An empty operand of a compare: stack underflow, unordered. */
  compareUnderflow(toFlags: boolean, pops: number): void {
    this.finishCompare(this.ops.underflow() ? 3 : NO_POP - 3, toFlags, pops);
  }
  compareRegister(other: number, ordered: boolean, pops: number, toFlags = false): void {
    this.ops.memoryDenormal = false;
    if (!this.ops.loadA(0) || !this.ops.loadB(other)) { this.compareUnderflow(toFlags, pops); return; }
    this.finishCompare(this.compareOperands(ordered, toFlags), toFlags, pops);
  }
  /** fcomi/fucomi(p): ZF PF CF (Intel SDM 2A FCOMI). */
  compareToFlags(other: number, ordered: boolean, popAfter: boolean): void {
    this.compareRegister(other, ordered, popAfter ? 1 : 0, true);
  }
  test(): void {
    this.ops.memoryDenormal = false;
    if (!this.ops.loadA(0)) { this.compareUnderflow(false, 0); return; }
    this.ops.bSignExponent = 0; this.ops.bHigh = 0; this.ops.bLow = 0;
    this.finishCompare(this.compareOperands(true), false, 0);
  }
  /** fxam (Intel SDM 2A FXAM): C1 is the sign; C3 C2 C0 the class. */
  examine(): void {
    const physical = this.r.physical(0);
    const signExponent = this.r.signExponent[physical];
    const sign = signExponent & 0x8000 ? C1 : 0;
    let codes: number;
    if ((this.r.emptyMask >> physical & 1) !== 0) codes = C3 | C0;
    else {
      switch (classify(signExponent, this.r.high[physical], this.r.low[physical])) {
        case Kind.Zero: codes = C3; break;
        case Kind.Normal: codes = C2; break;
        case Kind.Denormal: case Kind.PseudoDenormal: codes = C3 | C2; break;
        case Kind.Infinity: codes = C2 | C0; break;
        case Kind.QuietNaN: case Kind.SignalingNaN: codes = C0; break;
        default: codes = 0; break;
      }
    }
    this.ops.setConditions(codes | sign, C3 | C2 | C1 | C0);
  }
}
