/**
 * The reference page walk: 32-bit paging with CR4.PSE=1 (Intel SDM 3A §4.3),
 * for user-mode (CPL 3) accesses only. `walkPageTables` translates one linear
 * address by reading the page directory and page table from RAM. It is the
 * slow path behind the soft TLB and, with `updateBits` false, a side-effect-free
 * oracle for tests.
 */
import { PageFaultError } from '../../hal/vcpu.js';
import type { Ram } from '../memory/ram.js';

/** Paging-structure entry bits (Intel SDM 3A §4.3, Tables 4-4 to 4-6). */
export const PageEntry = {
  P: 1 << 0, RW: 1 << 1, US: 1 << 2, PWT: 1 << 3, PCD: 1 << 4,
  A: 1 << 5, D: 1 << 6, PS: 1 << 7, G: 1 << 8,
} as const;

/**
 * A 4 MiB PDE's bits 21:13. Bits (M-20):13 hold physical-address bits above 31
 * (PSE-36); with MAXPHYADDR = 32 there are none, so bits 21:13 are reserved
 * and a set bit is a reserved-bit violation (Intel SDM 3A Table 4-4, §4.7).
 */
export const PSE_RESERVED_BITS = 0x003fe000;

const FRAME_MASK = 0xfffff000;
const LARGE_FRAME_MASK = 0xffc00000;

/** Outcome of a walk. Reused by the MMU so a walk allocates nothing. */
export class PageWalkResult {
  /** Physical address of the 4 KiB page (page-aligned, u32) on success. */
  physicalPage = 0;
  /** Writable at both levels. */
  writable = false;
  /** Dirty bit of the final entry (PTE or 4 MiB PDE) after the walk. */
  dirty = false;
  /** The translation came from a 4 MiB page. */
  large = false;
  /** The #PF error code on failure (Intel SDM 3A §4.7); U is always set. */
  errorCode = 0;
}

/**
 * Translates `linear` for a user read (`write` false) or write. Returns true
 * with `out.physicalPage` set, or false with `out.errorCode` set. With
 * `updateBits` a successful walk sets the accessed bits in the PDE and PTE and,
 * for a write, the dirty bit in the final entry, writing them back to RAM
 * (Intel SDM 3A §4.8).
 */
export function walkPageTables(ram: Ram, cr3: number, linear: number, write: boolean,
  updateBits: boolean, out: PageWalkResult): boolean {
  const accessBits = PageFaultError.U | (write ? PageFaultError.W : 0);
  const pdeAddress = ((cr3 & FRAME_MASK) | ((linear >>> 22) << 2)) >>> 0;
  const pde = ram.readPhysical32(pdeAddress);
  if ((pde & PageEntry.P) === 0) {
    out.errorCode = accessBits;
    return false;
  }

  if ((pde & PageEntry.PS) !== 0) {
    // A 4 MiB page: the PDE maps the page directly.
    if ((pde & PSE_RESERVED_BITS) !== 0) {
      out.errorCode = accessBits | PageFaultError.P | PageFaultError.RSVD;
      return false;
    }
    if ((pde & PageEntry.US) === 0 || (write && (pde & PageEntry.RW) === 0)) {
      out.errorCode = accessBits | PageFaultError.P;
      return false;
    }
    let finalPde = pde;
    if (updateBits) {
      finalPde = pde | PageEntry.A | (write ? PageEntry.D : 0);
      if (finalPde !== pde) ram.writePhysical32(pdeAddress, finalPde);
    }
    out.physicalPage = ((pde & LARGE_FRAME_MASK) | (linear & 0x003ff000)) >>> 0;
    out.writable = (pde & PageEntry.RW) !== 0;
    out.dirty = (finalPde & PageEntry.D) !== 0;
    out.large = true;
    return true;
  }

  const pteAddress = ((pde & FRAME_MASK) | (((linear >>> 12) & 0x3ff) << 2)) >>> 0;
  const pte = ram.readPhysical32(pteAddress);
  if ((pte & PageEntry.P) === 0) {
    out.errorCode = accessBits;
    return false;
  }
  // Intel SDM 3A §4.6.1: for user accesses the effective U/S and R/W are the
  // AND of both levels (CR0.WP only matters for supervisor writes).
  const both = pde & pte;
  if ((both & PageEntry.US) === 0 || (write && (both & PageEntry.RW) === 0)) {
    out.errorCode = accessBits | PageFaultError.P;
    return false;
  }
  let finalPte = pte;
  if (updateBits) {
    if ((pde & PageEntry.A) === 0) ram.writePhysical32(pdeAddress, pde | PageEntry.A);
    finalPte = pte | PageEntry.A | (write ? PageEntry.D : 0);
    if (finalPte !== pte) ram.writePhysical32(pteAddress, finalPte);
  }
  out.physicalPage = (pte & FRAME_MASK) >>> 0;
  out.writable = (both & PageEntry.RW) !== 0;
  out.dirty = (finalPte & PageEntry.D) !== 0;
  out.large = false;
  return true;
}
