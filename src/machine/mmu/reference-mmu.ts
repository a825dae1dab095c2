/**
 * The reference MMU: MemoryBus with no TLB and no fast paths. Every access
 * walks the page tables (page-walk.ts) and moves bytes one at a time. Tests
 * run it beside the Mmu to check the TLB and the fast paths; it is too slow
 * for anything else. Same fault recording as the Mmu.
 */
import { PageFaultError, Vector } from '../../hal/vcpu.js';
import { CPU_FAULT } from '../cpu/fault.js';
import type { Ram } from '../memory/ram.js';
import type { MemoryBus } from './memory-bus.js';
import { PageWalkResult, walkPageTables } from './page-walk.js';

export class ReferenceMmu implements MemoryBus {
  faultVector = 0;
  faultErrorCode = 0;
  cr2 = 0;
  alignmentCheck = false;
  cr3 = 0;
  private readonly walk = new PageWalkResult();

  constructor(readonly ram: Ram) {}

  read8(linear: number): number { return this.read(linear, 1); }
  fetch8(linear: number): number { return this.read(linear, 1); }
  read16(linear: number): number { return this.read(linear, 2); }
  read32(linear: number): number { return this.read(linear, 4) | 0; }
  write8(linear: number, value: number): void { this.write(linear, value, 1); }
  write16(linear: number, value: number): void { this.write(linear, value, 2); }
  write32(linear: number, value: number): void { this.write(linear, value, 4); }

  checkRead(linear: number, length: number): void {
    for (let i = 0; i < length; i++) this.translate((linear + i) >>> 0, false);
  }

  checkWrite(linear: number, length: number): void {
    for (let i = 0; i < length; i++) this.translate((linear + i) >>> 0, true);
  }

  checkAlignment(linear: number, alignment: number): void {
    if ((linear & (alignment - 1)) !== 0 && this.alignmentCheck) {
      this.faultVector = Vector.AC;
      this.faultErrorCode = 0;
      throw CPU_FAULT;
    }
  }

  /** Physical address of `linear`, or records #PF and throws. CR2 is the byte's own address. */
  translate(linear: number, write: boolean): number {
    if (!walkPageTables(this.ram, this.cr3, linear, write, true, this.walk)) {
      this.faultVector = Vector.PF;
      this.faultErrorCode = this.walk.errorCode | PageFaultError.U;
      this.cr2 = linear >>> 0;
      throw CPU_FAULT;
    }
    return (this.walk.physicalPage | (linear & 0xfff)) >>> 0;
  }

  /** Translates every byte (first byte of each page first) before any data moves. */
  private physicalBytes(linear: number, size: number, write: boolean): number[] {
    if (size > 1 && (linear & (size - 1)) !== 0 && this.alignmentCheck) {
      this.faultVector = Vector.AC;
      this.faultErrorCode = 0;
      throw CPU_FAULT;
    }
    const physical: number[] = [];
    for (let i = 0; i < size; i++) {
      const address = (linear + i) >>> 0;
      physical.push(i === 0 || (address & 0xfff) === 0 ? this.translate(address, write) : physical[i - 1] + 1);
    }
    return physical;
  }

  private read(linear: number, size: number): number {
    const physical = this.physicalBytes(linear, size, false);
    let value = 0;
    for (let i = 0; i < size; i++) value += this.ram.readPhysical8(physical[i]) * 2 ** (8 * i);
    return value;
  }

  private write(linear: number, value: number, size: number): void {
    const physical = this.physicalBytes(linear, size, true);
    for (let i = 0; i < size; i++) this.ram.writePhysical8(physical[i], value >>> (8 * i));
  }
}
