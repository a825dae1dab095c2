/** Ram: the default e820 map, typed views, and accesses outside RAM (open bus, the MMIO seam). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { E820Type } from '../../hal/memory.js';
import { Ram, defaultE820Map } from './ram.js';

test('the default e820 map: conventional memory, the legacy hole, then usable from 1 MiB', () => {
  const ram = new Ram(16 << 20);
  assert.deepEqual(ram.map, [
    { base: 0, length: 0x9fc00, type: E820Type.Usable },
    { base: 0x9fc00, length: 0x100000 - 0x9fc00, type: E820Type.Reserved },
    { base: 0x100000, length: (16 << 20) - 0x100000, type: E820Type.Usable },
  ]);
  assert.equal(ram.buffer.byteLength, 16 << 20);
  assert.equal(ram.pageCount, 4096);
  assert.deepEqual(defaultE820Map(0x80000), [{ base: 0, length: 0x80000, type: E820Type.Usable }]);
  assert.throws(() => new Ram(1000));
});

test('views share the buffer, little-endian', () => {
  const ram = new Ram(1 << 20);
  ram.writePhysical32(0x100, 0x11223344);
  assert.equal(ram.u8[0x100], 0x44);
  assert.equal(ram.u16[0x102 >>> 1], 0x1122);
  assert.equal(ram.i32[0x40], 0x11223344);
  ram.writePhysical32(0x201, -2);
  assert.equal(ram.readPhysical32(0x201), -2);
  assert.equal(ram.readPhysical32(0x200), (0xfffffe << 8) | 0);
});

test('outside RAM: reads are all ones, writes are dropped, unless a handler is attached', () => {
  const ram = new Ram(1 << 20);
  assert.equal(ram.readPhysical8(1 << 20), 0xff);
  assert.equal(ram.readPhysical32(0xfffffffc), -1);
  ram.writePhysical32((1 << 20) - 2, 0x11223344); // straddles the end: the RAM half lands
  assert.equal(ram.u8[(1 << 20) - 1], 0x33);
  const writes: [number, number][] = [];
  ram.unbacked = { read8: (physical) => physical & 0xff, write8: (physical, value) => writes.push([physical, value]) };
  assert.equal(ram.readPhysical32(0xfee00010), 0x13121110);
  ram.writePhysical8(0xfee00000, 0x1ab);
  assert.deepEqual(writes, [[0xfee00000, 0xab]]);
});
