/**
 * The differential test of the vcpu against the host processor: for every
 * form of the opcode table, generate cases, run them natively (cpu-harness)
 * and on the vcpu, compare, and report coverage and mismatches.
 * `runCpuDiff({ casesPerForm })` is used by cpu-diff.test.ts and `ir0 cpu-diff`.
 */
import type { OpcodeForm } from '../../machine/cpu/opcode-form.js';
import { OPCODE_FORMS } from '../../machine/cpu/index.js';
import { CaseGenerator, HARNESS_EXCLUDED, opcodeKey } from './case-generator.js';
import { compareOutcomes, describeMismatch } from './compare.js';
import type { TestCase } from './layout.js';
import { nativeHello, runNative } from './native-runner.js';
import { VcpuRunner } from './vcpu-runner.js';
import { UNDEFINED_ENCODINGS } from './undefined-encodings.js';

export interface CpuDiffOptions {
  casesPerForm: number;
  seed?: number;
  /** Only forms whose name contains this text. */
  filter?: string;
  /** Mismatch descriptions kept in the report (all are counted). */
  maxDescriptions?: number;
  forms?: readonly OpcodeForm[];
  /** Run the vcpu's reference path (decode every instruction) rather than its code cache. */
  reference?: boolean;
  /** Also run the reserved encodings of undefined-encodings.ts (expected #UD). Default true. */
  undefinedEncodings?: boolean;
  /**
   * Also run forms the table marks untestable, except those the harness can
   * never run (HARNESS_EXCLUDED): shows which marks the harness makes unnecessary.
   */
  includeUntestable?: boolean;
}

export interface CpuDiffReport {
  formsAccepted: number;
  formsTested: number;
  /** Forms with at least one case that ran to the trailing int3 natively (not only faults). */
  formsCompleted: number;
  untestable: { name: string; reason: string }[];
  cases: number;
  mismatchedCases: number;
  /** Mismatched case count by form name. */
  mismatchesByForm: Map<string, number>;
  /** Mismatched case count by compared field (exception, eax, eflags, memory, ...). */
  mismatchesByField: Map<string, number>;
  descriptions: string[];
  coverageLine: string;
}

/** Cases per harness process: bounds the memory of one batch. */
const BATCH = 20000;

export function runCpuDiff(options: CpuDiffOptions): CpuDiffReport {
  const tableForms = options.forms ?? OPCODE_FORMS;
  const extraForms = options.undefinedEncodings === false ? [] : UNDEFINED_ENCODINGS;
  const allForms = [...tableForms, ...extraForms];
  const selected = (f: OpcodeForm): boolean => !options.filter || f.name.includes(options.filter);
  const forms = tableForms.filter(selected);
  const hello = nativeHello();
  const generator = new CaseGenerator(options.seed ?? 0x1d0c0de, { tlsSelector: (hello.tlsEntry << 3) | 3 });
  const runnable = (f: OpcodeForm): boolean => f.untestable === undefined ||
    (options.includeUntestable === true && !HARNESS_EXCLUDED.has(opcodeKey(f)));
  const untestable = forms.filter((f) => !runnable(f)).map((f) => ({ name: f.name, reason: f.untestable ?? 'excluded by the harness' }));
  const testable = [...forms.filter(runnable), ...extraForms.filter(selected)];

  const cases: TestCase[] = [];
  for (let round = 0; round < options.casesPerForm; round++) {
    testable.forEach((form) => cases.push(generator.generate(form, allForms.indexOf(form))));
  }

  const vcpu = new VcpuRunner(hello.tlsEntry, options.reference === true);
  const mismatchesByForm = new Map<string, number>();
  const mismatchesByField = new Map<string, number>();
  const descriptions: string[] = [];
  const completed = new Set<number>();
  let mismatchedCases = 0;
  for (let start = 0; start < cases.length; start += BATCH) {
    const batch = cases.slice(start, start + BATCH);
    const { outcomes } = runNative(batch);
    batch.forEach((testCase, i) => {
      const form = allForms[testCase.formIndex];
      const native = outcomes[i];
      if (native.trapno === 3 && native.eip !== 0x20000801) completed.add(testCase.formIndex);
      const differences = compareOutcomes(form, native, vcpu.run(testCase));
      if (differences.length === 0) return;
      mismatchedCases++;
      mismatchesByForm.set(form.name, (mismatchesByForm.get(form.name) ?? 0) + 1);
      for (const d of differences) mismatchesByField.set(d.field, (mismatchesByField.get(d.field) ?? 0) + 1);
      if (descriptions.length < (options.maxDescriptions ?? 50)) descriptions.push(describeMismatch(form, testCase, differences));
    });
  }

  const formsTested = testable.length - extraForms.filter(selected).length;
  const coverageLine = `opcode forms tested ${formsTested} of ${forms.length} accepted by the decoder ` +
    `plus ${extraForms.filter(selected).length} undefined encodings ` +
    `(${untestable.length} untestable, ${completed.size} ran to completion natively); ` +
    `${cases.length} cases, ${mismatchedCases} mismatched in ${mismatchesByForm.size} forms`;
  return {
    formsAccepted: forms.length, formsTested, formsCompleted: completed.size, untestable, cases: cases.length,
    mismatchedCases, mismatchesByForm, mismatchesByField, descriptions, coverageLine,
  };
}

/** The report as text: coverage, untestable forms with reasons, mismatch counts and examples. */
export function formatReport(report: CpuDiffReport): string {
  const lines = [report.coverageLine];
  if (report.untestable.length) {
    lines.push('untestable forms:');
    for (const u of report.untestable) lines.push(`  ${u.name}: ${u.reason}`);
  }
  if (report.mismatchesByForm.size) {
    lines.push('mismatches by form:');
    for (const [name, count] of [...report.mismatchesByForm].sort((a, b) => b[1] - a[1])) lines.push(`  ${name}: ${count}`);
    lines.push('mismatches by field: ' + [...report.mismatchesByField].sort((a, b) => b[1] - a[1]).map(([f, n]) => `${f} ${n}`).join(', '));
    lines.push('examples:', ...report.descriptions);
  }
  return lines.join('\n');
}
