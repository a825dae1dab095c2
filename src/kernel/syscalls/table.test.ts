import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { syscallCounts, syscallNames, syscallTable } from './index.js';

const header = '/usr/include/x86_64-linux-gnu/asm/unistd_32.h';

test('every syscall number of asm/unistd_32.h has a table entry', { skip: !existsSync(header) && 'no i386 headers' }, () => {
  const numbers = [...readFileSync(header, 'utf8').matchAll(/^#define __NR_(\w+) (\d+)$/gm)];
  assert.ok(numbers.length > 400);
  for (const [, name, number] of numbers) {
    assert.equal(syscallNames[Number(number)], name);
    assert.ok(syscallTable.has(Number(number)), `no entry for ${name}`);
  }
  const counts = syscallCounts();
  assert.equal(counts.supported! + counts.partial! + counts.unsupported!, numbers.length);
  for (const entry of syscallTable.values()) {
    if (entry.support === 'partial') assert.ok(entry.note.length > 0, 'a partial entry says what is missing');
    if (entry.support !== 'unsupported') assert.ok(entry.handler);
  }
});
