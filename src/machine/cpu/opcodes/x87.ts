/**
 * The x87 escape opcodes D8..DF and fwait (9B), dispatched to the FPU unit
 * (../fpu/x87.ts), which validates register forms itself (#UD). The forms
 * below are the encodings the unit implements, named as in the Intel SDM
 * vol. 2 opcode map (table A-7..A-22), with the undocumented aliases real
 * processors accept (fstp1, fxch4, fcom2, ...).
 */
import type { CpuCore } from '../cpu-core.js';
import type { Instruction } from '../instruction.js';
import { Vector } from '../../../hal/vcpu.js';
import { defineForm, type FormSpec, OSZAPC } from './form-spec.js';

/** Runs one x87 instruction; a fault the unit raises itself (#MF, #UD) becomes the exit vector. */
export function x87Escape(cpu: CpuCore, ins: Instruction): void {
  const address = ins.registerForm ? 0 : cpu.ea(ins);
  cpu.executeX87(ins.opcode, ins.modrm, address, (cpu.eip - ins.length) | 0);
}
/**
 * The same with a 0x66 prefix: the unit uses the 16-bit fnstenv/fldenv/fnsave/frstor
 * layouts (Intel SDM 1 §8.1.10, figure 8-11); other forms ignore the operand size.
 */
export function x87Escape16(cpu: CpuCore, ins: Instruction): void {
  cpu.x87.operandSize16 = true;
  try {
    x87Escape(cpu, ins);
  } finally {
    cpu.x87.operandSize16 = false;
  }
}

/**
 * An x87 store through CS (never writable in protected mode: #GP(0), Intel SDM 3A §5.5).
 * The waiting forms deliver a pending unmasked exception (#MF) first; the no-wait ones
 * (fnstenv, fnstcw D9 /6 /7; fnsave, fnstsw DD /6 /7) go straight to #GP (measured on the host).
 */
export function x87CodeSegmentWrite(cpu: CpuCore, ins: Instruction): void {
  const noWait = (ins.opcode === 0xd9 || ins.opcode === 0xdd) && ((ins.modrm >> 3) & 7) >= 6;
  if (!noWait) cpu.x87Wait();
  cpu.raise(Vector.GP, 0);
}

function fwait(cpu: CpuCore): void { cpu.x87Wait(); }

const MEMORY_FORMS: [number, string[]][] = [
  [0xd8, ['fadd m32fp', 'fmul m32fp', 'fcom m32fp', 'fcomp m32fp', 'fsub m32fp', 'fsubr m32fp', 'fdiv m32fp', 'fdivr m32fp']],
  [0xd9, ['fld m32fp', '', 'fst m32fp', 'fstp m32fp', 'fldenv m14/28byte', 'fldcw m2byte', 'fnstenv m14/28byte', 'fnstcw m2byte']],
  [0xda, ['fiadd m32int', 'fimul m32int', 'ficom m32int', 'ficomp m32int', 'fisub m32int', 'fisubr m32int', 'fidiv m32int', 'fidivr m32int']],
  [0xdb, ['fild m32int', 'fisttp m32int', 'fist m32int', 'fistp m32int', '', 'fld m80fp', '', 'fstp m80fp']],
  [0xdc, ['fadd m64fp', 'fmul m64fp', 'fcom m64fp', 'fcomp m64fp', 'fsub m64fp', 'fsubr m64fp', 'fdiv m64fp', 'fdivr m64fp']],
  [0xdd, ['fld m64fp', 'fisttp m64int', 'fst m64fp', 'fstp m64fp', 'frstor m94/108byte', '', 'fnsave m94/108byte', 'fnstsw m2byte']],
  [0xde, ['fiadd m16int', 'fimul m16int', 'ficom m16int', 'ficomp m16int', 'fisub m16int', 'fisubr m16int', 'fidiv m16int', 'fidivr m16int']],
  [0xdf, ['fild m16int', 'fisttp m16int', 'fist m16int', 'fistp m16int', 'fbld m80bcd', 'fild m64int', 'fbstp m80bcd', 'fistp m64int']],
];

