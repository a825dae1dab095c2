import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { syscallMarkdown, syscallRows } from './syscall-list.js';

test('docs/syscalls.md is the table as generated (regenerate: npx ir0 syscalls --markdown > docs/syscalls.md)', () => {
  const committed = readFileSync(new URL('../../docs/syscalls.md', import.meta.url), 'utf8');
  assert.equal(committed, syscallMarkdown(syscallRows()));
});

