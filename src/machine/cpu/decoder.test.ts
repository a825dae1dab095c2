/** Decoder: instruction lengths, prefixes in any order, the 15-byte limit, lock rules, #UD for unknown encodings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuCore } from './cpu-core.js';
import { FlatMemory } from './flat-memory.js';
import { decode } from './decoder.js';
import { CPU_FAULT } from './fault.js';
import { Vector } from '../../hal/vcpu.js';
import { OPCODE_FORMS } from './opcodes/index.js';

function decodeBytes(bytes: number[]): { length: number } | { vector: number } {
  const memory = new FlatMemory(1 << 16);
  memory.bytes.set(bytes, 0x100);
  const core = new CpuCore(memory);
  try {
    return { length: decode(core, 0x100).length };
  } catch (fault) {
    assert.equal(fault, CPU_FAULT);
    return { vector: core.pendingVector >= 0 ? core.pendingVector : memory.faultVector };
  }
}

// Lengths as objdump -d (binutils) reports them for these encodings.
const LENGTHS: [number[], number][] = [
  [[0x90], 1],
  [[0x01, 0xc8], 2], // add eax, ecx
  [[0x8b, 0x44, 0x24, 0x08], 4], // mov eax, [esp+8]
  [[0x8b, 0x05, 1, 2, 3, 4], 6], // mov eax, [disp32]
  [[0x8b, 0x04, 0x25, 1, 2, 3, 4], 7], // mov eax, [disp32] via SIB, no base
  [[0x8b, 0x84, 0x88, 1, 2, 3, 4], 7], // mov eax, [eax+ecx*4+disp32]
  [[0x66, 0x81, 0xc0, 0x34, 0x12], 5], // add ax, 0x1234
  [[0x81, 0xc0, 1, 2, 3, 4], 6], // add eax, imm32
  [[0x83, 0xc0, 0x7f], 3], // add eax, imm8
  [[0x67, 0x8b, 0x46, 0x02], 4], // mov eax, [bp+2] (16-bit addressing)
  [[0x67, 0x8b, 0x06, 0x34, 0x12], 5], // mov eax, [0x1234] (16-bit)
  [[0xa1, 1, 2, 3, 4], 5], // mov eax, moffs32
  [[0x67, 0xa1, 1, 2], 4], // mov eax, moffs16
  [[0xc8, 0x10, 0x00, 0x01], 4], // enter 16, 1
  [[0xea, 1, 2, 3, 4, 0x73, 0], 7], // jmp far
  [[0x0f, 0x84, 1, 2, 3, 4], 6], // je rel32
  [[0x0f, 0xba, 0xe0, 5], 4], // bt eax, 5
  [[0xf3, 0xa5], 2], // rep movsd
  [[0x66, 0xf3, 0x2e, 0x67, 0xa5], 5], // prefixes in any order
  [[0x0f, 0x1f, 0x44, 0x00, 0x00], 5], // nopl [eax+eax*1+0]
  [[0x66, 0x0f, 0x1f, 0x84, 0x00, 0, 0, 0, 0], 9], // nopw
  [[0xd9, 0xe8], 2], // fld1
  [[0xdd, 0x5c, 0x24, 0x08], 4], // fstp qword [esp+8]
  [[0xf0, 0x0f, 0xb1, 0x0a], 4], // lock cmpxchg [edx], ecx
  [[0x69, 0xc0, 1, 2, 3, 4], 6], // imul eax, eax, imm32
  [[0x6b, 0xc0, 0x10], 3], // imul eax, eax, imm8
  [[0xc0, 0xe0, 0x03], 3], // shl al, 3
];

test('instruction lengths', () => {
  for (const [bytes, length] of LENGTHS) {
    assert.deepEqual(decodeBytes(bytes), { length }, bytes.map((b) => b.toString(16)).join(' '));
  }
});

test('14 prefixes and an opcode (15 bytes) decode; one more prefix is #GP(0)', () => {
  assert.deepEqual(decodeBytes([...new Array<number>(14).fill(0x3e), 0x90]), { length: 15 });
  assert.deepEqual(decodeBytes([...new Array<number>(15).fill(0x3e), 0x90]), { vector: Vector.GP });
  assert.deepEqual(decodeBytes([...new Array<number>(11).fill(0x66), 0x81, 0xc0, 1, 2]), { length: 15 });
  assert.deepEqual(decodeBytes([...new Array<number>(12).fill(0x66), 0x81, 0xc0, 1, 2]), { vector: Vector.GP });
});

test('lock: #UD on a register destination or a non-lockable instruction', () => {
  assert.deepEqual(decodeBytes([0xf0, 0x01, 0x08]), { length: 3 }); // lock add [eax], ecx
  assert.deepEqual(decodeBytes([0xf0, 0x01, 0xc8]), { vector: Vector.UD }); // lock add eax, ecx
  assert.deepEqual(decodeBytes([0xf0, 0x8b, 0x08]), { vector: Vector.UD }); // lock mov ecx, [eax]
  assert.deepEqual(decodeBytes([0xf0, 0x39, 0x08]), { vector: Vector.UD }); // lock cmp [eax], ecx
  assert.deepEqual(decodeBytes([0xf0, 0x87, 0x08]), { length: 3 }); // lock xchg [eax], ecx
});

test('undefined encodings are #UD (ud2 decodes and raises #UD when run)', () => {
  for (const bytes of [[0x0f, 0xff], [0x8d, 0xc0], [0x0f, 0xc7, 0xc8], [0xfe, 0xd0], [0x0f, 0x38, 0x00, 0xc0]]) {
    assert.deepEqual(decodeBytes(bytes), { vector: Vector.UD }, bytes.map((b) => b.toString(16)).join(' '));
  }
});

test('an instruction running into an absent page is #PF', () => {
  const memory = new FlatMemory(1 << 16);
  memory.bytes.set([0x81, 0xc0, 1], 0x1ffd);
  memory.access[2] = 0;
  const core = new CpuCore(memory);
  assert.throws(() => decode(core, 0x1ffd));
  assert.equal(memory.faultVector, Vector.PF);
  assert.equal(memory.cr2, 0x2000);
});

test('opcode table names are unique and every form decodes to its own length', () => {
  const names = new Set<string>();
  for (const form of OPCODE_FORMS) {
    assert.ok(!names.has(form.name), `duplicate ${form.name}`);
    names.add(form.name);
    const modrm = form.modrm === 'none' ? [] : form.modrmLow !== undefined ? [form.modrmLow] : [form.modrm === 'reg' ? 0xc0 | ((form.digit ?? 0) << 3) : ((form.digit ?? 0) << 3) | 0x01];
    const immediate = form.name.includes('moffs') ? 4 : form.immediate;
    const bytes = [...form.prefixes, ...form.opcode, ...modrm, ...new Array<number>(immediate).fill(0)];
    const result = decodeBytes(bytes);
    assert.deepEqual(result, { length: bytes.length }, form.name);
  }
});
