/**
 * Compiled blocks against the reference path (decode every instruction): same
 * registers, flags, memory, eip and retired count, including a fault in the
 * middle of a hot block and exits (syscall, budget) inside one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Exit, Vector } from '../../hal/vcpu.js';
import { machine } from './cpu-basic.test.js';

// mov ecx, 300; l: mov [ebx+ecx*4], eax; add eax, ecx; xor edx, eax; rol edx, 3; imul esi, edx, 7;
// push esi; pop edi; lea eax, [eax+edx*2+1]; dec ecx; jnz l; int 0x80
const LOOP = [0xb9, 0x2c, 0x01, 0, 0, 0x89, 0x04, 0x8b, 0x01, 0xc8, 0x31, 0xc2, 0xc1, 0xc2, 0x03, 0x6b, 0xf2, 0x07,
  0x56, 0x5f, 0x8d, 0x44, 0x50, 0x01, 0x49, 0x75, 0xea, 0xcd, 0x80];

function state(m: ReturnType<typeof machine>): string {
  return JSON.stringify([Array.from(m.cpu.gpr), m.cpu.eip, m.cpu.getEflags(), m.cpu.instructionsRetired, Array.from(m.memory.bytes.subarray(0x3000, 0x3500))]);
}

function fresh(reference: boolean): ReturnType<typeof machine> {
  const m = machine(LOOP);
  m.cpu.gpr[3] = 0x3000;
  m.cpu.referenceMode = reference;
  return m;
}

test('a hot loop gives the same state compiled and on the reference path', () => {
  const fast = fresh(false), reference = fresh(true);
  assert.equal(fast.cpu.run(1_000_000), Exit.Syscall);
  assert.equal(reference.cpu.run(1_000_000), Exit.Syscall);
  assert.ok(fast.cpu.blocksCompiled > 0, 'blocks were compiled');
  assert.equal(state(fast), state(reference));
});

test('budget exits inside hot code retire exactly the budget', () => {
  const fast = fresh(false), reference = fresh(true);
  for (const budget of [1, 7, 100, 333, 5, 1000]) {
    assert.equal(fast.cpu.run(budget), Exit.Budget);
    assert.equal(reference.cpu.run(budget), Exit.Budget);
    assert.equal(state(fast), state(reference), `after budget ${budget}`);
  }
});

test('a budget past 2^31 (and a retired count past it) runs to the exit and counts exactly', () => {
  const fast = fresh(false), reference = fresh(true);
  for (const m of [fast, reference]) {
    m.cpu.core.instructionsRetired = 2 ** 33 + 5;
    assert.equal(m.cpu.run(2 ** 40), Exit.Syscall);
  }
  assert.equal(state(fast), state(reference));
  assert.equal(fast.cpu.instructionsRetired, 2 ** 33 + 5 + 1 + 300 * 10 + 1);
});

test('a fault in the middle of a compiled block restores eip and the retired count', () => {
  const fast = fresh(false), reference = fresh(true);
  for (const m of [fast, reference]) {
    assert.equal(m.cpu.run(2000), Exit.Budget);
    m.memory.access[0x3] = 1; // the stores' page becomes read-only
    assert.equal(m.cpu.run(1_000_000), Exit.Exception);
    assert.equal(m.cpu.exitVector, Vector.PF);
  }
  assert.equal(fast.cpu.eip, 0x1005);
  assert.equal(state(fast), state(reference));
});

test('a long rep movsd inside a hot loop resumes itself and matches the reference path', () => {
  // mov ebx, 20; l: mov esi, 0x3000; mov edi, 0x6000; mov ecx, 5000; rep movsd; add eax, [0x6010]; dec ebx; jnz l; int 0x80
  const code = [0xbb, 20, 0, 0, 0, 0xbe, 0, 0x30, 0, 0, 0xbf, 0, 0x60, 0, 0, 0xb9, 0x88, 0x13, 0, 0, 0xf3, 0xa5,
    0x03, 0x05, 0x10, 0x60, 0, 0, 0x4b, 0x75, 0xe6, 0xcd, 0x80];
  const runs = [false, true].map((reference) => {
    const m = machine(code);
    for (let i = 0; i < 0x6000; i++) m.memory.bytes[0x3000 + i] = (i * 7) & 0xff;
    m.cpu.referenceMode = reference;
    assert.equal(m.cpu.run(10_000_000), Exit.Syscall);
    return JSON.stringify([Array.from(m.cpu.gpr), m.cpu.eip, m.cpu.getEflags(), m.cpu.instructionsRetired, Array.from(m.memory.bytes.subarray(0x3000, 0xb000))]);
  });
  assert.equal(runs[0], runs[1]);
});
