/**
 * The vcpu never throws a host exception, whatever the x87 state: a regression
 * test for "RangeError: Maximum call stack size exceeded" seen in fyl2xp1 and
 * fistp m32int (the double-double e^x - 1 recursed without end on a
 * non-finite argument, which the logarithms can produce; the fistp input was
 * not recorded). Runs the vcpu alone (no host processor needed), many
 * generated cases per x87 form.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPCODE_FORMS } from '../../machine/cpu/index.js';
import { expMinusOne, logOnePlus } from '../../machine/cpu/fpu/double-double.js';
import { CaseGenerator } from './case-generator.js';
import { describeMismatch } from './compare.js';
import { VcpuRunner } from './vcpu-runner.js';

/** set_thread_area's usual GDT entry on x86-64 Linux; the value only shapes FS/GS cases. */
const TLS_ENTRY = 12;

test('e^x - 1 and ln(1 + x) of non-finite values return instead of recursing', () => {
  assert.deepEqual(expMinusOne([-Infinity, 0]), [-1, 0]);
  assert.ok(Number.isNaN(expMinusOne([Infinity * 0, 0])[0]));
  assert.ok(Number.isNaN(expMinusOne([Infinity, 0])[0]));
  assert.doesNotThrow(() => logOnePlus([-1, 0]));
});

test('no x87 form throws a host exception on the vcpu (fyl2xp1 and fistp m32int with 2000 cases each)', () => {
  const generator = new CaseGenerator(0x5eed87, { tlsSelector: (TLS_ENTRY << 3) | 3 });
  const vcpu = new VcpuRunner(TLS_ENTRY);
  const forms = OPCODE_FORMS.filter((form) => form.fpu === true && form.untestable === undefined);
  assert.ok(forms.length > 100, 'x87 forms missing from the opcode table');
  for (const form of forms) {
    const count = form.name === 'fyl2xp1' || form.name === 'fistp m32int' ? 2000 : 40;
    for (let i = 0; i < count; i++) {
      const testCase = generator.generate(form, OPCODE_FORMS.indexOf(form));
      const outcome = vcpu.run(testCase);
      if (outcome.error !== undefined) {
        assert.fail(describeMismatch(form, testCase, [{ field: 'host exception', native: 'none', vcpu: outcome.error }]));
      }
    }
  }
});
