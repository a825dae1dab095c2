/** The bench output formats: aligned table rows, JSON lines, and the geometric mean. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonReporter, TableReporter } from './report.js';
import { geometricMean } from './statistics.js';
import type { BenchColumn } from './suite.js';

const columns: BenchColumn[] = [
  { key: 'name', heading: 'program', width: 8 },
  { key: 'mips', heading: 'MIPS', width: 7, digits: 1 },
  { key: 'qemuSeconds', heading: 'qemu s', width: 7, digits: 2 },
];

test('geometric mean of speeds', () => {
  assert.equal(geometricMean([4, 9]), 6);
  assert.ok(Math.abs(geometricMean([10, 100, 1000]) - 100) < 1e-9);
  assert.ok(Number.isNaN(geometricMean([])));
});

test('table rows align under their headings and print null as -', () => {
  let out = '';
  const reporter = new TableReporter((text) => (out += text));
  reporter.begin('cpu', columns);
  reporter.row({ name: 'integer', mips: 123.456, qemuSeconds: null });
  reporter.row({ name: 'float', mips: null, qemuSeconds: 1.5, error: 'ir0 output differs' });
  reporter.end({ text: 'geometric mean: 123.5 MIPS', values: {}, ok: false });
  const lines = out.split('\n');
  assert.equal(lines[0], 'bench cpu');
  assert.equal(lines[1], 'program      MIPS   qemu s');
  assert.equal(lines[2], 'integer     123.5        -');
  assert.equal(lines[3], 'float           -     1.50');
  assert.equal(lines[4], '  FAILED float: ir0 output differs');
  assert.equal(lines[5], 'geometric mean: 123.5 MIPS');
});

test('JSON lines carry the suite, every row field and a final summary object', () => {
  let out = '';
  const reporter = new JsonReporter((text) => (out += text));
  reporter.begin('cpu');
  reporter.row({ name: 'integer', mips: 80, qemuSeconds: null });
  reporter.end({ text: '', values: { geometricMeanMips: 80 }, ok: true });
  const objects = out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(objects[0], { suite: 'cpu', name: 'integer', mips: 80, qemuSeconds: null });
  assert.deepEqual(objects[1], { suite: 'cpu', summary: true, ok: true, geometricMeanMips: 80 });
});
