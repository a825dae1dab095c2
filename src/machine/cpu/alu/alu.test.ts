/**
 * Differential test of the ALU against the host processor: runs
 * userland/alu-check (built by `make -s -C userland`), which executes each
 * instruction natively over edge cases and seeded random inputs, and compares
 * every result and EFLAGS with ir0's functions, masking only SDM-undefined flags.
 * ALU_CHECK_SEED and ALU_CHECK_RANDOM (cases per op and size) widen the run.
 * It also reports, per instruction, how often the undefined flags match the host.
 *
 * Measured on the reference host (AMD EPYC, Zen 4; Intel's undefined flags differ
 * and could not be measured here): 344,816 cases with seed 1, and 1.78 million each
 * with seeds 7, 12345 and 99 at ALU_CHECK_RANDOM=20000; zero mismatches, and the
 * SDM-undefined flags and results matched the host in every case too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  aaa, aad, aam, aas, adc, add, aluOut, and, bitTest, BitTestOperation, bitTestMemoryDelta, bsf, bsr, bt, btc, btr,
  bts, daa, das, dec, div, DIVIDE_ERROR, idiv, imul, imulTruncated, inc, mul, neg, or, type OperandSize, rcl, rcr,
  rol, ror, sar, sbb, shiftUndefinedFlags, shl, shld, shr, shrd, sub, UNDEFINED_FLAGS, xor,
} from './index.js';

const binary = fileURLToPath(new URL('../../../../userland/alu-check/build/alu-check', import.meta.url));

type Binary = (size: OperandSize, a: number, b: number, flags: number) => number;
/** One host line's op: computes ir0's answer (result, aluOut) and says which flags are undefined. */
interface Checker {
  run(size: OperandSize, a: number, b: number, c: number, flags: number): number;
  /** True when the op has a second result in aluOut.high (compared with the host's `high`). */
  high?: boolean;
  undefinedFlags(size: OperandSize, a: number, b: number, c: number): number;
  /** True when the SDM leaves the result undefined too (16-bit shld/shrd with count > 16). */
  undefinedResult?(size: OperandSize, a: number, b: number, c: number): boolean;
}

const arithmetic = (fn: Binary): Checker => ({ run: (s, a, b, _c, f) => fn(s, a, b, f), undefinedFlags: () => 0 });
const logic = (fn: Binary): Checker => ({ run: (s, a, b, _c, f) => fn(s, a, b, f), undefinedFlags: () => UNDEFINED_FLAGS.logic });
const unary = (fn: (s: OperandSize, a: number, f: number) => number): Checker =>
  ({ run: (s, a, _b, _c, f) => fn(s, a, f), undefinedFlags: () => 0 });
const shiftLike = (fn: Binary, kind: 'shift' | 'sar' | 'rotate'): Checker =>
  ({ run: (s, a, b, _c, f) => fn(s, a, b, f), undefinedFlags: (s, _a, b) => shiftUndefinedFlags(kind, s, b) });
const doubleShift = (fn: typeof shld): Checker => ({
  run: (s, a, b, c, f) => fn(s as 16 | 32, a, b, c, f),
  undefinedFlags: (s, _a, _b, c) => shiftUndefinedFlags('doubleShift', s, c),
  undefinedResult: (s, _a, _b, c) => s === 16 && (c & 0x1f) > 16,
});
const multiply = (fn: Binary): Checker =>
  ({ run: (s, a, b, _c, f) => fn(s, a, b, f), high: true, undefinedFlags: () => UNDEFINED_FLAGS.multiply });
const divide = (fn: typeof div): Checker =>
  ({ run: (s, a, b, c, f) => fn(s, a, c, b, f), high: true, undefinedFlags: () => UNDEFINED_FLAGS.divide });
const bitIndex = (fn: Binary): Checker =>
  ({ run: (s, a, b, _c, f) => fn(s, a, b, f), undefinedFlags: () => UNDEFINED_FLAGS.bitTest });
