/**
 * The x87 stores to memory: fst/fstp m32/m64 (rounded with RC into the
 * format's precision and range), fstp m80 (raw), fist/fistp/fisttp m16/m32/m64
 * and fbstp (packed BCD). Each checks its whole destination before changing any
 * state (a fault restarts the instruction). Intel SDM 2A FST, FIST, FISTTP, FBSTP.
 */
import type { FpuHost } from './fpu-host.js';
import { EXPONENT_BIAS, type ExtendedArithmetic, FpuException } from './extended-arithmetic.js';
import { Kind, classify, type X87Registers } from './x87-registers.js';
import type { X87Operations } from './x87-operations.js';

const C1 = 0x200;
const { IE } = FpuException;
const INDEFINITE_SIGN_EXPONENT = 0xffff, INDEFINITE_HIGH = 0xc0000000;

export class X87Stores {
  private readonly bcd = new Uint8Array(10);

  constructor(private readonly r: X87Registers, private readonly host: FpuHost,
    private readonly math: ExtendedArithmetic, private readonly ops: X87Operations) {}

  /** fstp m80: a raw copy. */
  storeExtended(address: number): void {
    const memory = this.host.memory;
    memory.checkWrite(address, 10);
    let signExponent = INDEFINITE_SIGN_EXPONENT, high = INDEFINITE_HIGH, low = 0;
    if (this.ops.loadA(0)) {
      signExponent = this.ops.aSignExponent; high = this.ops.aHigh; low = this.ops.aLow;
      this.ops.setConditions(0, C1);
    } else if (!this.ops.underflow()) return;
    memory.write32(address, low);
    memory.write32(address + 4, high);
    memory.write16(address + 8, signExponent);
    this.ops.pop();
  }

  /** fst/fstp m32/m64 (Intel SDM 2A FST): rounds with RC to the memory format's precision and range. */
  storeFloat(address: number, bits: number, popAfter: boolean): void {
    const memory = this.host.memory;
    const bytes = bits >> 3;
    memory.checkWrite(address, bytes);
    let word0 = 0, word1 = 0; // single: word0; double: word0 low, word1 high
    if (!this.ops.loadA(0)) {
      if (!this.ops.underflow()) return;
      if (bits === 32) word0 = 0xffc00000; else { word0 = 0; word1 = 0xfff80000; }
    } else {
      const kind = classify(this.ops.aSignExponent, this.ops.aHigh, this.ops.aLow);
      const sign = this.ops.aSignExponent >> 15;
      let exceptions = 0;
      const math = this.math;
      math.exceptions = 0;
      math.roundedUp = false;
      let exponent = 0, high = 0, low = 0;
      const maximum = bits === 32 ? 0xff : 0x7ff;
      switch (kind) {
        case Kind.Zero: break;
        case Kind.Infinity: exponent = maximum; break;
        case Kind.QuietNaN: case Kind.SignalingNaN:
          exceptions = kind === Kind.SignalingNaN ? IE : 0;
          exponent = maximum; high = (this.ops.aHigh | 0x40000000) >>> 0; low = this.ops.aLow;
          break;
        case Kind.Unsupported:
          exceptions = IE;
          break;
        default: {
          // A denormal source raises no #D here: the result underflows (measured on the host FPU).
          this.ops.unpack(this.ops.aSignExponent, this.ops.aHigh, this.ops.aLow);
          const bias = bits === 32 ? 127 : 1023;
          const minimum = EXPONENT_BIAS - bias + 1;
          math.round(sign, this.ops.unpackedExponent, this.ops.unpackedHigh | 0, this.ops.unpackedLow | 0, 0, bits === 32 ? 24 : 53,
            this.ops.rounding(), minimum, minimum + maximum - 2, (this.r.controlWord & 0x10) !== 0, (this.r.controlWord & 8) !== 0);
          exceptions |= math.exceptions;
          if (math.exponent === 0 && math.high === 0 && math.low === 0) exponent = 0;
          else if ((math.high & 0x80000000) === 0) exponent = 0;
          else exponent = math.exponent - minimum + 1;
          if (exponent >= maximum) { exponent = maximum; high = 0x80000000; low = 0; } else { high = math.high; low = math.low; }
          break;
        }
      }
      // Unmasked overflow or underflow leaves the memory destination and the stack unchanged and
      // reports neither PE nor C1 (Intel SDM 1 §4.9.1.4-5; measured on the host FPU).
      const unmaskedRange = exceptions & ~this.r.controlWord & (FpuException.OE | FpuException.UE);
      if (unmaskedRange !== 0) {
        this.ops.setConditions(0, C1);
        this.ops.report(exceptions & ~FpuException.PE);
        return;
      }
      this.ops.setConditions((exceptions & FpuException.PE) !== 0 && math.roundedUp ? C1 : 0, C1);
      if (!this.ops.report(exceptions)) return;
      if (kind === Kind.Unsupported) {
        if (bits === 32) word0 = 0xffc00000; else { word0 = 0; word1 = 0xfff80000; }
      } else if (bits === 32) {
        word0 = ((sign << 31) | (exponent << 23) | ((high >>> 8) & 0x7fffff)) >>> 0;
      } else {
        word1 = ((sign << 31) | (exponent << 20) | ((high >>> 11) & 0xfffff)) >>> 0;
        word0 = ((high << 21) | (low >>> 11)) >>> 0;
      }
    }
    memory.write32(address, word0 | 0);
    if (bits === 64) memory.write32(address + 4, word1 | 0);
    if (popAfter) this.ops.pop();
  }