/** Register forms: [opcode, first ModRM, last ModRM, name]. */
const REGISTER_FORMS: [number, number, number, string][] = [
  [0xd8, 0xc0, 0xc7, 'fadd st(0), st(i)'], [0xd8, 0xc8, 0xcf, 'fmul st(0), st(i)'], [0xd8, 0xd0, 0xd7, 'fcom st(i)'], [0xd8, 0xd8, 0xdf, 'fcomp st(i)'],
  [0xd8, 0xe0, 0xe7, 'fsub st(0), st(i)'], [0xd8, 0xe8, 0xef, 'fsubr st(0), st(i)'], [0xd8, 0xf0, 0xf7, 'fdiv st(0), st(i)'], [0xd8, 0xf8, 0xff, 'fdivr st(0), st(i)'],
  [0xd9, 0xc0, 0xc7, 'fld st(i)'], [0xd9, 0xc8, 0xcf, 'fxch st(i)'], [0xd9, 0xd0, 0xd0, 'fnop'], [0xd9, 0xd8, 0xdf, 'fstp1 st(i)'],
  [0xd9, 0xe0, 0xe0, 'fchs'], [0xd9, 0xe1, 0xe1, 'fabs'], [0xd9, 0xe4, 0xe4, 'ftst'], [0xd9, 0xe5, 0xe5, 'fxam'],
  [0xd9, 0xe8, 0xe8, 'fld1'], [0xd9, 0xe9, 0xe9, 'fldl2t'], [0xd9, 0xea, 0xea, 'fldl2e'], [0xd9, 0xeb, 0xeb, 'fldpi'],
  [0xd9, 0xec, 0xec, 'fldlg2'], [0xd9, 0xed, 0xed, 'fldln2'], [0xd9, 0xee, 0xee, 'fldz'],
  [0xd9, 0xf0, 0xf0, 'f2xm1'], [0xd9, 0xf1, 0xf1, 'fyl2x'], [0xd9, 0xf2, 0xf2, 'fptan'], [0xd9, 0xf3, 0xf3, 'fpatan'],
  [0xd9, 0xf4, 0xf4, 'fxtract'], [0xd9, 0xf5, 0xf5, 'fprem1'], [0xd9, 0xf6, 0xf6, 'fdecstp'], [0xd9, 0xf7, 0xf7, 'fincstp'],
  [0xd9, 0xf8, 0xf8, 'fprem'], [0xd9, 0xf9, 0xf9, 'fyl2xp1'], [0xd9, 0xfa, 0xfa, 'fsqrt'], [0xd9, 0xfb, 0xfb, 'fsincos'],
  [0xd9, 0xfc, 0xfc, 'frndint'], [0xd9, 0xfd, 0xfd, 'fscale'], [0xd9, 0xfe, 0xfe, 'fsin'], [0xd9, 0xff, 0xff, 'fcos'],
  [0xda, 0xc0, 0xc7, 'fcmovb st(0), st(i)'], [0xda, 0xc8, 0xcf, 'fcmove st(0), st(i)'], [0xda, 0xd0, 0xd7, 'fcmovbe st(0), st(i)'], [0xda, 0xd8, 0xdf, 'fcmovu st(0), st(i)'],
  [0xda, 0xe9, 0xe9, 'fucompp'],
  [0xdb, 0xc0, 0xc7, 'fcmovnb st(0), st(i)'], [0xdb, 0xc8, 0xcf, 'fcmovne st(0), st(i)'], [0xdb, 0xd0, 0xd7, 'fcmovnbe st(0), st(i)'], [0xdb, 0xd8, 0xdf, 'fcmovnu st(0), st(i)'],
  [0xdb, 0xe0, 0xe0, 'fneni'], [0xdb, 0xe1, 0xe1, 'fndisi'], [0xdb, 0xe2, 0xe2, 'fnclex'], [0xdb, 0xe3, 0xe3, 'fninit'], [0xdb, 0xe4, 0xe4, 'fnsetpm'],
  [0xdb, 0xe8, 0xef, 'fucomi st(0), st(i)'], [0xdb, 0xf0, 0xf7, 'fcomi st(0), st(i)'],
  [0xdc, 0xc0, 0xc7, 'fadd st(i), st(0)'], [0xdc, 0xc8, 0xcf, 'fmul st(i), st(0)'], [0xdc, 0xd0, 0xd7, 'fcom2 st(i)'], [0xdc, 0xd8, 0xdf, 'fcomp3 st(i)'],
  [0xdc, 0xe0, 0xe7, 'fsubr st(i), st(0)'], [0xdc, 0xe8, 0xef, 'fsub st(i), st(0)'], [0xdc, 0xf0, 0xf7, 'fdivr st(i), st(0)'], [0xdc, 0xf8, 0xff, 'fdiv st(i), st(0)'],
  [0xdd, 0xc0, 0xc7, 'ffree st(i)'], [0xdd, 0xc8, 0xcf, 'fxch4 st(i)'], [0xdd, 0xd0, 0xd7, 'fst st(i)'], [0xdd, 0xd8, 0xdf, 'fstp st(i)'],
  [0xdd, 0xe0, 0xe7, 'fucom st(i)'], [0xdd, 0xe8, 0xef, 'fucomp st(i)'],
  [0xde, 0xc0, 0xc7, 'faddp st(i), st(0)'], [0xde, 0xc8, 0xcf, 'fmulp st(i), st(0)'], [0xde, 0xd0, 0xd7, 'fcomp5 st(i)'], [0xde, 0xd9, 0xd9, 'fcompp'],
  [0xde, 0xe0, 0xe7, 'fsubrp st(i), st(0)'], [0xde, 0xe8, 0xef, 'fsubp st(i), st(0)'], [0xde, 0xf0, 0xf7, 'fdivrp st(i), st(0)'], [0xde, 0xf8, 0xff, 'fdivp st(i), st(0)'],
  [0xdf, 0xc0, 0xc7, 'ffreep st(i)'], [0xdf, 0xc8, 0xcf, 'fxch7 st(i)'], [0xdf, 0xd0, 0xd7, 'fstp8 st(i)'], [0xdf, 0xd8, 0xdf, 'fstp9 st(i)'],
  [0xdf, 0xe0, 0xe0, 'fnstsw ax'], [0xdf, 0xe8, 0xef, 'fucomip st(0), st(i)'], [0xdf, 0xf0, 0xf7, 'fcomip st(0), st(i)'],
];

const STORES = /^f(st|stp|ist|istp|isttp|bstp|nstenv|nstcw|nsave|nstsw) m/;

function forms(): FormSpec[] {
  const list: FormSpec[] = [];
  for (const [opcode, names] of MEMORY_FORMS) {
    names.forEach((name, digit) => {
      if (name === '') return;
      list.push(defineForm({ name, opcode: [opcode], modrm: 'mem', digit, fpu: true, writesMemory: STORES.test(name), handler: x87Escape }));
    });
  }
  for (const [opcode, low, high, name] of REGISTER_FORMS) {
    const comparesToFlags = /^f(u)?comip? /.test(name);
    list.push(defineForm({ name, opcode: [opcode], modrm: 'reg', digit: (low >> 3) & 7, modrmLow: low, modrmHigh: high, fpu: true, flagsWritten: comparesToFlags ? OSZAPC : 0, handler: x87Escape }));
  }
  list.push(defineForm({ name: 'fwait', opcode: [0x9b], fpu: true, handler: fwait }));
  return list;
}

export const X87_FORMS: readonly FormSpec[] = forms();
