/**
 * The x87 FPU as a component of the integer core: `execute(opcode, modrm,
 * address, eip)` runs one D8..DF instruction, `fwait()` raises a pending
 * unmasked exception as #MF, `save`/`restore` move the 108-byte fnsave image.
 * Faults set `faultVector` (16 #MF, 6 #UD) and throw CPU_FAULT; memory faults
 * from host.memory propagate. Stores check their destination before any state
 * changes. Intel SDM vol 1 ch. 8 and vol 2 (per instruction); where the SDM
 * leaves results undefined this follows the host FPU (x87.test.ts). Hot path:
 * allocation-free, 32-bit words cross calls as i32. The integer core sets
 * operandSize16 for the 16-bit (0x66) fnstenv/fldenv/fnsave/frstor layouts.
 */
import { CPU_FAULT } from '../fault.js';
import type { FpuHost } from './fpu-host.js';
import { ExtendedArithmetic } from './extended-arithmetic.js';
import { IntegerRounding } from './integer-rounding.js';
import { X87Registers } from './x87-registers.js';
import { SavedImage } from './x87-saved-image.js';
import {
  ENVIRONMENT_SIZE, ENVIRONMENT_SIZE_16, SAVE_SIZE, SAVE_SIZE_16, readEnvironment, readEnvironment16, readSave,
  writeEnvironment, writeEnvironment16, writeSave,
} from './x87-environment.js';
import { X87Operations } from './x87-operations.js';
import { FunctionGroup } from './x87-function-group.js';
import { X87Stores } from './x87-stores.js';
import { X87Compares } from './x87-compares.js';
import { X87MemoryForms } from './x87-memory-forms.js';
import { X87FastPath } from './x87-fast-path.js';
import { X87Fused } from './x87-fused.js';

export class X87 {
  /** Vector of the last fault this unit raised: 16 (#MF) or 6 (#UD). */
  faultVector = 16;
  /**
   * Selectors recorded as FCS and FDS (fnstenv). Linux i386 user code runs with
   * CS 0x23 and DS 0x2b; the integer core may set dataSelector before a memory
   * form with a segment override.
   */
  codeSelector = 0x23;
  dataSelector = 0x2b;
  /**
   * The instruction has a 16-bit operand size (0x66 prefix): the integer core
   * sets it before execute(). It selects the 16-bit layouts, alignment and
   * fault order of the fnstenv/fldenv/fnsave/frstor areas.
   */
  operandSize16 = false;

  readonly registers = new X87Registers();
  /**
   * The context save skip (see save()): per context buffer, a word view of its 108 bytes and
   * the words this unit last wrote there; the image of the buffer the state is known to be
   * encoded in; and whether an instruction or reset may have changed the state since.
   */
  private readonly savedImages = new WeakMap<Uint8Array, SavedImage>();
  private syncedImage: SavedImage | null = null;
  private changedSinceSync = true;
  /**
   * Lazy restore (Linux's old lazy FPU switching, without the #NM trap): the own, unchanged image
   * restore() was given and has not decoded yet. Every entry that uses the registers decodes it
   * first (loadLazyImage); a task that runs no x87 instruction before it is switched out again
   * costs no decoding and no encoding, and the registers keep the state they held.
   */
  private lazyImage: SavedImage | null = null;
  private readonly operations: X87Operations;
  private readonly memoryForms: X87MemoryForms;
  private readonly fast: X87FastPath;
  private readonly fused: X87Fused;
  private readonly environment = new Uint8Array(SAVE_SIZE);

  constructor(private readonly host: FpuHost) {
    const math = new ExtendedArithmetic();
    this.operations = new X87Operations(this.registers, host, math, new IntegerRounding());
    this.operations.functions = new FunctionGroup(this.registers, math, this.operations);
    this.operations.stores = new X87Stores(this.registers, host, math, this.operations);
    this.operations.compares = new X87Compares(this.operations, this.registers, host);
    this.memoryForms = new X87MemoryForms(this.operations, host);
    this.fast = new X87FastPath(this.registers, host, math);
    this.fused = new X87Fused(this.registers, host.memory);
  }

  get controlWord(): number { return this.sync().controlWord; }
  get statusWord(): number { return this.sync().statusWord; }
  get tagWord(): number { return this.sync().tagWord; }

