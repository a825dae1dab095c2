/**
 * Inlined instruction forms and jcc conditions (block-inline.ts) against the
 * reference path: seeded random loops of mov/movzx/movsx/lea/alu/test/inc/dec/shift/
 * imul/cmov/setcc/push/pop/call/ret/jcc/jmp (8- and 32-bit; register, immediate and memory forms,
 * pushf to observe flags mid-block) must leave the
 * same registers, flags, memory, eip and retired count, also when run in
 * small budget slices that exit inside compiled blocks; over a flat memory and
 * over the paging MMU (whose soft TLB compiled blocks read in place, block-memory.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Exit, Vector } from '../../hal/vcpu.js';
import { machine } from './cpu-basic.test.js';
import { Cpu } from './cpu.js';
import { Ram } from '../memory/ram.js';
import { Mmu } from '../mmu/mmu.js';
import { PageTableBuilder } from '../testing/page-tables.js';

interface TestMachine { cpu: Cpu; bytes: Uint8Array }

/**
 * machine() over the paging MMU: linear [0, 1 MiB) mapped to the same physical
 * addresses (so `bytes` is RAM), writable but for `readOnlyPages`.
 */
function pagedMachine(code: number[], readOnlyPages: number[] = [], at = 0x1000): TestMachine {
  const ram = new Ram(2 << 20);
  const pages = new PageTableBuilder(ram);
  for (let page = 0; page < 0x100000; page += 0x1000) pages.map(page, page, { writable: !readOnlyPages.includes(page >>> 12) });
  const cpu = new Cpu(new Mmu(ram));
  cpu.setCr3(pages.cr3);
  ram.u8.set(code, at);
  cpu.eip = at;
  cpu.gpr[4] = 0x80000;
  return { cpu, bytes: ram.u8 };
}

function flatMachine(code: number[], readOnlyPages: number[] = []): TestMachine {
  const m = machine(code);
  for (const page of readOnlyPages) m.memory.access[page] = 1;
  return { cpu: m.cpu, bytes: m.memory.bytes };
}

const MACHINES = [['flat memory', flatMachine], ['paging MMU', pagedMachine]] as const;

/** Destinations: eax, edx, ebp, esi, edi (ecx counts the loop, ebx points at data, esp is the stack). */
const DESTINATIONS = [0, 2, 5, 6, 7];
/** Byte destinations: al, dl, ah, dh. */
const BYTE_DESTINATIONS = [0, 2, 4, 6];
const SOURCES = [0, 1, 2, 3, 5, 6, 7];

function generator(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

function imm32(random: (n: number) => number): number[] {
  const interesting = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x80000001];
  const value = random(3) === 0 ? interesting[random(interesting.length)] : random(0x10000) * 0x10001;
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24];
}

