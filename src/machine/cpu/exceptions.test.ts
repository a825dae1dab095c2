/**
 * Exceptions and the no-partial-state rule: a faulting instruction leaves
 * registers, flags and eip as they were (eip at the instruction); traps leave
 * eip after it. Expected vectors follow the Intel SDM; the differential test
 * (src/system/cpu-diff) checks the same against the host processor.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Exit, Flag, Vector } from '../../hal/vcpu.js';
import { machine } from './cpu-basic.test.js';

function snapshot(cpu: { gpr: Int32Array; eip: number; getEflags(): number }): string {
  return JSON.stringify([Array.from(cpu.gpr), cpu.eip, cpu.getEflags()]);
}

test('#DE on divide by zero and on quotient overflow, nothing changed', () => {
  for (const [eax, edx, divisor] of [[10, 0, 0], [0, 1, 1]]) {
    const { cpu } = machine([0xf7, 0xf1]); // div ecx
    cpu.gpr[0] = eax; cpu.gpr[2] = edx; cpu.gpr[1] = divisor;
    const before = snapshot(cpu);
    assert.equal(cpu.run(10), Exit.Exception);
    assert.equal(cpu.exitVector, Vector.DE);
    assert.equal(snapshot(cpu), before);
  }
});

test('#PF on a store leaves registers and flags (push, call, pusha esp, xchg, adc)', () => {
  const programs = [[0x50], [0xe8, 0, 0, 0, 0], [0x87, 0x03], [0x11, 0x03], [0xff, 0x03], [0xc1, 0x23, 0x00]];
  for (const code of programs) {
    const { cpu, memory } = machine(code);
    cpu.gpr[3] = 0x40000; // ebx -> read-only page
    memory.access[0x40] = 1;
    memory.access[0x7f] = 1; // the stack page below esp
    cpu.setEflags(Flag.CF | Flag.ZF);
    const before = snapshot(cpu);
    assert.equal(cpu.run(10), Exit.Exception, code.join(' '));
    assert.equal(cpu.exitVector, Vector.PF);
    assert.equal(cpu.exitErrorCode & 2, 2, 'a write fault');
    assert.equal(snapshot(cpu), before, code.map((b) => b.toString(16)).join(' '));
  }
});

test('a read-modify-write of an absent page faults as a write', () => {
  const { cpu, memory } = machine([0x01, 0x03]); // add [ebx], eax
  cpu.gpr[3] = 0x40000;
  memory.access[0x40] = 0;
  assert.equal(cpu.run(10), Exit.Exception);
  assert.equal(cpu.exitErrorCode, 6);
  assert.equal(cpu.cr2, 0x40000);
});

test('traps leave eip after the instruction: int3, into, int 3; int 0x80 is a syscall; int 0x81 is #GP(0x40a)', () => {
  let m = machine([0xcc]);
  assert.equal(m.cpu.run(10), Exit.Exception);
  assert.deepEqual([m.cpu.exitVector, m.cpu.eip], [Vector.BP, 0x1001]);
  m = machine([0x70 + 0, 0, 0xce]); // jo +0; into (OF set by setEflags)
  m.cpu.setEflags(Flag.OF);
  assert.equal(m.cpu.run(10), Exit.Exception);
  assert.deepEqual([m.cpu.exitVector, m.cpu.eip], [Vector.OF, 0x1003]);
  m = machine([0xcd, 0x80]);
  assert.equal(m.cpu.run(10), Exit.Syscall);
  assert.equal(m.cpu.eip, 0x1002);
  m = machine([0xcd, 0x81]);
  assert.equal(m.cpu.run(10), Exit.Exception);
  assert.deepEqual([m.cpu.exitVector, m.cpu.exitErrorCode, m.cpu.eip], [Vector.GP, 0x81 * 8 + 2, 0x1000]);
});

test('privileged instructions are #GP(0); ud2 is #UD; bound out of range is #BR', () => {
  for (const [code, vector] of [[[0xf4], Vector.GP], [[0xfa], Vector.GP], [[0x0f, 0x22, 0xd8], Vector.GP], [[0xe4, 0x60], Vector.GP], [[0x0f, 0x0b], Vector.UD]] as const) {
    const { cpu } = machine([...code]);
    assert.equal(cpu.run(10), Exit.Exception);
    assert.deepEqual([cpu.exitVector, cpu.exitErrorCode, cpu.eip], [vector, 0, 0x1000]);
  }
  const { cpu, memory } = machine([0x62, 0x03]); // bound eax, [ebx]
  new DataView(memory.bytes.buffer).setInt32(0x3000, -5, true);
  new DataView(memory.bytes.buffer).setInt32(0x3004, 5, true);
  cpu.gpr[3] = 0x3000;
  cpu.gpr[0] = 6;
  assert.equal(cpu.run(10), Exit.Exception);
  assert.equal(cpu.exitVector, Vector.BR);
});

test('TF: popf setting TF traps after the following instruction (#DB, eip after it)', () => {
  // pushfd; or dword [esp], 0x100; popfd; nop; nop
  const { cpu } = machine([0x9c, 0x81, 0x0c, 0x24, 0x00, 0x01, 0x00, 0x00, 0x9d, 0x90, 0x90]);
  assert.equal(cpu.run(100), Exit.Exception);
  assert.equal(cpu.exitVector, Vector.DB);
  assert.equal(cpu.eip, 0x100a);
});

test('#AC on a misaligned access with EFLAGS.AC set', () => {
  const { cpu } = machine([0x8b, 0x03]); // mov eax, [ebx]
  cpu.gpr[3] = 0x3001;
  cpu.setEflags(Flag.AC);
  assert.equal(cpu.run(10), Exit.Exception);
  assert.equal(cpu.exitVector, Vector.AC);
});

test('mov to a segment register: null is allowed for fs, #GP(selector) for a kernel selector, #UD for cs', () => {
  let m = machine([0x8e, 0xe0]); // mov fs, eax
  m.cpu.gpr[0] = 0;
  assert.equal(m.cpu.run(1), Exit.Budget);
  m = machine([0x8e, 0xe0]);
  m.cpu.gpr[0] = 0x60;
  assert.equal(m.cpu.run(1), Exit.Exception);
  assert.deepEqual([m.cpu.exitVector, m.cpu.exitErrorCode], [Vector.GP, 0x60]);
  m = machine([0x8e, 0xc8]); // mov cs, eax
  assert.equal(m.cpu.run(1), Exit.Exception);
  assert.equal(m.cpu.exitVector, Vector.UD);
});

test('self-modifying code: a store into the running page is seen by the next instruction', () => {
  // mov byte [0x1008], 0x40 (inc eax); nop; nop; (0x1008:) nop -> becomes inc eax; int3
  const { cpu } = machine([0xc6, 0x05, 0x09, 0x10, 0x00, 0x00, 0x40, 0x90, 0x90, 0x90, 0xcc]);
  cpu.gpr[0] = 0;
  assert.equal(cpu.run(100), Exit.Exception);
  assert.equal(cpu.gpr[0], 1);
});