const bitScan = (fn: typeof bsf): Checker =>
  ({ run: (s, a, b, _c, f) => fn(s as 16 | 32, a, b, f), undefinedFlags: () => UNDEFINED_FLAGS.bitScan });

/** The host's bt* memory buffer: byte at offset i from the base holds pattern(i). */
const pattern = (i: number): number => (i * 37 + 11) & 0xff;
/**
 * bt* m, r: applies the operation at base + bitTestMemoryDelta and answers like
 * the host: the offset of the first changed byte (or 0xffffffff), its value in aluOut.high.
 */
const bitMemory = (operation: BitTestOperation, immediate = false): Checker => ({
  high: true,
  undefinedFlags: () => UNDEFINED_FLAGS.bitTest,
  run(size, _a, offset, _c, flags) {
    // An immediate offset selects a bit inside the addressed operand (SDM: taken modulo the size).
    const delta = immediate ? 0 : bitTestMemoryDelta(size as 16 | 32, offset);
    let value = 0;
    for (let i = size / 8 - 1; i >= 0; i--) value = value * 256 + pattern(delta + i);
    const result = bitTest(operation, size, value, offset, flags);
    for (let i = 0; i < size / 8; i++) {
      const byte = Math.floor(result / 256 ** i) & 0xff;
      if (byte !== pattern(delta + i)) {
        aluOut.high = byte;
        return (delta + i) >>> 0;
      }
    }
    aluOut.high = 0;
    return 0xffffffff;
  },
});

const checkers: Record<string, Checker> = {
  add: arithmetic(add), adc: arithmetic(adc), sub: arithmetic(sub), sbb: arithmetic(sbb),
  and: logic(and), or: logic(or), xor: logic(xor),
  inc: unary(inc), dec: unary(dec), neg: unary(neg),
  rol: shiftLike(rol, 'rotate'), ror: shiftLike(ror, 'rotate'), rcl: shiftLike(rcl, 'rotate'), rcr: shiftLike(rcr, 'rotate'),
  shl: shiftLike(shl, 'shift'), shr: shiftLike(shr, 'shift'), sar: shiftLike(sar, 'sar'),
  shld: doubleShift(shld), shrd: doubleShift(shrd),
  mul: multiply(mul), imul1: multiply(imul),
  imul2: { run: (s, a, b, _c, f) => imulTruncated(s as 16 | 32, a, b, f), undefinedFlags: () => UNDEFINED_FLAGS.multiply },
  div: divide(div), idiv: divide(idiv),
  daa: { run: (_s, a, _b, _c, f) => (a & 0xff00) | daa(a, f), undefinedFlags: () => UNDEFINED_FLAGS.daa },
  das: { run: (_s, a, _b, _c, f) => (a & 0xff00) | das(a, f), undefinedFlags: () => UNDEFINED_FLAGS.das },
  aaa: { run: (_s, a, _b, _c, f) => aaa(a, f), undefinedFlags: () => UNDEFINED_FLAGS.aaa },
  aas: { run: (_s, a, _b, _c, f) => aas(a, f), undefinedFlags: () => UNDEFINED_FLAGS.aas },
  aam: { run: (_s, a, _b, c, f) => aam(a, c, f), undefinedFlags: () => UNDEFINED_FLAGS.aam },
  aad: { run: (_s, a, _b, c, f) => aad(a, c, f), undefinedFlags: () => UNDEFINED_FLAGS.aad },
  bt: bitIndex(bt), bts: bitIndex(bts), btr: bitIndex(btr), btc: bitIndex(btc),
  btm: bitMemory(BitTestOperation.Test), btsm: bitMemory(BitTestOperation.Set),
  btrm: bitMemory(BitTestOperation.Reset), btcm: bitMemory(BitTestOperation.Complement),
  bsf: bitScan(bsf), bsr: bitScan(bsr),
  // Immediate forms: b is the instruction's immediate.
  imul3: { run: (s, a, b, _c, f) => imulTruncated(s as 16 | 32, a, b, f), undefinedFlags: () => UNDEFINED_FLAGS.multiply },
  bti: bitIndex(bt), btsi: bitIndex(bts), btri: bitIndex(btr), btci: bitIndex(btc),
  btmi: bitMemory(BitTestOperation.Test, true), btsmi: bitMemory(BitTestOperation.Set, true),
  btrmi: bitMemory(BitTestOperation.Reset, true), btcmi: bitMemory(BitTestOperation.Complement, true),
};

