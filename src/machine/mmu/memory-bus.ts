/**
 * The linear-address memory interface the CPU core and the x87 unit use.
 * Implemented by the MMU (src/machine/mmu/mmu.ts): every access translates
 * through the soft TLB / page tables with user (CPL 3) permissions.
 *
 * On a fault an access records it (#PF: vector 14, error code, cr2; #AC:
 * vector 17) and throws CPU_FAULT (../cpu/fault.ts). Multi-byte accesses that
 * cross a page boundary check both pages before touching either.
 */
export interface MemoryBus {
  read8(linear: number): number;
  read16(linear: number): number;
  /** Returns the value as i32 (`| 0`). */
  read32(linear: number): number;
  write8(linear: number, value: number): void;
  write16(linear: number, value: number): void;
  write32(linear: number, value: number): void;

  /** Faults now (as a write would) unless all of [linear, linear+length) is user-writable. */
  checkWrite(linear: number, length: number): void;
  /** Faults now (as a read would) unless all of [linear, linear+length) is user-readable. */
  checkRead(linear: number, length: number): void;
  /**
   * Raises #AC now when alignment checking is on (CR0.AM, EFLAGS.AC, CPL 3)
   * and `linear` is not a multiple of `alignment` (a power of two). For
   * operands the plain accesses would not catch: x87 m64/m80/m80bcd need 8,
   * the fnstenv/fnsave areas 4 (Intel SDM 3A §6.15, Table 6-7; measured).
   * Optional so that test memories without alignment checking need not have it.
   */
  checkAlignment?(linear: number, alignment: number): void;

  /** Instruction fetch of one byte (same permissions as a read; no NX in 32-bit non-PAE paging). */
  fetch8(linear: number): number;
}
