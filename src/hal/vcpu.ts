/**
 * The virtual CPU as the kernel sees it, modelled on KVM_RUN: `run(budget)`
 * executes guest user code until something needs the kernel and returns why.
 * Exit details (vector, error code, faulting address) are read from the vcpu's
 * fields afterwards, so an exit allocates nothing.
 *
 * The vcpu runs ring 3 only. The kernel is host code: it owns the IDT in
 * TypeScript, so the vcpu reports vectors and the kernel dispatches them.
 */

/** Why run() returned. */
export const Exit = {
  /** `int 0x80`. eip is past the instruction; arguments are in the registers. */
  Syscall: 1,
  /** `sysenter`. eip is past the instruction (Linux's vDSO convention applies). */
  Sysenter: 2,
  /** A CPU exception: see exitVector, exitErrorCode and (for #PF) cr2. For faults eip
   *  is the faulting instruction; for traps (#BP, #OF, #DB single-step) it is the next one. */
  Exception: 3,
  /** An external interrupt is pending (requestInterrupt was called). */
  Interrupt: 4,
  /** The instruction budget is spent. */
  Budget: 5,
  /** `hlt` executed where permitted (never in ring 3: there it is #GP). */
  Halt: 6,
} as const;
export type Exit = (typeof Exit)[keyof typeof Exit];

/** Exception vectors (Intel SDM 3A §6.3.1). */
export const Vector = {
  DE: 0, DB: 1, NMI: 2, BP: 3, OF: 4, BR: 5, UD: 6, NM: 7, DF: 8,
  TS: 10, NP: 11, SS: 12, GP: 13, PF: 14, MF: 16, AC: 17, MC: 18, XM: 19,
} as const;

/** #PF error code bits (Intel SDM 3A §4.7). */
export const PageFaultError = { P: 1, W: 2, U: 4, RSVD: 8, I: 16 } as const;

/** General register indices as encoded in ModRM (Intel SDM 2A §3.1.1.1). */
export const Reg = { EAX: 0, ECX: 1, EDX: 2, EBX: 3, ESP: 4, EBP: 5, ESI: 6, EDI: 7 } as const;

/** Segment register indices as encoded in ModRM.reg of mov Sreg. */
export const Seg = { ES: 0, CS: 1, SS: 2, DS: 3, FS: 4, GS: 5 } as const;

/** EFLAGS bits. */
export const Flag = {
  CF: 1 << 0, PF: 1 << 2, AF: 1 << 4, ZF: 1 << 6, SF: 1 << 7, TF: 1 << 8, IF: 1 << 9,
  DF: 1 << 10, OF: 1 << 11, IOPL: 3 << 12, NT: 1 << 14, RF: 1 << 16, VM: 1 << 17,
  AC: 1 << 18, VIF: 1 << 19, VIP: 1 << 20, ID: 1 << 21,
} as const;

/**
 * A saved user context: what a context switch stores and restores. Created by
 * the vcpu (`createContext`) so its layout is the vcpu's business.
 */
export interface CpuContext {
  /** eax, ecx, edx, ebx, esp, ebp, esi, edi. */
  readonly gpr: Int32Array;
  eip: number;
  eflags: number;
  /** Selectors es, cs, ss, ds, fs, gs. */
  readonly segments: Uint16Array;
  /** x87 state in the 108-byte fnsave layout (Intel SDM 1 §8.1.10, 32-bit protected mode). */
  readonly fpu: Uint8Array;
}

/** The vcpu interface. One instance per emulated processor; no module-level state. */
export interface Vcpu {
  /** Live general registers (eax..edi). The kernel reads syscall arguments here and writes eax. */
  readonly gpr: Int32Array;
  eip: number;
  getEflags(): number;
  /** Sets the user-writable bits of EFLAGS as popf in ring 3 would (IF/IOPL unchanged). */
  setEflags(value: number): void;

  /** Runs until an exit; at most `budget` instructions. Returns the exit reason. */
  run(budget: number): Exit;
  /** Instructions retired since the vcpu was created (the virtual clock source). */
  readonly instructionsRetired: number;

  /** Details of the last Exit.Exception. */
  readonly exitVector: number;
  readonly exitErrorCode: number;
  /** Faulting linear address of the last #PF (CR2). */
  readonly cr2: number;

  /**
   * Loads CR3 (physical address of the page directory) and flushes non-global TLB entries.
   * With `keepTlb` (as a PCID with the no-flush bit) the translations cached earlier for this
   * CR3 may be reused: the caller must have invalidated, with invalidatePage(linear, cr3) or
   * flushTlb(cr3), every paging entry it changed in that address space since it was last loaded.
   */
  setCr3(physical: number, keepTlb?: boolean): void;
  getCr3(): number;
  /** Invalidates the TLB entry of one linear page (invlpg), or with `cr3` that of the address space with that CR3 (INVPCID). */
  invalidatePage(linear: number, cr3?: number): void;
  /** Flushes the whole TLB, or with `cr3` what is cached for that address space (cost proportional to the entries in use). */
  flushTlb(cr3?: number): void;

  /**
   * Sets GDT entry `index` from its two raw descriptor words, as Linux's
   * set_thread_area writes them (entries 6..8 are the TLS slots). The vcpu
   * resolves segment loads (mov gs, pop fs, ...) against these entries.
   */
  setGdtEntry(index: number, low: number, high: number): void;
  getSegment(seg: number): number;
  /** Loads a segment register as the kernel would on return to user (no checks beyond the descriptor). */
  setSegment(seg: number, selector: number): boolean;

  /** Context switch support. */
  createContext(): CpuContext;
  saveContext(into: CpuContext): void;
  loadContext(from: CpuContext): void;
  /** Reinitializes the x87 unit as on execve (fninit state, control word 0x037f). */
  resetFpu(): void;

  /**
   * The kernel wrote this physical page itself (exec loading code, read() into
   * user memory, a freed page handed out again): the vcpu drops any decoded
   * instructions it cached for it. Cheap when nothing was cached.
   */
  invalidatePhysicalPage(physical: number): void;

  /** Asks run() to return Exit.Interrupt at the next instruction boundary. Safe from device code. */
  requestInterrupt(): void;
}