  /** fist/fistp/fisttp (Intel SDM 2A FIST, FISTTP): out of range or non-finite stores the integer indefinite. */
  storeInteger(address: number, bits: number, popAfter: boolean, truncate: boolean): void {
    const memory = this.host.memory;
    memory.checkWrite(address, bits >> 3);
    let high = 0, low = 0;
    let indefinite = false;
    if (!this.ops.loadA(0)) {
      if (!this.ops.underflow()) return;
      indefinite = true;
    } else {
      const kind = classify(this.ops.aSignExponent, this.ops.aHigh, this.ops.aLow);
      const sign = this.ops.aSignExponent >> 15;
      let exceptions = 0;
      let roundedUp = false;
      if (kind === Kind.Zero) {
        // stores 0
      } else if (kind === Kind.Normal || kind === Kind.Denormal || kind === Kind.PseudoDenormal) {
        this.ops.unpack(this.ops.aSignExponent, this.ops.aHigh, this.ops.aLow);
        const integer = this.ops.integerRounding;
        const fits = integer.roundMagnitude(sign, this.ops.unpackedExponent, this.ops.unpackedHigh, this.ops.unpackedLow,
          truncate ? 3 : this.ops.rounding());
        high = integer.high; low = integer.low;
        const limitHigh = bits === 64 ? 0x80000000 : 0;
        const limitLow = bits === 64 ? 0 : bits === 32 ? 0x80000000 : 0x8000;
        // Magnitude must be below 2^(bits-1), or equal to it for a negative value.
        const above = high > limitHigh || (high === limitHigh && low > limitLow);
        const equal = high === limitHigh && low === limitLow;
        if (!fits || above || (equal && sign === 0)) {
          exceptions = IE; indefinite = true;
        } else {
          if (integer.inexact) exceptions = FpuException.PE;
          roundedUp = integer.roundedUp;
          if (sign === 1) {
            low = (0 - low) >>> 0;
            high = (~high + (low === 0 ? 1 : 0)) >>> 0;
          }
        }
      } else {
        exceptions = IE; indefinite = true;
      }
      this.ops.setConditions((exceptions & FpuException.PE) !== 0 && roundedUp ? C1 : 0, C1);
      if (!this.ops.report(exceptions)) return;
    }
    if (indefinite) { high = bits === 64 ? 0x80000000 : 0; low = bits === 64 ? 0 : bits === 32 ? 0x80000000 : 0x8000; }
    if (bits === 16) memory.write16(address, low & 0xffff);
    else {
      memory.write32(address, low);
      if (bits === 64) memory.write32(address + 4, high);
    }
    if (popAfter) this.ops.pop();
  }

  /** fbstp (Intel SDM 2A FBSTP): rounds with RC; beyond 18 digits stores the BCD indefinite. */
  storeBcd(address: number): void {
    const memory = this.host.memory;
    memory.checkWrite(address, 10);
    const bytes = this.bcd;
    let indefinite = false;
    let sign = 0, high = 0, low = 0;
    if (!this.ops.loadA(0)) {
      if (!this.ops.underflow()) return;
      indefinite = true;
    } else {
      const kind = classify(this.ops.aSignExponent, this.ops.aHigh, this.ops.aLow);
      sign = this.ops.aSignExponent >> 15;
      let exceptions = 0;
      let roundedUp = false;
      if (kind === Kind.Normal || kind === Kind.Denormal || kind === Kind.PseudoDenormal) {
        this.ops.unpack(this.ops.aSignExponent, this.ops.aHigh, this.ops.aLow);
        const integer = this.ops.integerRounding;
        const fits = integer.roundMagnitude(sign, this.ops.unpackedExponent, this.ops.unpackedHigh, this.ops.unpackedLow, this.ops.rounding());
        high = integer.high; low = integer.low;
        // 10^18 = 0x0DE0B6B3_A7640000
        if (!fits || high > 0x0de0b6b3 || (high === 0x0de0b6b3 && low >= 0xa7640000)) { exceptions = IE; indefinite = true; }
        else {
          if (integer.inexact) exceptions = FpuException.PE;
          roundedUp = integer.roundedUp;
        }
      } else if (kind !== Kind.Zero) {
        exceptions = IE; indefinite = true;
      }
      this.ops.setConditions((exceptions & FpuException.PE) !== 0 && roundedUp ? C1 : 0, C1);
      if (!this.ops.report(exceptions)) return;
    }
    if (indefinite) {
      bytes.fill(0);
      bytes[7] = 0xc0; bytes[8] = 0xff; bytes[9] = 0xff;
    } else {
      for (let index = 0; index < 9; index++) {
        // Two decimal digits per byte from the 64-bit magnitude, least significant first.
        let digits = 0;
        for (let nibble = 0; nibble < 2; nibble++) {
          const highRemainder = high % 10;
          high = Math.floor(high / 10);
          const lowValue = highRemainder * 4294967296 + low;
          const digit = lowValue % 10;
          low = Math.floor(lowValue / 10) >>> 0;
          digits |= digit << (nibble * 4);
        }
        bytes[index] = digits;
      }
      bytes[9] = sign << 7;
    }
    for (let index = 0; index < 10; index++) memory.write8(address + index, bytes[index]);
    this.ops.pop();
  }
}