  /** Every entry that may change the state first loads a lazily restored image and marks the state changed (save encodes it). */
  private willChange(): void {
    if (this.lazyImage !== null) this.loadLazyImage();
    this.changedSinceSync = true;
  }

  /** The registers with any lazily restored image loaded (for readers outside the unit's own entries). */
  sync(): X87Registers {
    if (this.lazyImage !== null) this.loadLazyImage();
    return this.registers;
  }

  /** ST(i) as raw 80 bits: sign and exponent in bits 15/14..0, significand halves. */
  readStackRegister(index: number): { signExponent: number; high: number; low: number; empty: boolean } {
    this.sync();
    const physical = this.registers.physical(index);
    return {
      signExponent: this.registers.signExponent[physical],
      high: this.registers.high[physical],
      low: this.registers.low[physical],
      empty: (this.registers.emptyMask >> physical & 1) !== 0,
    };
  }

  /** fninit: control word 0x037f, status 0, all registers empty, pointers cleared. */
  reset(): void {
    // fninit empties the tags but keeps the registers' contents, which fnsave shows: load them first.
    this.willChange();
    this.registers.reset();
  }

  /**
   * A context save (kernel switch_to) in the fnsave layout, without fnsave's fninit. Skipped
   * when the buffer already holds this state: no x87 instruction ran since the unit itself
   * wrote these bytes (or found them equal to its own image on restore), verified word by
   * word so that a buffer the kernel or a user changed meanwhile is encoded again.
   * Only the unit's own images are trusted: a foreign image (a signal frame, ptrace, a
   * test's state) decodes to a state whose own image differs (the busy bit mirrors ES,
   * tags are recomputed, reserved bits are filled).
   */
  save(into: Uint8Array): void {
    const image = this.imageOf(into);
    const lazy = this.lazyImage;
    if (lazy !== null) {
      // Restored lazily and never used: the buffer still holds exactly the state restored from it.
      if (lazy === image && image.matches()) return;
      this.loadLazyImage();
    }
    if (!this.changedSinceSync && image !== undefined && image === this.syncedImage && image.matches()) return;
    writeSave(this.registers, into);
    if (image === undefined) {
      this.syncedImage = null;
      return;
    }
    image.record();
    this.syncedImage = image;
    this.changedSinceSync = false;
  }

  /**
   * A context load (frstor without its #MF and alignment checks). Skipped when `from` holds
   * exactly the image of the unit's present state (decoding it gives that state back): tasks
   * that never touch the FPU all hold the same fninit image, so switching between them costs
   * two 27-word comparisons instead of an encoding and a decoding.
   */
  restore(from: Uint8Array): void {
    const image = this.imageOf(from);
    if (image !== undefined && image.matches()) {
      // The unit's own image, unchanged since it wrote it: decoded when first used (loadLazyImage).
      this.lazyImage = image;
      return;
    }
    this.lazyImage = null;
    const synced = this.syncedImage;
    if (!this.changedSinceSync && image !== undefined && synced !== null && image.holds(synced)) {
      image.record();
      this.syncedImage = image;
      return;
    }
    readSave(this.registers, from);
    // An image of the unit's own, unchanged: encoding the decoded state gives these bytes again.
    const own = image !== undefined && image.matches();
    this.syncedImage = own ? image : null;
    this.changedSinceSync = !own;
  }

  /**
   * Loads the lazily restored image: nothing to do when the registers, unchanged, hold that very
   * state (a task switched out and back in without another task using the unit); else the bytes
   * as they were at restore (the unit's record of them: the buffer may have been written since) are decoded.
   */
  private loadLazyImage(): void {
    const image = this.lazyImage!;
    this.lazyImage = null;
    const synced = this.syncedImage;
    if (!this.changedSinceSync && synced !== null && (synced === image || synced.sameRecord(image))) {
      this.syncedImage = image;
      return;
    }
    readSave(this.registers, image.recordBytes());
    // Decoding an own image and encoding the state again gives the same bytes (see save()).
    this.syncedImage = image.matches() ? image : null;
    this.changedSinceSync = this.syncedImage === null;
  }

