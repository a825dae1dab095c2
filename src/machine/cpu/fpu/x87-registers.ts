/**
 * The x87 register file and status as plain state: eight 80-bit physical
 * registers (sign+exponent word, significand halves), the empty bits of the
 * tag word, TOP, the control/status words and the last-instruction pointers.
 * Also the classification of an 80-bit pattern (Intel SDM 1 §4.8.3, §8.2).
 */

/** Operand classes of an 80-bit register pattern. */
export const Kind = {
  Zero: 0, Normal: 1, Denormal: 2, PseudoDenormal: 3, Infinity: 4, QuietNaN: 5, SignalingNaN: 6,
  /** Unnormals, pseudo-zeros, pseudo-infinities and pseudo-NaNs: invalid operands since the 387. */
  Unsupported: 7,
} as const;

export function classify(signExponent: number, high: number, low: number): number {
  const exponent = signExponent & 0x7fff;
  const integerBit = (high & 0x80000000) !== 0;
  if (exponent === 0) {
    if (high === 0 && low === 0) return Kind.Zero;
    return integerBit ? Kind.PseudoDenormal : Kind.Denormal;
  }
  if (!integerBit) return Kind.Unsupported;
  if (exponent === 0x7fff) {
    if ((high & 0x7fffffff) === 0 && low === 0) return Kind.Infinity;
    return (high & 0x40000000) !== 0 ? Kind.QuietNaN : Kind.SignalingNaN;
  }
  return Kind.Normal;
}

/** Two-bit tag of a non-empty register as fnstenv reports it: valid 0, zero 1, special 2 (Intel SDM 1 §8.1.7). */
export function tagOf(signExponent: number, high: number, low: number): number {
  const kind = classify(signExponent, high, low);
  if (kind === Kind.Normal) return 0;
  if (kind === Kind.Zero) return 1;
  return 2;
}

export class X87Registers {
  readonly signExponent = new Uint16Array(8);
  readonly high = new Uint32Array(8);
  readonly low = new Uint32Array(8);
  /** Bit i set: physical register i is empty. */
  emptyMask = 0xff;
  top = 0;
  controlWord = 0x037f;
  /** Status word bits except TOP (11-13), ES (7) and B (15), which are derived. */
  statusFlags = 0;
  /** FIP and FDP are held as i32 (set on every instruction: a u32 above 2^31 would be a boxed number); readers mask. */
  instructionPointer = 0;
  codeSelector = 0;
  opcode = 0;
  dataPointer = 0;
  dataSelector = 0;

  physical(stackIndex: number): number {
    return (this.top + stackIndex) & 7;
  }

  isEmpty(stackIndex: number): boolean {
    return (this.emptyMask >> ((this.top + stackIndex) & 7) & 1) !== 0;
  }

  /** The exception flags that are unmasked: a pending #MF when nonzero. */
  pendingUnmasked(): number {
    return this.statusFlags & ~this.controlWord & 0x3f;
  }

  get statusWord(): number {
    let word = (this.statusFlags & 0x477f) | (this.top << 11);
    // ES and B summarize the unmasked exceptions (Intel SDM 1 §8.1.3.1).
    if ((this.statusFlags & 0x3f & ~this.controlWord) !== 0) word |= 0x8080;
    return word;
  }

  set statusWord(value: number) {
    this.statusFlags = value & 0x477f;
    this.top = (value >> 11) & 7;
  }

  /** Full tag word as fnstenv/fnsave store it. */
  get tagWord(): number {
    let word = 0;
    for (let register = 0; register < 8; register++) {
      const tag = (this.emptyMask >> register & 1) !== 0 ? 3
        : tagOf(this.signExponent[register], this.high[register], this.low[register]);
      word |= tag << (register * 2);
    }
    return word;
  }

  set tagWord(value: number) {
    let mask = 0;
    for (let register = 0; register < 8; register++) {
      if (((value >> (register * 2)) & 3) === 3) mask |= 1 << register;
    }
    this.emptyMask = mask;
  }

  reset(): void {
    this.controlWord = 0x037f;
    this.statusFlags = 0;
    this.top = 0;
    this.emptyMask = 0xff;
    this.instructionPointer = 0;
    this.codeSelector = 0;
    this.opcode = 0;
    this.dataPointer = 0;
    this.dataSelector = 0;
  }
}