/** One random instruction (bytes). */
function instruction(random: (n: number) => number): number[] {
  const d = DESTINATIONS[random(DESTINATIONS.length)], s = SOURCES[random(SOURCES.length)];
  const op = random(8), disp = random(32) * 4;
  const d8 = BYTE_DESTINATIONS[random(4)], s8 = random(8), cc = random(16);
  switch (random(44)) {
    case 0: return [0x8b, 0xc0 | (d << 3) | s];
    case 1: return [0x89, 0xc0 | (s << 3) | d];
    case 2: return [0xb8 + d, ...imm32(random)];
    case 3: return [0xc7, 0xc0 | d, ...imm32(random)];
    case 4: return [0x8b, 0x40 | (d << 3) | 3, disp];
    case 5: return [0x89, 0x40 | (s << 3) | 3, disp];
    case 6: return [0xc7, 0x43, disp, ...imm32(random)];
    case 7: return [0x8d, 0x44 | (d << 3), (random(4) << 6) | (SOURCES[random(SOURCES.length)] << 3) | s, random(256)];
    case 8: return [op * 8 + 1, 0xc0 | (s << 3) | d];
    case 9: return [op * 8 + 3, 0xc0 | (d << 3) | s];
    case 10: return [op * 8 + 3, 0x40 | (d << 3) | 3, disp];
    case 11: return [op * 8 + 5, ...imm32(random)];
    case 12: return [0x83, 0xc0 | (op << 3) | d, random(256)];
    case 13: return [0x81, 0xc0 | (op << 3) | d, ...imm32(random)];
    case 14: return [0x85, 0xc0 | (s << 3) | d];
    case 15: return [0x0f, [0xb6, 0xbe, 0xb7][random(3)], 0xc0 | (d << 3) | random(8)];
    case 16: return [0x0f, [0xb6, 0xbe, 0xb7][random(3)], 0x43 | (d << 3), random(126)];
    case 17: return [0x39, 0x40 | (s << 3) | 3, disp];
    case 18: return [0x83, 0x7b, disp, random(256)];
    case 19: return [0x85, 0x40 | (s << 3) | 3, disp];
    case 20: return random(2) === 0 ? [0xf7, 0xc0 | d, ...imm32(random)] : [0xf7, 0x43, disp, ...imm32(random)];
    case 21: return [0x40 + random(2) * 8 + d]; // inc/dec r32
    case 22: {
      // Shifts and rotates by an immediate, 1 or cl (the loop count), of a register or [ebx+disp].
      const digit = [0, 1, 4, 5, 6, 7][random(6)], count = [0, 1, 31, 32, 33, random(256)][random(6)];
      const modrm = random(2) === 0 ? [0xc0 | (digit << 3) | d] : [0x43 | (digit << 3), disp];
      const shift = [[0xc1, ...modrm, count], [0xd1, ...modrm], [0xd3, ...modrm]][random(3)];
      return random(2) === 0 ? shift : [...shift, 0x9c, 0x5a]; // pushf; pop edx: the flags it left
    }
    case 23: return [op * 8, 0xc0 | (s8 << 3) | d8]; // op r/m8, r8
    case 24: return random(2) === 0 ? [op * 8 + 2, 0xc0 | (d8 << 3) | s8] : [op * 8 + 2, 0x43 | (d8 << 3), random(128)]; // op r8, r/m8
    case 25: return [op * 8 + 4, random(256)]; // op al, imm8
    case 26: return random(2) === 0 ? [0x80, 0xc0 | (op << 3) | d8, random(256)] : [0x80, 0x7b, random(128), random(256)];
    case 27: return [[0x84, 0xc0 | (s8 << 3) | d8], [0xf6, 0xc0 | d8, random(256)], [0xa8, random(256)], [0xf6, 0x43, random(128), random(256)]][random(4)];
    case 28: return [0x50 + SOURCES[random(SOURCES.length)], 0x58 + d]; // push r; pop r
    case 29: return [[0x0f, 0xaf, 0xc0 | (d << 3) | s], [0x6b, 0xc0 | (d << 3) | s, random(256)], [0x69, 0xc0 | (d << 3) | s, ...imm32(random)], [0x0f, 0xaf, 0x43 | (d << 3), disp]][random(4)];
    case 30: return random(2) === 0 ? [0x0f, 0x40 + cc, 0xc0 | (d << 3) | s] : [0x0f, 0x40 + cc, 0x43 | (d << 3), disp];
    case 31: return random(2) === 0 ? [0x0f, 0x90 + cc, 0xc0 | d8] : [0x0f, 0x90 + cc, 0x43, random(128)];
    case 32: return [op * 8 + 1, 0x43 | (s << 3), disp]; // op [ebx+disp], r32 (read-modify-write)
    case 33: return [0x83, 0x43 | (op << 3), disp, random(256)];
    case 34: return [[0x88, 0x43 | (s8 << 3), random(128)], [0x8a, 0x43 | (d8 << 3), random(128)], [0xc6, 0x43, random(128), random(256)], [0x88, 0xc0 | (s8 << 3) | d8]][random(4)];
    // call a subroutine (mov r, imm32; ret) that a jmp then skips: compiled blocks follow the call.
    case 35: return [0xe8, 2, 0, 0, 0, 0xeb, 6, 0xb8 + d, ...imm32(random), 0xc3];
    // Nested forward jccs (both stay in a compiled block), and crossing ones (the inner one leaves it).
    case 36: return [0x70 + cc, 12, 0x70 + random(16), 5, 0xb8 + d, ...imm32(random), 0xb8 + DESTINATIONS[random(5)], ...imm32(random)];
    case 37: return [0x70 + cc, 7, 0x70 + random(16), 7, 0xb8 + d, ...imm32(random), 0x89, 0xc0 | (s << 3) | DESTINATIONS[random(5)], 0x89, 0xc0 | (s << 3) | d];
    // jcc or jmp over `mov r, imm32`; or pushf; pop edx (flags observed mid-block).
    default: {
      const choice = random(5);
      if (choice === 0) return [0x9c, 0x5a];
      // jmp over `mov r, imm32` (rel8 or rel32): compiled blocks follow it to its target.
      if (choice === 1) return random(2) === 0 ? [0xeb, 5, 0xb8 + d, ...imm32(random)] : [0xe9, 5, 0, 0, 0, 0xb8 + d, ...imm32(random)];
      return [0x70 + random(16), 5, 0xb8 + d, ...imm32(random)];
    }
  }
}