  /** The save-skip record of a 108-byte, word-aligned context buffer (others are always encoded). */
  private imageOf(buffer: Uint8Array): SavedImage | undefined {
    let image = this.savedImages.get(buffer);
    if (image === undefined && buffer.byteLength === SAVE_SIZE && (buffer.byteOffset & 3) === 0) {
      image = new SavedImage(new Int32Array(buffer.buffer, buffer.byteOffset, SAVE_SIZE / 4));
      this.savedImages.set(buffer, image);
    }
    return image;
  }

  /** 9B wait: Intel SDM 1 §8.6 — a pending unmasked exception is reported as #MF (CR0.NE=1). */
  fwait(): void {
    if (this.sync().pendingUnmasked() !== 0) this.raise(16);
  }

  private raise(vector: number): never {
    this.faultVector = vector;
    throw CPU_FAULT;
  }

  execute(opcode: number, modrm: number, address: number, eip: number): void {
    this.willChange();
    const registers = this.registers;
    const digit = (modrm >> 3) & 7;
    if (modrm >= 0xc0) {
      if (this.isControlRegisterForm(opcode, modrm)) {
        this.executeControlRegister(opcode, modrm);
        return;
      }
      if (registers.pendingUnmasked() !== 0) this.raise(16);
      // An undefined encoding (#UD) changes nothing; register forms cannot fault otherwise.
      if (!this.fast.executeRegister(opcode, modrm) && !this.operations.executeRegister(opcode, modrm)) this.raise(6);
      registers.instructionPointer = eip | 0;
      registers.codeSelector = this.codeSelector;
      registers.opcode = ((opcode & 7) << 8) | modrm;
      return;
    }
    if (this.isControlMemoryForm(opcode, digit)) {
      // fldenv, fldcw and frstor wait: a pending unmasked exception is #MF first (measured).
      if ((digit === 4 || (opcode === 0xd9 && digit === 5)) && registers.pendingUnmasked() !== 0) this.raise(16);
      // Intel SDM 3A Table 6-7: the environment and save areas are aligned to their operand size.
      if (digit === 4 || digit === 6) this.host.memory.checkAlignment?.(address, this.operandSize16 ? 2 : 4);
      this.executeControlMemory(opcode, digit, address >>> 0);
      return;
    }
    if (registers.pendingUnmasked() !== 0) this.raise(16);
    if (!this.memoryForms.isValidMemoryForm(opcode, digit)) this.raise(6);
    // #AC comes before any access and any state change (measured: an 8-byte alignment for m64, m80 and m80bcd).
    this.host.memory.checkAlignment?.(address, memoryOperandAlignment(opcode, digit));
    if (!this.fast.executeMemory(opcode, digit, address | 0)) this.memoryForms.executeMemory(opcode, digit, address >>> 0);
    // Set after the operation so that a memory fault leaves the pointers as they were (restart).
    registers.instructionPointer = eip | 0;
    registers.codeSelector = this.codeSelector;
    registers.opcode = ((opcode & 7) << 8) | modrm;
    registers.dataPointer = address | 0;
    registers.dataSelector = this.dataSelector;
  }

  /**
   * Entry of a compiled block for a register form: the fast path with the
   * instruction's own #MF check and pointer updates. False: nothing changed,
   * run the instruction's handler (execute) instead.
   */
  tryRegister(opcode: number, modrm: number, eip: number): boolean {
    this.willChange();
    const registers = this.registers;
    if (registers.pendingUnmasked() !== 0 || !this.fast.executeRegister(opcode, modrm)) return false;
    registers.instructionPointer = eip;
    registers.codeSelector = this.codeSelector;
    registers.opcode = ((opcode & 7) << 8) | modrm;
    return true;
  }

  /** Entry of a compiled block for fmul st(i) forms (x87-fused.ts fusedRegisterForm), as tryRegister. */
  multiplyRegisters(destination: number, other: number, popAfter: boolean, eip: number, opcodeWord: number): boolean {
    this.willChange();
    const registers = this.registers;
    if (registers.pendingUnmasked() !== 0 || !this.fused.multiply(destination, other, 0)) return false;
    this.finishFused(popAfter, eip, opcodeWord);
    return true;
  }

