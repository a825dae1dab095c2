/**
 * The context save skip of X87.save: whatever the kernel, a user or an
 * instruction did to a context buffer or to the unit in between, save() must
 * leave exactly the bytes a full encoding (writeSave) gives.
 * The foreign image below is the case the x87 code-segment differential test
 * caught: status 0x3881 with an unmasked exception, which the unit saves back
 * with the busy bit (0xb881), as the host's fnsave does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../../base/random.js';
import { CPU_FAULT } from '../fault.js';
import type { MemoryBus } from '../../mmu/memory-bus.js';
import type { FpuHost } from './fpu-host.js';
import { X87 } from './x87.js';
import { writeSave } from './x87-environment.js';

const host: FpuHost = {
  memory: undefined as unknown as MemoryBus, // register forms only
  setComparisonFlags(): void { /* no compares here */ },
  getEflags(): number { return 0; },
  setAx(): void { /* no fnstsw ax here */ },
};

/** The full encoding of the unit's state (without touching the unit's save-skip record). */
function encoded(unit: X87): Uint8Array {
  const fresh = new Uint8Array(108);
  writeSave(unit.sync(), fresh);
  return fresh;
}

/** A foreign 108-byte image: a random stack under control word 0x037e (invalid unmasked), status 0x3881. */
function foreignImage(random: Random): Uint8Array {
  const image = new Uint8Array(108);
  for (let index = 0; index < image.length; index++) image[index] = random.below(256);
  const view = new DataView(image.buffer);
  view.setUint32(0, 0x037e, true);
  view.setUint32(4, 0x3881, true);
  view.setUint32(8, 0x0fff, true); // ST(0)..ST(1) valid by tag: recomputed on save
  return image;
}

test('a context of zeros (a fresh createContext) is decoded, never taken for the unit\'s own image', () => {
  const unit = new X87(host);
  const zeros = new Uint8Array(108);
  unit.restore(zeros);
  const expected = encoded(unit);
  unit.save(zeros);
  assert.deepEqual([...zeros], [...expected]);
  assert.equal(new DataView(zeros.buffer).getUint16(0, true), 0x0040);
});

test('a restored foreign image is encoded again on save (busy bit, tags, reserved words)', () => {
  const unit = new X87(host);
  const image = foreignImage(new Random(1));
  unit.restore(image);
  const expected = encoded(unit);
  unit.restore(image);
  unit.save(image);
  assert.deepEqual([...image], [...expected]);
  assert.equal(new DataView(image.buffer).getUint16(4, true), 0xb881);
});

test('save into the unit\'s own image equals a full encoding after any mix of edits, instructions and switches', () => {
  const random = new Random(0x5a7e);
  const unit = new X87(host);
  // The same operations on a unit that always decodes at once (each restore from a fresh copy, so never lazily).
  const shadow = new X87(host);
  const buffers = [new Uint8Array(108), new Uint8Array(108), new Uint8Array(108)];
  for (const buffer of buffers) unit.save(buffer);
  let checked = 0, lazySaves = 0;
  for (let step = 0; step < 20000; step++) {
    const buffer = buffers[random.below(buffers.length)];
    switch (random.below(6)) {
      case 0: { // switch in: load a task's context; the state must be what a fresh unit decodes
        unit.restore(buffer);
        shadow.restore(buffer.slice());
        // Half the time look at once; else the restore stays lazy until an instruction, a save or a look.
        if (random.below(2) === 0) assert.deepEqual([...encoded(unit)], [...encoded(shadow)], `restore, step ${step}`);
        break;
      }
      case 1: { // switch out: the saved bytes must be the full encoding
        const expected = encoded(shadow);
        const before = buffer.slice();
        unit.save(buffer);
        assert.deepEqual([...buffer], [...expected], `step ${step}`);
        if (before.every((byte, i) => byte === buffer[i])) lazySaves++;
        checked++;
        break;
      }
      case 2: // the kernel or a user writes a context (sigreturn, ptrace)
        buffer[random.below(108)] ^= 1 << random.below(8);
        break;
      case 3: // a foreign image
        buffer.set(foreignImage(random));
        break;
      case 4: { // an x87 instruction: fld1, fldz, fincstp or fstp st(0), through both entries
        if (random.below(2) === 0) {
          const modrm = [0xe8, 0xee][random.below(2)];
          assert.equal(unit.tryRegister(0xd9, modrm, 0x1000), shadow.tryRegister(0xd9, modrm, 0x1000));
          break;
        }
        const [opcode, modrm] = [[0xd9, 0xf7], [0xdd, 0xd8]][random.below(2)];
        const outcome = (x87: X87): string => {
          try {
            x87.execute(opcode, modrm, 0, 0x1000);
            return 'ok';
          } catch (fault) {
            if (fault !== CPU_FAULT) throw fault; // #MF: an unmasked exception was pending
            return 'fault';
          }
        };
        assert.equal(outcome(unit), outcome(shadow), `step ${step}`);
        break;
      }
      default:
        unit.reset();
        shadow.reset();
        break;
    }
  }
  assert.ok(checked > 2000);
  // The skip must have happened (the buffer left as it was) often enough to be tested.
  assert.ok(lazySaves > 200, `${lazySaves} saves left the buffer as it was`);
});
