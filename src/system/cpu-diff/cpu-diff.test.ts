/**
 * The differential CPU test: every form of the opcode table the harness can
 * run — including those the table marks untestable for the default generator
 * (privileged forms, 16-bit eip branches, segment loads, int n) — a few cases
 * each, natively (userland/cpu-harness) and on the vcpu, with zero mismatches
 * expected. Only the harness's exclusions (HARNESS_EXCLUDED: forms that enter
 * the host kernel or read host-specific values) are left out, with reasons. IR0_CPU_DIFF_CASES=N runs N cases per form (default 8);
 * `npx ir0 cpu-diff --cases N` is the same with a full report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPCODE_FORMS } from '../../machine/cpu/index.js';
import { formatReport, runCpuDiff } from './cpu-diff.js';
import { harnessExists, harnessPath } from './native-runner.js';

const casesPerForm = Number(process.env.IR0_CPU_DIFF_CASES ?? 8);

test('the native harness is built', () => {
  assert.ok(harnessExists(), `missing ${harnessPath()}: run make -C userland (needs gcc-multilib)`);
});

test('every untestable form says why', () => {
  for (const form of OPCODE_FORMS) if (form.untestable !== undefined) assert.ok(form.untestable.length > 0, form.name);
});

test(`the vcpu matches the host processor on every form (${casesPerForm} cases per form)`, () => {
  const report = runCpuDiff({ casesPerForm, maxDescriptions: 40, includeUntestable: true });
  process.stdout.write(report.coverageLine + '\n');
  assert.ok(report.formsTested > 0, 'no forms tested');
  assert.equal(report.mismatchedCases, 0, formatReport(report));
});