function program(seed: number): number[] {
  const random = generator(seed);
  const body: number[] = [];
  const length = 4 + random(40);
  for (let i = 0; i < length; i++) body.push(...instruction(random));
  body.push(0x49); // dec ecx
  // mov ecx, 100; l: body; dec ecx; jnz l (rel32); int 0x80
  const back = -(body.length + 6);
  return [0xb9, 100, 0, 0, 0, ...body, 0x0f, 0x85, back & 0xff, (back >> 8) & 0xff, (back >> 16) & 0xff, (back >> 24) & 0xff, 0xcd, 0x80];
}

function fresh(make: typeof flatMachine, code: number[], seed: number, reference: boolean): TestMachine {
  const m = make(code);
  const random = generator(seed ^ 0x5a5a);
  for (const r of SOURCES) m.cpu.gpr[r] = random(0x10000) * 0x10001;
  m.cpu.gpr[3] = 0x3000;
  for (let i = 0; i < 256; i++) m.bytes[0x3000 + i] = random(256);
  m.cpu.referenceMode = reference;
  return m;
}

function state(m: TestMachine): string {
  return JSON.stringify([Array.from(m.cpu.gpr), m.cpu.eip, m.cpu.getEflags(), m.cpu.instructionsRetired,
    Array.from(m.bytes.subarray(0x3000, 0x3100)), Array.from(m.bytes.subarray(0x7ff00, 0x80000))]);
}

for (const [name, make] of MACHINES) {
  test(`random loops of inlined forms match the reference path (${name})`, () => {
    let compiled = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const code = program(seed);
      const fast = fresh(make, code, seed, false), reference = fresh(make, code, seed, true);
      assert.equal(fast.cpu.run(1_000_000), Exit.Syscall, `seed ${seed}`);
      assert.equal(reference.cpu.run(1_000_000), Exit.Syscall, `seed ${seed}`);
      assert.equal(state(fast), state(reference), `seed ${seed}`);
      compiled += fast.cpu.blocksCompiled;
    }
    assert.ok(compiled > 150, 'blocks were compiled');
  });
}

test('random loops match the reference path in budget slices', () => {
  for (let seed = 1000; seed < 1040; seed++) {
    const code = program(seed);
    const make = seed % 2 === 0 ? flatMachine : pagedMachine;
    const fast = fresh(make, code, seed, false), reference = fresh(make, code, seed, true);
    const random = generator(seed);
    for (let slice = 0; slice < 300; slice++) {
      const budget = 1 + random(60);
      const exit = fast.cpu.run(budget);
      assert.equal(reference.cpu.run(budget), exit, `seed ${seed} slice ${slice}`);
      assert.equal(state(fast), state(reference), `seed ${seed} slice ${slice}`);
      if (exit === Exit.Syscall) break;
    }
  }
});

