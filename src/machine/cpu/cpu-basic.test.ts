/** First programs on the Cpu over a flat memory: moves, arithmetic, branches, calls, syscall and int3 exits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cpu } from './cpu.js';
import { FlatMemory } from './flat-memory.js';
import { Exit, Vector } from '../../hal/vcpu.js';
import { DECODE_CONFLICTS } from './decode-table.js';

export function machine(code: number[], at = 0x1000): { cpu: Cpu; memory: FlatMemory } {
  const memory = new FlatMemory(1 << 20);
  memory.bytes.set(code, at);
  const cpu = new Cpu(memory);
  cpu.eip = at;
  cpu.gpr[4] = 0x80000;
  return { cpu, memory };
}

test('the decode table has no conflicting forms', () => {
  assert.deepEqual(DECODE_CONFLICTS, []);
});

test('sum 1..10 with a loop, then int 0x80', () => {
  // mov ecx,10; xor eax,eax; l: add eax,ecx; dec ecx; jnz l; int 0x80
  const { cpu } = machine([0xb9, 10, 0, 0, 0, 0x31, 0xc0, 0x01, 0xc8, 0x49, 0x75, 0xfb, 0xcd, 0x80]);
  assert.equal(cpu.run(1000), Exit.Syscall);
  assert.equal(cpu.gpr[0], 55);
  assert.equal(cpu.eip, 0x1000 + 14);
});

test('call/ret/push/pop and int3 trap', () => {
  // call f; int3; f: push ebx; mov ebx,7; lea eax,[ebx+ebx*2+1]; pop ebx; ret
  const { cpu } = machine([0xe8, 1, 0, 0, 0, 0xcc, 0x53, 0xbb, 7, 0, 0, 0, 0x8d, 0x44, 0x5b, 0x01, 0x5b, 0xc3]);
  cpu.gpr[3] = 99;
  assert.equal(cpu.run(1000), Exit.Exception);
  assert.equal(cpu.exitVector, Vector.BP);
  assert.equal(cpu.gpr[0], 22);
  assert.equal(cpu.gpr[3], 99);
  assert.equal(cpu.eip, 0x1006);
  assert.equal(cpu.gpr[4], 0x80000);
});

test('budget exit and resume', () => {
  const { cpu } = machine([0xeb, 0xfe]);
  assert.equal(cpu.run(100), Exit.Budget);
  assert.equal(cpu.instructionsRetired, 100);
  assert.equal(cpu.eip, 0x1000);
});
