/**
 * Compares a native Outcome with the vcpu's and describes the differences.
 * Masked, and why: EFLAGS bits the Intel SDM leaves undefined after the form
 * (form.flagsUndefined); RF, IF, IOPL, VM, VIF, VIP and bit 1, which the host
 * kernel and the exception mechanism own (the CPU sets RF in the EFLAGS image
 * of a fault, Intel SDM 3A §17.3.1.1); the #PF error code's I/D bit (the host
 * uses PAE paging with NX, the i686 vcpu 32-bit paging without it); CR2 except
 * after a #PF; the error code except for vectors that push one; the x87
 * instruction and operand pointers (bytes 12..27 of the fnsave image: the
 * x86-64 kernel fills FCS/FOS from its own segment registers, and AMD CPUs
 * save FIP/FDP only when an exception is pending); the upper halves of the
 * control, status and tag words; the condition codes the SDM leaves undefined
 * (x87-undefined.ts); and the contents of empty x87 registers.
 * One tolerance: the results of the transcendental instructions (fsin, fcos,
 * fsincos, fptan, fpatan, f2xm1, fyl2x, fyl2xp1) may differ by one unit in the
 * last place of the 64-bit significand, and C1 of an inexact result (PE set on
 * both sides), which reports the direction in which that result was rounded,
 * may differ too: Intel SDM 1 §8.3.10 gives their accuracy only as an error
 * bound (within 1 ulp), not as a correctly rounded result, so two conforming
 * implementations may round the same exact value from different sides.
 */
import type { OpcodeForm } from '../../machine/cpu/opcode-form.js';
import { Flag, Vector } from '../../hal/vcpu.js';
import type { Outcome, TestCase } from './layout.js';
import { x87UndefinedStatus } from './x87-undefined.js';

export const KERNEL_OWNED_FLAGS = Flag.RF | Flag.IF | Flag.IOPL | Flag.VM | Flag.VIF | Flag.VIP | 2;
const ERROR_CODE_VECTORS = new Set<number>([Vector.DF, Vector.TS, Vector.NP, Vector.SS, Vector.GP, Vector.PF, Vector.AC]);
const REGISTER_NAMES = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const SEGMENT_NAMES = ['es', 'ds', 'fs', 'gs'];

export interface Difference {
  field: string;
  native: string;
  vcpu: string;
}

const hex = (value: number): string => '0x' + (value >>> 0).toString(16);

function vectorName(trapno: number): string {
  if (trapno === -1) return 'did not stop';
  if (trapno < -1) return `exit ${-2 - trapno}`;
  const entry = Object.entries(Vector).find(([, v]) => v === trapno);
  return entry ? `#${entry[0]}` : `vector ${trapno}`;
}

function word(image: Uint8Array, at: number): number {
  return image[at] | (image[at + 1] << 8);
}

export function compareOutcomes(form: OpcodeForm, native: Outcome, vcpu: Outcome): Difference[] {
  const differences: Difference[] = [];
  const add = (field: string, a: string, b: string): void => { if (a !== b) differences.push({ field, native: a, vcpu: b }); };
  if (vcpu.error !== undefined) differences.push({ field: 'host exception', native: 'none', vcpu: vcpu.error });
  const nativeTrap = native.trapno === 0xffffffff ? -1 : native.trapno;
  add('exception', vectorName(nativeTrap), vectorName(vcpu.trapno));
  for (let i = 0; i < 8; i++) add(REGISTER_NAMES[i], hex(native.gpr[i]), hex(vcpu.gpr[i]));
  add('eip', hex(native.eip), hex(vcpu.eip));
  const flagMask = ~(KERNEL_OWNED_FLAGS | form.flagsUndefined);
  add('eflags', hex(native.eflags & flagMask), hex(vcpu.eflags & flagMask));
  for (let i = 0; i < 4; i++) add(SEGMENT_NAMES[i], hex(native.segments[i] & 0xffff), hex(vcpu.segments[i] & 0xffff));
  if (nativeTrap === vcpu.trapno && ERROR_CODE_VECTORS.has(nativeTrap)) {
    const errMask = nativeTrap === Vector.PF ? ~0x10 : ~0;
    add('error code', hex(native.err & errMask), hex(vcpu.err & errMask));
  }
  if (nativeTrap === Vector.PF && vcpu.trapno === Vector.PF) add('cr2', hex(native.cr2), hex(vcpu.cr2));
  if (native.regionHash !== vcpu.regionHash) {
    const show = (o: Outcome): string => `${o.diffCount} bytes changed: ` +
      o.diffs.slice(0, 12).map((d) => `+${hex(d & 0xffffff)}=${(d >>> 24).toString(16).padStart(2, '0')}`).join(' ');
    differences.push({ field: 'memory', native: show(native), vcpu: show(vcpu) });
  }
  if (form.fpu) compareX87(native.fpu, vcpu.fpu, ~x87UndefinedStatus(form), TRANSCENDENTAL.test(form.mnemonic), add);
  return differences;
}

