/**
 * Where x87 memory operands fault, against the host: #AC for every misaligned
 * operand with EFLAGS.AC set (8-byte m64/m80/m80bcd, 4-byte environment and
 * save areas), and CR2 when an environment or save area crosses into a page it
 * may not access (the host probes the first field, then the last byte). Each
 * case is one form with an absolute address and a small valid x87 state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPCODE_FORMS } from '../../machine/cpu/index.js';
import type { OpcodeForm } from '../../machine/cpu/opcode-form.js';
import { compareOutcomes, describeMismatch } from './compare.js';
import { GUARD_PAGE, READ_ONLY_PAGE, DATA_BASE, PAGE, type TestCase } from './layout.js';
import { harnessExists, nativeHello, runNative } from './native-runner.js';
import { VcpuRunner } from './vcpu-runner.js';
import { fninitImage } from './x87-image.js';

const AC = 1 << 18;

/** One x87 memory form at `address` (ModRM mod 0, rm 5: disp32), ST(0) = 1.0. */
function memoryCase(form: OpcodeForm, address: number, eflags: number): TestCase {
  const fpu = fninitImage();
  const view = new DataView(fpu.buffer);
  view.setUint16(4, 7 << 11, true); // TOP = 7
  view.setUint16(8, 0x3fff, true); // physical register 7 valid, the rest empty
  view.setUint32(32, 0x80000000, true);
  view.setUint16(36, 0x3fff, true);
  const code = new Uint8Array([...form.prefixes, ...form.opcode, ((form.digit ?? 0) << 3) | 5,
    address & 0xff, (address >>> 8) & 0xff, (address >>> 16) & 0xff, address >>> 24]);
  return {
    formIndex: OPCODE_FORMS.indexOf(form), gpr: [0, 0, 0, 0, DATA_BASE + PAGE + 0x800, 0, 0, 0],
    eflags: 0x202 | eflags, fs: 0, gs: 0, seed: 1, code, fpu, patches: [],
  };
}

test('x87 memory operands fault like the host (#AC alignment, CR2 of page-crossing areas)', { skip: !harnessExists() && 'cpu-harness not built' }, () => {
  const hello = nativeHello();
  const memoryForms = OPCODE_FORMS.filter((form) => form.fpu === true && form.modrm === 'mem' && form.untestable === undefined);
  assert.ok(memoryForms.length > 40, 'x87 memory forms missing from the opcode table');
  const cases: TestCase[] = [];
  for (const form of memoryForms) {
    for (const misalignment of [0, 1, 2, 4, 6]) cases.push(memoryCase(form, DATA_BASE + 0x100 + misalignment, AC));
  }
  const areas = (name: string): OpcodeForm => {
    const form = OPCODE_FORMS.find((f) => f.name === name);
    assert.ok(form, name);
    return form;
  };
  for (const start of [-108, -104, -64, -28, -27, -26, -24, -5, -4, -3, -1]) {
    cases.push(memoryCase(areas('fnstenv m14/28byte'), READ_ONLY_PAGE + start, 0));
    cases.push(memoryCase(areas('fnsave m94/108byte'), READ_ONLY_PAGE + start, 0));
    cases.push(memoryCase(areas('fldenv m14/28byte'), GUARD_PAGE + start, 0));
    cases.push(memoryCase(areas('frstor m94/108byte'), GUARD_PAGE + start, 0));
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
