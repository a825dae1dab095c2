import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMachine } from '../machine.js';
import type { BlockBackend } from '../../hal/index.js';
import { addAta, ATA_BSY, ATA_DRQ, ATA_ERR, ATA_IDNF } from './ata.js';

function memoryBackend(sectors: number): BlockBackend & { bytes: Uint8Array; flushes: number } {
  const bytes = new Uint8Array(sectors * 512).map((_, i) => (i * 13 + (i >> 9)) & 0xff);
  return {
    bytes, flushes: 0, sectorCount: sectors, readOnly: false,
    read(sector, into) { into.set(bytes.subarray(sector * 512, sector * 512 + into.length)); return true; },
    write(sector, from) { bytes.set(from, sector * 512); return true; },
    flush() { this.flushes++; return true; },
  };
}

function setup(sectors = 300000) {
  const machine = createMachine({ memoryMiB: 4 });
  const backend = memoryBackend(sectors);
  addAta(machine.platform, backend);
  const io = machine.platform.ports;
  const timeline = machine.platform.timeline;
  /** Lets machine time pass until the drive is not BSY (what halt() does in virtual time). */
  const waitReady = (): number => {
    for (let i = 0; i < 100 && io.in8(0x3f6) & ATA_BSY; i++) {
      const next = timeline.nextEventAt;
      timeline.haltUntilInterrupt(() => !(io.in8(0x3f6) & ATA_BSY), false);
      if (next === Infinity) break;
    }
    return io.in8(0x1f7);
  };
  return { machine, backend, io, waitReady };
}

test('ata: IDENTIFY reports the size in LBA28 and LBA48 words; byte-swapped model string', () => {
  const { io, waitReady } = setup();
  io.out8(0x1f6, 0xa0);
  io.out8(0x1f7, 0xec);
  assert.ok(io.in8(0x3f6) & ATA_BSY);
  assert.ok(waitReady() & ATA_DRQ);
  const data = new Uint8Array(512);
  io.insw(0x1f0, data, 0, 256);
  const word = (i: number): number => data[i * 2]! | (data[i * 2 + 1]! << 8);
  assert.equal(word(60) | (word(61) << 16), 300000);
  assert.equal(word(100) | (word(101) << 16), 300000);
  const model = String.fromCharCode(...Array.from({ length: 40 }, (_, i) => data[54 + (i ^ 1)]!)).trim();
  assert.equal(model, 'IR0 ATA DISK');
  assert.equal(io.in8(0x1f7) & ATA_DRQ, 0);
});

test('ata: READ SECTORS EXT and WRITE SECTORS move the backend bytes; FLUSH reaches the backend; past the end is IDNF', () => {
  const { io, backend, waitReady } = setup();
  // LBA48 read of 3 sectors at 0x12345 (previous bytes first).
  const lba = 0x12345;
  io.out8(0x1f6, 0x40);
  io.out8(0x1f2, 0); io.out8(0x1f2, 3);
  io.out8(0x1f3, 0); io.out8(0x1f3, lba & 0xff);
  io.out8(0x1f4, 0); io.out8(0x1f4, (lba >> 8) & 0xff);
  io.out8(0x1f5, 0); io.out8(0x1f5, (lba >> 16) & 0xff);
  io.out8(0x1f7, 0x24);
  const got = new Uint8Array(3 * 512);
  for (let s = 0; s < 3; s++) {
    assert.ok(waitReady() & ATA_DRQ, `sector ${s} ready`);
    io.insw(0x1f0, got, s * 512, 256);
  }
  assert.deepEqual(got, backend.bytes.subarray(lba * 512, (lba + 3) * 512));
  // LBA28 write of 2 sectors at 7.
  const data = new Uint8Array(1024).fill(0x5a);
  io.out8(0x1f6, 0xe0); io.out8(0x1f2, 2); io.out8(0x1f3, 7); io.out8(0x1f4, 0); io.out8(0x1f5, 0);
  io.out8(0x1f7, 0x30);
  for (let s = 0; s < 2; s++) {
    assert.ok(waitReady() & ATA_DRQ);
    io.outsw(0x1f0, data, s * 512, 256);
  }
  assert.equal(waitReady() & (ATA_DRQ | ATA_ERR), 0);
  assert.deepEqual(backend.bytes.subarray(7 * 512, 9 * 512), data);
  io.out8(0x1f7, 0xe7);
  waitReady();
  assert.equal(backend.flushes, 1);
  io.out8(0x1f6, 0xe0); io.out8(0x1f2, 1); io.out8(0x1f3, 0xff); io.out8(0x1f4, 0xff); io.out8(0x1f5, 0xff);
  io.out8(0x1f7, 0x20);
  assert.ok(waitReady() & ATA_ERR);
  assert.equal(io.in8(0x1f1), ATA_IDNF);
});