  /** Entry of a compiled block for fadd/fsub/fsubr st(i) forms (x87-fused.ts fusedRegisterForm), as tryRegister. */
  addRegisters(destination: number, other: number, negateDestination: boolean, negateOther: boolean, popAfter: boolean,
    eip: number, opcodeWord: number): boolean {
    this.willChange();
    const registers = this.registers;
    if (registers.pendingUnmasked() !== 0 || !this.fused.add(destination, other, 0, negateDestination, negateOther)) return false;
    this.finishFused(popAfter, eip, opcodeWord);
    return true;
  }

  /** Entry of a compiled block for fmul m64 at linear `address` (i32), as tryMemory. */
  multiplyDouble(address: number, eip: number, opcodeWord: number): boolean {
    this.willChange();
    if (this.registers.pendingUnmasked() !== 0) return false;
    const memory = this.host.memory;
    if ((address & 7) !== 0) memory.checkAlignment?.(address, 8);
    if (!this.fused.multiply(0, -1, address)) return false;
    this.finishFusedMemory(address, eip, opcodeWord);
    return true;
  }

  /** Entry of a compiled block for fadd/fsub/fsubr m64 at linear `address` (i32), as tryMemory. */
  addDouble(negateDestination: boolean, negateOther: boolean, address: number, eip: number, opcodeWord: number): boolean {
    this.willChange();
    if (this.registers.pendingUnmasked() !== 0) return false;
    const memory = this.host.memory;
    if ((address & 7) !== 0) memory.checkAlignment?.(address, 8);
    if (!this.fused.add(0, -1, address, negateDestination, negateOther)) return false;
    this.finishFusedMemory(address, eip, opcodeWord);
    return true;
  }

  /** Entry of a compiled block for fld m64 at linear `address` (i32), as tryMemory. */
  loadDouble(address: number, eip: number, opcodeWord: number): boolean {
    this.willChange();
    if (this.registers.pendingUnmasked() !== 0) return false;
    const memory = this.host.memory;
    if ((address & 7) !== 0) memory.checkAlignment?.(address, 8);
    if ((address & 0xfff) > 0xff8) memory.checkRead(address, 8);
    if (!this.fast.loadFloat64(memory.read32(address), memory.read32(address + 4))) return false;
    this.finishFusedMemory(address, eip, opcodeWord);
    return true;
  }

  /** Entry of a compiled block for fst/fstp m64 at linear `address` (i32), as tryMemory. */
  storeDouble(popAfter: boolean, address: number, eip: number, opcodeWord: number): boolean {
    this.willChange();
    if (this.registers.pendingUnmasked() !== 0) return false;
    if ((address & 7) !== 0) this.host.memory.checkAlignment?.(address, 8);
    if (!this.fast.storeFloat(address, true, popAfter)) return false;
    this.finishFusedMemory(address, eip, opcodeWord);
    return true;
  }

  private finishFusedMemory(address: number, eip: number, opcodeWord: number): void {
    const registers = this.registers;
    registers.instructionPointer = eip;
    registers.codeSelector = this.codeSelector;
    registers.opcode = opcodeWord;
    registers.dataPointer = address;
    registers.dataSelector = this.dataSelector;
  }

  private finishFused(popAfter: boolean, eip: number, opcodeWord: number): void {
    const registers = this.registers;
    if (popAfter) {
      registers.emptyMask |= 1 << registers.top;
      registers.top = (registers.top + 1) & 7;
    }
    registers.instructionPointer = eip;
    registers.codeSelector = this.codeSelector;
    registers.opcode = opcodeWord;
  }

  /** Entry of a compiled block for a memory form at linear `address` (i32), as tryRegister. */
  tryMemory(opcode: number, modrm: number, address: number, eip: number): boolean {
    this.willChange();
    const registers = this.registers;
    if (registers.pendingUnmasked() !== 0) return false;
    const digit = (modrm >> 3) & 7;
    // The fast path takes no control form (fldenv, fnstcw, ...), whose alignment differs;
    // an 8-byte-aligned operand passes every alignment check.
    if ((address & 7) !== 0) this.host.memory.checkAlignment?.(address, memoryOperandAlignment(opcode, digit));
    if (!this.fast.executeMemory(opcode, digit, address)) return false;
    registers.instructionPointer = eip;
    registers.codeSelector = this.codeSelector;
    registers.opcode = ((opcode & 7) << 8) | modrm;
    registers.dataPointer = address;
    registers.dataSelector = this.dataSelector;
    return true;
  }