/** Per op and size: cases, and cases whose SDM-undefined flags differ from the host's. */
interface Tally { cases: number; undefinedDiffer: number; undefinedBits: number }

test('ALU functions match the host CPU on every alu-check case', (t) => {
  if (!existsSync(binary)) assert.fail(`${binary} is missing: build it with \`make -s -C userland\``);
  const seed = process.env.ALU_CHECK_SEED ?? '1';
  const random = process.env.ALU_CHECK_RANDOM ?? '2000';
  const output = execFileSync(binary, [seed, random], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const mismatches: string[] = [];
  const tallies = new Map<string, Tally>();
  let total = 0;
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const fields = line.split(' ');
    const checker = checkers[fields[0]];
    assert.ok(checker, `alu-check printed an unknown op: ${line}`);
    const size = Number(fields[1]) as OperandSize;
    const [a, b, c, flagsIn] = fields.slice(2, 6).map((field) => parseInt(field, 16));
    total++;
    aluOut.flags = -1;
    aluOut.high = -1;
    const result = checker.run(size, a, b, c, flagsIn | 0x202);
    if (fields[6] === 'DE' || result === DIVIDE_ERROR) {
      if (fields[6] !== 'DE' || result !== DIVIDE_ERROR) mismatches.push(`${line}   ir0: ${result === DIVIDE_ERROR ? 'DE' : result.toString(16)}`);
      continue;
    }
    const [hostResult, hostHigh, hostFlags] = fields.slice(6, 9).map((field) => parseInt(field, 16));
    const flags = aluOut.flags & 0x8d5;
    const undefinedMask = checker.undefinedFlags(size, a, b, c);
    const key = `${fields[0]} ${size}`;
    const tally = tallies.get(key) ?? { cases: 0, undefinedDiffer: 0, undefinedBits: 0 };
    tallies.set(key, tally);
    tally.cases++;
    const resultOk = result === hostResult && (!checker.high || aluOut.high === hostHigh);
    const resultUndefined = checker.undefinedResult?.(size, a, b, c) ?? false;
    if ((flags ^ hostFlags) & undefinedMask || (resultUndefined && !resultOk)) {
      tally.undefinedDiffer++;
      tally.undefinedBits |= (flags ^ hostFlags) & undefinedMask;
    }
    if ((!resultOk && !resultUndefined) || ((flags ^ hostFlags) & ~undefinedMask) !== 0) {
      mismatches.push(`${line}   ir0: ${result.toString(16)} ${checker.high ? aluOut.high.toString(16) : 0} ${flags.toString(16)}`);
    }
  }
  const report = [...tallies].filter(([, tally]) => tally.undefinedDiffer > 0)
    .map(([key, tally]) => `${key}: undefined flags ${tally.undefinedBits.toString(16)} or result differ in ${tally.undefinedDiffer}/${tally.cases}`);
  // On the reference host (AMD EPYC, Zen) this reports "none": ir0 reproduces the
  // SDM-undefined flags and results too. An Intel host will differ here without failing.
  t.diagnostic(`${total} cases; SDM-undefined flags/results differ from the host in: ${report.length === 0 ? 'none' : report.join('; ')}`);
  const perOp = new Map<string, string[]>();
  for (const mismatch of mismatches) {
    const key = mismatch.split(' ', 2).join(' ');
    perOp.set(key, [...(perOp.get(key) ?? []), mismatch]);
  }
  const examples = [...perOp].map(([key, lines]) => `${key}: ${lines.length}\n  ${lines.slice(0, 6).join('\n  ')}`);
  assert.equal(mismatches.length, 0, `mismatches (op size a b c flagsIn result high flags   ir0's):\n${examples.join('\n')}`);
});
