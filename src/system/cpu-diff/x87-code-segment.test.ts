/**
 * x87 stores through a CS override against the host: CS is never writable in
 * protected mode (#GP(0), SIGSEGV), but a waiting store first delivers a pending
 * unmasked x87 exception (#MF, SIGFPE); the no-wait stores (fnstenv, fnstcw,
 * fnsave, fnstsw) do not wait. Each store form runs with and without a pending
 * exception, and with a 0x66 prefix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPCODE_FORMS } from '../../machine/cpu/index.js';
import type { OpcodeForm } from '../../machine/cpu/opcode-form.js';
import { compareOutcomes, describeMismatch } from './compare.js';
import { DATA_BASE, PAGE, type TestCase } from './layout.js';
import { harnessExists, nativeHello, runNative } from './native-runner.js';
import { VcpuRunner } from './vcpu-runner.js';
import { fninitImage } from './x87-image.js';

/** The x87 forms that write their memory operand, by their names in the opcode table. */
const STORES = /^f(st|stp|ist|istp|isttp|bstp|nstenv|nstcw|nsave|nstsw) m/;

/** `prefixes` store `form` to DATA_BASE + 0x100 (disp32) through CS; ST(0) = 1.0, IE pending and unmasked when `pending`. */
function storeCase(form: OpcodeForm, prefixes: number[], pending: boolean): TestCase {
  const fpu = fninitImage();
  const view = new DataView(fpu.buffer);
  if (pending) {
    view.setUint16(0, 0x037e, true); // IE unmasked
    view.setUint16(4, (7 << 11) | 0x0081, true); // TOP = 7, IE and ES set
  } else {
    view.setUint16(4, 7 << 11, true);
  }
  view.setUint16(8, 0x3fff, true); // physical register 7 valid, the rest empty
  view.setUint32(32, 0x80000000, true);
  view.setUint16(36, 0x3fff, true);
  const address = DATA_BASE + 0x100;
  const code = new Uint8Array([...prefixes, ...form.prefixes, ...form.opcode, ((form.digit ?? 0) << 3) | 5,
    address & 0xff, (address >>> 8) & 0xff, (address >>> 16) & 0xff, address >>> 24]);
  return {
    formIndex: OPCODE_FORMS.indexOf(form), gpr: [0, 0, 0, 0, DATA_BASE + PAGE + 0x800, 0, 0, 0],
    eflags: 0x202, fs: 0, gs: 0, seed: 1, code, fpu, patches: [],
  };
}

test('x87 stores through CS: #MF first for the waiting forms, #GP for all', { skip: !harnessExists() && 'cpu-harness not built' }, () => {
  const hello = nativeHello();
  const stores = OPCODE_FORMS.filter((form) => form.fpu === true && form.modrm === 'mem' && STORES.test(form.name)
    && form.untestable === undefined);
  assert.equal(stores.length, 18, 'x87 store forms missing from the opcode table');
  const cases: TestCase[] = [];
  for (const form of stores) {
    for (const prefixes of [[0x2e], [0x66, 0x2e]]) {
      cases.push(storeCase(form, prefixes, false), storeCase(form, prefixes, true));
    }
  }
  const { outcomes } = runNative(cases);
  const vcpu = new VcpuRunner(hello.tlsEntry);
  const failures: string[] = [];
  cases.forEach((testCase, i) => {
    const form = OPCODE_FORMS[testCase.formIndex];
    const differences = compareOutcomes(form, outcomes[i], vcpu.run(testCase));
    if (differences.length > 0 && failures.length < 10) failures.push(describeMismatch(form, testCase, differences));
  });
  assert.deepEqual(failures, []);
});
