/**
 * The x87 memory forms other than the control forms: dispatch of D8..DF with a
 * memory operand, the conversions in (fld, fild, fbld and the arithmetic and
 * compare operands, through memory-formats.ts) and the stores (x87-stores.ts).
 * Intel SDM 2A per instruction.
 */
import type { FpuHost } from './fpu-host.js';
import { FpuException } from './extended-arithmetic.js';
import { MemoryFormats } from './memory-formats.js';
import type { X87Operations } from './x87-operations.js';

const C1 = 0x200;
const { IE, DE } = FpuException;

export class X87MemoryForms {
  private readonly formats = new MemoryFormats();
  private readonly bcd = new Uint8Array(10);

  constructor(private readonly ops: X87Operations, private readonly host: FpuHost) {}

  isValidMemoryForm(opcode: number, digit: number): boolean {
    switch (opcode) {
      case 0xd9: return digit !== 1;
      case 0xdb: return digit !== 4 && digit !== 6;
      case 0xdd: return digit !== 5;
      default: return true;
    }
  }

  executeMemory(opcode: number, digit: number, address: number): void {
    const memory = this.host.memory;
    const formats = this.formats;
    switch (opcode) {
      case 0xd8: formats.loadFloat32(memory.read32(address)); this.memoryOperation(digit); return;
      case 0xdc:
        memory.checkRead(address, 8);
        formats.loadFloat64(memory.read32(address), memory.read32(address + 4));
        this.memoryOperation(digit);
        return;
      case 0xda: formats.loadSignedInteger(memory.read32(address) >> 31, memory.read32(address) >>> 0); this.memoryOperation(digit); return;
      case 0xde: {
        const value = (memory.read16(address) << 16) >> 16;
        formats.loadSignedInteger(value >> 31, value >>> 0);
        this.memoryOperation(digit);
        return;
      }
      case 0xd9:
        if (digit === 0) { formats.loadFloat32(memory.read32(address)); this.loadFloat(); return; }
        this.ops.stores.storeFloat(address, 32, digit === 3);
        return;
      case 0xdd:
        if (digit === 0) {
          memory.checkRead(address, 8);
          formats.loadFloat64(memory.read32(address), memory.read32(address + 4));
          this.loadFloat();
          return;
        }
        if (digit === 1) { this.ops.stores.storeInteger(address, 64, true, true); return; }
        this.ops.stores.storeFloat(address, 64, digit === 3);
        return;
      case 0xdb:
        switch (digit) {
          case 0: formats.loadSignedInteger(memory.read32(address) >> 31, memory.read32(address) >>> 0); this.loadExact(); return;
          case 1: this.ops.stores.storeInteger(address, 32, true, true); return;
          case 2: case 3: this.ops.stores.storeInteger(address, 32, digit === 3, false); return;
          case 5: {
            memory.checkRead(address, 10);
            const low = memory.read32(address) >>> 0, high = memory.read32(address + 4) >>> 0, top = memory.read16(address + 8);
            if (this.ops.pushCheck()) { this.ops.setConditions(0, C1); this.ops.push(top, high | 0, low | 0); }
            return;
          }
          default: this.ops.stores.storeExtended(address); return;
        }
      default: // 0xdf
        switch (digit) {
          case 0: {
            const value = (memory.read16(address) << 16) >> 16;
            formats.loadSignedInteger(value >> 31, value >>> 0);
            this.loadExact();
            return;
          }
          case 1: this.ops.stores.storeInteger(address, 16, true, true); return;
          case 2: case 3: this.ops.stores.storeInteger(address, 16, digit === 3, false); return;
          case 4:
            memory.checkRead(address, 10);
            for (let index = 0; index < 10; index++) this.bcd[index] = memory.read8(address + index);
            formats.loadBcd(this.bcd);
            this.loadExact();
            return;
          case 5: {
            memory.checkRead(address, 8);
            const low = memory.read32(address) >>> 0;
            formats.loadSignedInteger(memory.read32(address + 4), low);
            this.loadExact();
            return;
          }
          case 6: this.ops.stores.storeBcd(address); return;
          default: this.ops.stores.storeInteger(address, 64, true, false); return;
        }
    }
  }

  /** D8/DA/DC/DE memory forms: digit 2/3 compare (and pop), others arithmetic on ST(0). */
  private memoryOperation(digit: number): void {
    if (digit === 2 || digit === 3) {
      this.ops.loadBFromFormats(this.formats);
      if (!this.ops.loadA(0)) { this.ops.compares.compareUnderflow(false, digit - 2); return; }
      this.ops.compares.finishCompare(this.ops.compares.compareOperands(true), false, digit - 2);
      return;
    }
    this.ops.arithmeticMemory(digit, this.formats);
  }

  /** fld m32/m64: SNaN raises IE and loads quiet; denormals raise DE. */
  private loadFloat(): void {
    if (!this.ops.pushCheck()) return;
    const formats = this.formats;
    let exceptions = 0;
    let high = formats.high;
    if ((formats.signExponent & 0x7fff) === 0x7fff && (high & 0x40000000) === 0 && ((high & 0x3fffffff) !== 0 || formats.low !== 0)) {
      exceptions = IE;
      high = (high | 0x40000000) >>> 0;
    }
    if (formats.denormal) exceptions |= DE;
    this.ops.setConditions(0, C1);
    // An unmasked #D still loads the value (measured on the host FPU); an unmasked #IA does not.
    if (!this.ops.report(exceptions) && (exceptions & IE) !== 0) return;
    this.ops.push(formats.signExponent, high | 0, formats.low | 0);
  }

  private loadExact(): void {
    if (!this.ops.pushCheck()) return;
    this.ops.setConditions(0, C1);
    this.ops.push(this.formats.signExponent, this.formats.high | 0, this.formats.low | 0);
  }
}