/** The instructions whose results carry the 1-ulp tolerance (Intel SDM 1 §8.3.10). */
const TRANSCENDENTAL = /^(fsin|fcos|fsincos|fptan|fpatan|f2xm1|fyl2x|fyl2xp1)$/;
const C1 = 0x0200, PE = 0x0020;

function compareX87(native: Uint8Array, vcpu: Uint8Array, statusMask: number, tolerant: boolean,
  add: (f: string, a: string, b: string) => void): void {
  add('fpu control', hex(word(native, 0)), hex(word(vcpu, 0)));
  const tags = word(native, 8);
  add('fpu tags', hex(tags), hex(word(vcpu, 8)));
  const top = (word(native, 4) >> 11) & 7;
  let withinTolerance = false;
  for (let i = 0; i < 8; i++) {
    if (((tags >> (((top + i) & 7) * 2)) & 3) === 3) continue;
    const at = 28 + i * 10;
    const bytes = (image: Uint8Array): string => Array.from(image.subarray(at, at + 10)).reverse()
      .map((b) => b.toString(16).padStart(2, '0')).join('');
    if (tolerant && bytes(native) !== bytes(vcpu) && withinOneUlp(native, vcpu, at)) {
      withinTolerance = true;
      continue;
    }
    add(`st(${i})`, bytes(native), bytes(vcpu));
  }
  const inexact = (word(native, 4) & word(vcpu, 4) & PE) !== 0;
  const mask = tolerant && (withinTolerance || inexact) ? statusMask & ~C1 : statusMask;
  add('fpu status', hex(word(native, 4) & mask), hex(word(vcpu, 4) & mask));
}

/**
 * Two 80-bit values of the same sign one unit in the last place apart. As
 * exponent * 2^63 + fraction (the explicit integer bit dropped) consecutive
 * finite values, denormals included, are consecutive integers.
 */
function withinOneUlp(native: Uint8Array, vcpu: Uint8Array, at: number): boolean {
  const key = (image: Uint8Array): bigint => {
    let significand = 0n;
    for (let i = 7; i >= 0; i--) significand = (significand << 8n) | BigInt(image[at + i]);
    const signExponent = word(image, at + 8);
    const exponent = BigInt(signExponent & 0x7fff);
    return (exponent << 63n) + (exponent === 0n ? significand : significand & ((1n << 63n) - 1n));
  };
  if ((word(native, at + 8) & 0x8000) !== (word(vcpu, at + 8) & 0x8000)) return false;
  if ((word(native, at + 8) & 0x7fff) === 0x7fff || (word(vcpu, at + 8) & 0x7fff) === 0x7fff) return false;
  const difference = key(native) - key(vcpu);
  return difference === 1n || difference === -1n;
}

/** One line per difference, after a line naming the case: form, bytes, input state. */
export function describeMismatch(form: OpcodeForm, testCase: TestCase, differences: readonly Difference[]): string {
  const bytes = Array.from(testCase.code, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const registers = testCase.gpr.map((v, i) => `${REGISTER_NAMES[i]}=${hex(v)}`).join(' ');
  const lines = [
    `${form.name} [${bytes}] ${registers} eflags=${hex(testCase.eflags)} fs=${hex(testCase.fs)} gs=${hex(testCase.gs)} ` +
      `seed=${hex(testCase.seed)}${testCase.patches.length ? ' patches=' + testCase.patches.map((p) => `+${hex(p.offset)}:${hex(p.value)}`).join(',') : ''}`,
    ...(form.fpu ? [`    x87 in: ${describeX87(testCase.fpu)}`] : []),
    ...differences.map((d) => `    ${d.field}: native ${d.native}, vcpu ${d.vcpu}`),
  ];
  return lines.join('\n');
}

/** The x87 part of an fnsave image: control, status, tags and the registers in use. */
export function describeX87(image: Uint8Array): string {
  const tags = word(image, 8);
  const top = (word(image, 4) >> 11) & 7;
  const registers: string[] = [];
  for (let i = 0; i < 8; i++) {
    if (((tags >> (((top + i) & 7) * 2)) & 3) === 3) continue;
    const bytes = Array.from(image.subarray(28 + i * 10, 38 + i * 10)).reverse().map((b) => b.toString(16).padStart(2, '0')).join('');
    registers.push(`st(${i})=${bytes}`);
  }
  return `cw=${hex(word(image, 0))} sw=${hex(word(image, 4))} tw=${hex(tags)} ${registers.join(' ') || 'empty'}`;
}