  /** fnclex, fninit, fnstsw ax and the 8087 leftovers (feni/fdisi/fsetpm) neither wait nor update the pointers. */
  private isControlRegisterForm(opcode: number, modrm: number): boolean {
    return (opcode === 0xdb && modrm >= 0xe0 && modrm <= 0xe4) || (opcode === 0xdf && modrm === 0xe0);
  }

  private executeControlRegister(opcode: number, modrm: number): void {
    const registers = this.registers;
    if (opcode === 0xdf) {
      this.host.setAx(registers.statusWord);
      return;
    }
    if (modrm === 0xe2) {
      registers.statusFlags &= ~0x80ff;
    } else if (modrm === 0xe3) {
      registers.reset();
    }
  }

  /** fldenv, fldcw, fnstenv, fnstcw (D9 /4-/7), frstor, fnsave, fnstsw (DD /4, /6, /7). */
  private isControlMemoryForm(opcode: number, digit: number): boolean {
    return (opcode === 0xd9 && digit >= 4) || (opcode === 0xdd && (digit === 4 || digit === 6 || digit === 7));
  }

  private executeControlMemory(opcode: number, digit: number, address: number): void {
    const registers = this.registers;
    const memory = this.host.memory;
    const image = this.environment;
    const short = this.operandSize16;
    if (opcode === 0xd9) {
      const size = short ? ENVIRONMENT_SIZE_16 : ENVIRONMENT_SIZE;
      switch (digit) {
        case 4: // fldenv
          this.checkArea(address, size, false);
          for (let index = 0; index < size; index++) image[index] = memory.read8(address + index);
          if (short) readEnvironment16(registers, image); else readEnvironment(registers, image);
          return;
        case 5: // fldcw
          registers.controlWord = (memory.read16(address) & 0x1f7f) | 0x0040;
          return;
        case 6: // fnstenv: then masks all exceptions (Intel SDM 2A FSTENV)
          this.checkArea(address, size, true);
          if (short) writeEnvironment16(registers, image); else writeEnvironment(registers, image);
          for (let index = 0; index < size; index++) memory.write8(address + index, image[index]);
          registers.controlWord |= 0x3f;
          return;
        default: // fnstcw
          memory.write16(address, registers.controlWord);
          return;
      }
    }
    const size = short ? SAVE_SIZE_16 : SAVE_SIZE;
    switch (digit) {
      case 4: // frstor
        this.checkArea(address, size, false);
        for (let index = 0; index < size; index++) image[index] = memory.read8(address + index);
        readSave(registers, image, short);
        return;
      case 6: // fnsave: then fninit
        this.checkArea(address, size, true);
        writeSave(registers, image, short);
        for (let index = 0; index < size; index++) memory.write8(address + index, image[index]);
        registers.reset();
        return;
      default: // fnstsw m16
        memory.write16(address, registers.statusWord);
        return;
    }
  }

  /**
   * Checks an environment or save area in the host processor's order, which
   * decides CR2 when the area crosses into a bad page (measured on the host
   * with the cpu-harness; the SDM does not specify it): the first field (the
   * control word, 4 bytes or 2 with a 16-bit operand size), then the last byte,
   * then the rest.
   */
  private checkArea(address: number, size: number, write: boolean): void {
    const memory = this.host.memory;
    const first = this.operandSize16 ? 2 : 4;
    const last = (address + size - 1) >>> 0;
    if (write) {
      memory.checkWrite(address, first);
      memory.checkWrite(last, 1);
      memory.checkWrite(address, size);
    } else {
      memory.checkRead(address, first);
      memory.checkRead(last, 1);
      memory.checkRead(address, size);
    }
  }
}

/**
 * Alignment of a D8..DF memory operand for #AC (Intel SDM 3A §6.15, Table 6-7):
 * its size for m16/m32/m64, 8 for m80 and m80bcd (measured on the host).
 */
function memoryOperandAlignment(opcode: number, digit: number): number {
  switch (opcode) {
    case 0xdc: return 8;
    case 0xdd: return 8;
    case 0xde: return 2;
    case 0xdb: return digit === 5 || digit === 7 ? 8 : 4;
    case 0xdf: return digit >= 4 ? 8 : 2;
    default: return 4; // d8, da, d9 /0 /2 /3
  }
}