for (const [name, make] of MACHINES) {
  test(`a fault in a later pass of a block that loops to itself restores eip and the retired count (${name})`, () => {
    // mov ecx, 300; l: mov [ebx+ecx*4], eax; add eax, ecx; sub ecx, 1; jnz l; int 0x80
    const code = [0xb9, 0x2c, 0x01, 0, 0, 0x89, 0x04, 0x8b, 0x01, 0xc8, 0x83, 0xe9, 0x01, 0x75, 0xf6, 0xcd, 0x80];
    const runs = [false, true].map((reference) => {
      const m = make(code, [0x2]); // the stores walk down from page 3 into read-only page 2
      m.cpu.gpr[3] = 0x2c00;
      m.cpu.referenceMode = reference;
      assert.equal(m.cpu.run(1_000_000), Exit.Exception);
      return JSON.stringify([Array.from(m.cpu.gpr), m.cpu.eip, m.cpu.getEflags(), m.cpu.instructionsRetired, m.cpu.exitVector, m.cpu.cr2]);
    });
    assert.equal(runs[0], runs[1]);
    assert.equal(JSON.parse(runs[0])[3], 1 + 4 * 45); // ecx = 300..256 stored, 255 faults
    assert.equal(JSON.parse(runs[0])[4], Vector.PF);
  });

  test(`a faulting push in a compiled block leaves esp and memory unchanged (${name})`, () => {
    // mov ecx, 40; l: push eax; push 0x12345678; pop edx; pop edx; dec ecx; jnz l; then esp walks into read-only page 0x7f:
    // mov ecx, 0x400; m: push ecx; dec ecx; jnz m; int 0x80
    const code = [0xb9, 40, 0, 0, 0, 0x50, 0x68, 0x78, 0x56, 0x34, 0x12, 0x5a, 0x5a, 0x49, 0x75, 0xf5,
      0xb9, 0, 4, 0, 0, 0x51, 0x49, 0x75, 0xfc, 0xcd, 0x80];
    const runs = [false, true].map((reference) => {
      const m = make(code, [0x7f]);
      m.cpu.gpr[4] = 0x80800;
      m.cpu.referenceMode = reference;
      assert.equal(m.cpu.run(1_000_000), Exit.Exception);
      return JSON.stringify([Array.from(m.cpu.gpr), m.cpu.eip, m.cpu.instructionsRetired, m.cpu.exitVector, m.cpu.cr2,
        Array.from(m.bytes.subarray(0x80000, 0x80800))]);
    });
    assert.equal(runs[0], runs[1]);
    assert.equal(JSON.parse(runs[0])[0][4], 0x80000);
  });

  test(`a compiled block that stores into its own code runs the new code (${name})`, () => {
    // mov ecx, 100; l: mov edx, imm32 (at 0x1006); add eax, edx; mov [0x1006], ecx; dec ecx; jnz l; int 0x80
    const code = [0xb9, 100, 0, 0, 0, 0xba, 0, 0, 0, 0, 0x01, 0xd0, 0x89, 0x0d, 0x06, 0x10, 0, 0, 0x49, 0x75, 0xf0, 0xcd, 0x80];
    const runs = [false, true].map((reference) => {
      const m = make(code);
      m.cpu.referenceMode = reference;
      assert.equal(m.cpu.run(1_000_000), Exit.Syscall);
      return JSON.stringify([Array.from(m.cpu.gpr), m.cpu.eip, m.cpu.instructionsRetired]);
    });
    assert.equal(runs[0], runs[1]);
    assert.equal(JSON.parse(runs[0])[0][0], 100 * 101 / 2 - 1); // edx is the previous ecx: 0 + 100 + 99 + ... + 2
  });
}
