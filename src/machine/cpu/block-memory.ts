/**
 * Aligned 32-bit and 8-bit memory accesses for compiled blocks with the soft
 * TLB's hit path written in place (Mmu.read32/write32/read8/write8's fast path,
 * mmu.ts) and the call kept for everything else. V8 inlines only ~920 bytes of
 * callees into a function, so a block of a dozen pushes, pops and loads ended up
 * calling most of them. Generated code sees `tlb` (the current TLB's entries,
 * soft-tlb.ts layout), `ram` and `ram8` (RAM as i32 and u8) and `code`
 * (codePages): block-compiler.ts binds them, to an empty TLB when the memory has
 * none (every access then calls).
 */
import { TLB_FRAME_MASK, TLB_READ, TLB_WRITE } from '../mmu/soft-tlb.js';

/**
 * An expression for mem.read32(`address`): an aligned address on a page the
 * TLB holds readable is read straight from RAM; anything else (a miss, a
 * misaligned or page-crossing access, a fault) takes mem.read32.
 */
export function read32Source(address: string): string {
  return `(ra = ${address}, re = tlb[ra >>> 12], ((ra & 3) | (~re & ${TLB_READ})) === 0 ` +
    `? ram[((re & ${TLB_FRAME_MASK}) | (ra & 4095)) >>> 2] : mem.read32(ra))`;
}

/**
 * A statement for mem.write32(`address`, `value`) (`value` is evaluated once,
 * after the address): a page the TLB holds writable and the CPU holds no code
 * of is written straight to RAM; a code page takes mem.write32, which drops the code.
 */
export function write32Source(address: string, value: string): string {
  return `wa = ${address}; we = tlb[wa >>> 12]; ` +
    `if (((wa & 3) | (~we & ${TLB_WRITE})) === 0 && code[we >>> 12] === 0) ram[((we & ${TLB_FRAME_MASK}) | (wa & 4095)) >>> 2] = ${value}; ` +
    `else mem.write32(wa, ${value});`;
}

/** An expression for mem.read8(`address`). */
export function read8Source(address: string): string {
  return `(ra = ${address}, re = tlb[ra >>> 12], (re & ${TLB_READ}) !== 0 ? ram8[(re & ${TLB_FRAME_MASK}) | (ra & 4095)] : mem.read8(ra))`;
}

/** A statement for mem.write8(`address`, `value`), as write32Source. */
export function write8Source(address: string, value: string): string {
  return `wa = ${address}; we = tlb[wa >>> 12]; ` +
    `if ((we & ${TLB_WRITE}) !== 0 && code[we >>> 12] === 0) ram8[(we & ${TLB_FRAME_MASK}) | (wa & 4095)] = ${value}; ` +
    `else mem.write8(wa, ${value});`;
}

/** The scratch variables the sources above use (declared once per block). */
export const MEMORY_SCRATCH = 'let ra = 0, re = 0, wa = 0, we = 0;';

/** A TLB with no entries, for memories that have none: every access misses and calls. */
export const EMPTY_TLB = new Int32Array(1 << 20);
/** RAM for memories without a TLB (never indexed: their every access calls). */
export const EMPTY_RAM8 = new Uint8Array(0);
