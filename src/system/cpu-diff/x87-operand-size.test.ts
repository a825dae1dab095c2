/**
 * The 16-bit (0x66) layouts of fnstenv, fldenv, fnsave and frstor against the
 * host processor: generated cases of those forms with an operand-size prefix,
 * natively and on the vcpu (the decoder gives 0x66 x87 forms the handler that
 * tells the X87 unit the operand size).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPCODE_FORMS } from '../../machine/cpu/index.js';
import { CaseGenerator } from './case-generator.js';
import { compareOutcomes, describeMismatch } from './compare.js';
import { harnessExists, nativeHello, runNative } from './native-runner.js';
import { VcpuRunner } from './vcpu-runner.js';
import type { TestCase } from './layout.js';

const FORMS = ['fnstenv m14/28byte', 'fldenv m14/28byte', 'fnsave m94/108byte', 'frstor m94/108byte'];
const CASES_PER_FORM = 150;

test('16-bit fnstenv/fldenv/fnsave/frstor match the host', { skip: !harnessExists() && 'cpu-harness not built' }, () => {
  const hello = nativeHello();
  const generator = new CaseGenerator(0x16b17, { tlsSelector: (hello.tlsEntry << 3) | 3 });
  const forms = OPCODE_FORMS.filter((form) => FORMS.includes(form.name));
  assert.equal(forms.length, FORMS.length, 'forms renamed in the opcode table');
  const cases: TestCase[] = [];
  for (const form of forms) {
    for (let i = 0; i < CASES_PER_FORM; i++) {
      const testCase = generator.generate(form, OPCODE_FORMS.indexOf(form));
      cases.push({ ...testCase, code: new Uint8Array([0x66, ...testCase.code]) });
    }
  }
  const { outcomes } = runNative(cases);
  const runner = new VcpuRunner(hello.tlsEntry);
  const failures: string[] = [];
  cases.forEach((testCase, i) => {
    const form = OPCODE_FORMS[testCase.formIndex];
    const differences = compareOutcomes(form, outcomes[i], runner.run(testCase));
    if (differences.length > 0 && failures.length < 10) failures.push(describeMismatch(form, testCase, differences));
  });
  assert.deepEqual(failures, []);
});
