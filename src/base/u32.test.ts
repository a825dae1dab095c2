import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex, i8, i16, u32 } from './u32.js';

test('u32 helpers agree with two\'s complement', () => {
  assert.equal(u32(-1), 0xffffffff);
  assert.equal(i8(0x80), -128);
  assert.equal(i16(0xffff), -1);
  assert.equal(hex(0x1f, 4), '001f');
});
