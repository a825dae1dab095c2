/**
 * The cpu-harness wire format and address layout, mirroring
 * userland/cpu-harness/layout.h (change both together). A TestCase is encoded
 * into one `struct harness_case`; a `struct harness_result` decodes into an
 * Outcome. The vcpu side produces Outcomes of the same shape.
 */

export const PAGE = 4096;
export const CODE_BASE = 0x20000000;
export const CODE_ENTRY = CODE_BASE + 0x800;
/** Data region: pages 0 and 1 read-write, page 2 read-only, page 3 unmapped (guard). */
export const DATA_BASE = 0x30000000;
export const DATA_MAPPED_PAGES = 3;
export const DATA_RW_PAGES = 2;
export const DATA_BYTES = DATA_MAPPED_PAGES * PAGE;
export const READ_ONLY_PAGE = DATA_BASE + DATA_RW_PAGES * PAGE;
export const GUARD_PAGE = DATA_BASE + DATA_MAPPED_PAGES * PAGE;
/** Base of the TLS segment (set_thread_area) loaded into FS/GS by segment-override cases. */
export const TLS_BASE = DATA_BASE - 0x8000;
/** Selectors of an i386 process on an x86-64 Linux kernel (__USER32_CS, __USER_DS). */
export const HOST_USER_CS = 0x23;
export const HOST_USER_DS = 0x2b;

const CASE_MAGIC = 0x45534143;
const RESULT_MAGIC = 0x544c5352;
const HELLO_MAGIC = 0x4f4c4548;
export const MAX_CODE = 16;
export const MAX_PATCHES = 16;
export const MAX_DIFFS = 64;
export const FNSAVE_BYTES = 108;
export const CASE_BYTES = 4 + 32 + 4 + 4 + 4 + 4 + MAX_CODE + FNSAVE_BYTES + MAX_PATCHES * 8;
export const RESULT_BYTES = 4 + 32 + 8 + 8 + 20 + FNSAVE_BYTES + 8 + MAX_DIFFS * 4;
export const HELLO_BYTES = 16;

export interface Patch {
  /** Offset from DATA_BASE of a dword replaced after the seeded fill. */
  offset: number;
  value: number;
}

export interface TestCase {
  /** Index of the form in the table the generator was given. */
  formIndex: number;
  /** eax, ecx, edx, ebx, esp, ebp, esi, edi. */
  gpr: number[];
  eflags: number;
  fs: number;
  gs: number;
  /** Seeds the xorshift32 fill of the data region. */
  seed: number;
  code: Uint8Array;
  /** fnsave image (Intel SDM 1 §8.1.10, 32-bit protected mode layout). */
  fpu: Uint8Array;
  patches: Patch[];
}

export interface Outcome {
  gpr: number[];
  eip: number;
  eflags: number;
  /** es, ds, fs, gs. */
  segments: number[];
  /** Exception vector that ended the run (3 for the trailing int3). -1: did not stop. */
  trapno: number;
  err: number;
  cr2: number;
  fpu: Uint8Array;
  diffCount: number;
  regionHash: number;
  /** First MAX_DIFFS changed bytes: offset | value << 24. */
  diffs: number[];
  /** The vcpu threw a host exception (a vcpu bug) instead of exiting. */
  error?: string;
}

export interface Hello {
  tlsEntry: number;
}

export function encodeCase(testCase: TestCase, into: DataView, at: number): void {
  let offset = at;
  const u32 = (value: number): void => { into.setUint32(offset, value >>> 0, true); offset += 4; };
  const u16 = (value: number): void => { into.setUint16(offset, value & 0xffff, true); offset += 2; };
  const u8 = (value: number): void => { into.setUint8(offset, value & 0xff); offset += 1; };
  u32(CASE_MAGIC);
  for (let i = 0; i < 8; i++) u32(testCase.gpr[i]);
  u32(testCase.eflags);
  u16(testCase.fs);
  u16(testCase.gs);
  u32(testCase.seed);
  if (testCase.code.length > MAX_CODE) throw new RangeError('instruction longer than MAX_CODE');
  if (testCase.patches.length > MAX_PATCHES) throw new RangeError('more than MAX_PATCHES patches');
  u8(testCase.code.length);
  u8(testCase.patches.length);
  u16(0);
  for (let i = 0; i < MAX_CODE; i++) u8(testCase.code[i] ?? 0);
  for (let i = 0; i < FNSAVE_BYTES; i++) u8(testCase.fpu[i]);
  for (let i = 0; i < MAX_PATCHES; i++) {
    u32(testCase.patches[i]?.offset ?? 0);
    u32(testCase.patches[i]?.value ?? 0);
  }
}

export function decodeHello(view: DataView): Hello {
  if (view.getUint32(0, true) !== HELLO_MAGIC) throw new Error('cpu-harness: bad hello record');
  if (view.getUint32(8, true) !== CASE_BYTES || view.getUint32(12, true) !== RESULT_BYTES) {
    throw new Error('cpu-harness: record sizes differ from layout.ts (rebuild userland)');
  }
  return { tlsEntry: view.getUint32(4, true) };
}

export function decodeResult(view: DataView, at: number): Outcome {
  let offset = at;
  const u32 = (): number => { const v = view.getUint32(offset, true); offset += 4; return v; };
  const u16 = (): number => { const v = view.getUint16(offset, true); offset += 2; return v; };
  if (u32() !== RESULT_MAGIC) throw new Error('cpu-harness: bad result record');
  const gpr = Array.from({ length: 8 }, u32);
  const eip = u32();
  const eflags = u32();
  const segments = [u16(), u16(), u16(), u16()];
  u32(); // signo: implied by trapno (Linux's vector-to-signal mapping)
  u32(); // si_code
  const trapno = u32();
  const err = u32();
  const cr2 = u32();
  const fpu = new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + FNSAVE_BYTES));
  offset += FNSAVE_BYTES;
  const diffCount = u32();
  const regionHash = u32();
  const diffs = Array.from({ length: Math.min(diffCount, MAX_DIFFS) }, u32);
  return { gpr, eip, eflags, segments, trapno, err, cr2, fpu, diffCount, regionHash, diffs };
}

/** xorshift32, the data-region fill shared with harness.c. */
export function fillDataRegion(seed: number, into: Uint8Array, patches: readonly Patch[]): void {
  let state = seed >>> 0 || 0x9e3779b9;
  const view = new DataView(into.buffer, into.byteOffset, DATA_BYTES);
  for (let i = 0; i < DATA_BYTES; i += 4) {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    view.setUint32(i, state, true);
  }
  for (const patch of patches) if (patch.offset <= DATA_BYTES - 4) view.setUint32(patch.offset, patch.value >>> 0, true);
}

/** FNV-1a over the region and the list of changed bytes, as harness.c computes them. */
export function diffRegion(before: Uint8Array, after: Uint8Array): { diffCount: number; regionHash: number; diffs: number[] } {
  let hash = 0x811c9dc5;
  const diffs: number[] = [];
  let diffCount = 0;
  for (let i = 0; i < DATA_BYTES; i++) {
    hash = Math.imul(hash ^ after[i], 0x01000193) >>> 0;
    if (after[i] !== before[i]) {
      if (diffCount < MAX_DIFFS) diffs.push((i | (after[i] << 24)) >>> 0);
      diffCount++;
    }
  }
  return { diffCount, regionHash: hash, diffs };
}
