/**
 * Malformed ELF files from a valid static i386 executable and a seed: each
 * mutant applies one to three mutations chosen from the ways a loader can be
 * fooled — truncation, bad e_phoff/e_phnum/e_phentsize, bad program header
 * fields, overlapping or huge segments, bad PT_INTERP paths, bad entry points,
 * wrong identification bytes and random header bytes. Offsets are ELF32's
 * (System V ABI, ch. 4: the ELF header is 52 bytes, a program header 32).
 */

const E_TYPE = 16;
const E_MACHINE = 18;
const E_ENTRY = 24;
const E_PHOFF = 28;
const E_PHENTSIZE = 42;
const E_PHNUM = 44;
const PHDR_SIZE = 32;
const PT_LOAD = 1;
const PT_INTERP = 3;

/** Values that sit on the edges loaders check. */
const edgeValues = [0, 1, 0x7fffffff, 0x80000000, 0xbffff000, 0xc0000000, 0xfffff000, 0xffffffff, 0x1000, 0xfff];
const interpreterPaths = ['/nonexistent/ld.so', '/dev/null', '/', '/dev/zero', '/bin', 'relative-ld.so', `/${'x'.repeat(300)}`];

/** xorshift32 (Marsaglia 2003): deterministic from the seed. */
export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = (Math.imul(seed >>> 0, 0x9e3779b1) ^ 0x7f4a7c15) >>> 0 || 1;
    for (let i = 0; i < 4; i++) this.next();
  }
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  below(n: number): number { return this.next() % n; }
  pick<T>(items: readonly T[]): T { return items[this.below(items.length)]!; }
}

export interface Mutant {
  readonly data: Uint8Array;
  /** What was done, for the report (e.g. "phdr[3].p_memsz=0xfffff000"). */
  readonly mutations: readonly string[];
}

const hex = (value: number): string => `0x${(value >>> 0).toString(16)}`;

function programHeaderCount(view: DataView): number {
  return view.byteLength >= 46 ? view.getUint16(E_PHNUM, true) : 0;
}

function programHeaderOffset(view: DataView, index: number): number | null {
  if (view.byteLength < 52) return null;
  const offset = view.getUint32(E_PHOFF, true) + index * PHDR_SIZE;
  return offset + PHDR_SIZE <= view.byteLength ? offset : null;
}

function loadIndexes(view: DataView): number[] {
  const indexes: number[] = [];
  for (let i = 0; i < programHeaderCount(view); i++) {
    const offset = programHeaderOffset(view, i);
    if (offset !== null && view.getUint32(offset, true) === PT_LOAD) indexes.push(i);
  }
  return indexes;
}

type Mutation = (bytes: Uint8Array, random: SeededRandom) => { bytes: Uint8Array; note: string };

const mutations: readonly Mutation[] = [
  function truncate(bytes, random) {
    const length = random.below(2) ? random.below(Math.min(bytes.length, 4096)) : random.below(bytes.length);
    return { bytes: bytes.slice(0, length), note: `truncated to ${length}` };
  },
  function badPhoff(bytes, random) {
    const value = random.pick([...edgeValues, bytes.length - 16, bytes.length + 64, 51, random.next()]);
    new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(E_PHOFF, value, true);
    return { bytes, note: `e_phoff=${hex(value)}` };
  },
  function badPhnum(bytes, random) {
    const value = random.pick([0, 1, 0xffff, 0x1000, 64, 65, random.below(200)]);
    new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint16(E_PHNUM, value, true);
    return { bytes, note: `e_phnum=${value}` };
  },
  function badPhentsize(bytes, random) {
    const value = random.pick([0, 31, 33, 56, 0xffff, random.below(100)]);
    new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint16(E_PHENTSIZE, value, true);
    return { bytes, note: `e_phentsize=${value}` };
  },
  function badProgramHeaderField(bytes, random) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const index = random.below(Math.max(1, programHeaderCount(view)));
    const offset = programHeaderOffset(view, index);
    if (offset === null) return { bytes, note: 'no program header to corrupt' };
    const field = random.below(8);
    const names = ['p_type', 'p_offset', 'p_vaddr', 'p_paddr', 'p_filesz', 'p_memsz', 'p_flags', 'p_align'];
    const value = random.pick([...edgeValues, bytes.length, bytes.length + 1, random.next(), 3, 0x1001]);
    view.setUint32(offset + field * 4, value, true);
    return { bytes, note: `phdr[${index}].${names[field]}=${hex(value)}` };
  },
  function overlappingSegments(bytes, random) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const loads = loadIndexes(view);
    if (loads.length < 2) return { bytes, note: 'fewer than two PT_LOAD' };
    const target = programHeaderOffset(view, random.pick(loads))!;
    const other = programHeaderOffset(view, random.pick(loads))!;
    const vaddr = (view.getUint32(other + 8, true) + random.pick([0, 0x10, 0x1000, 0x800])) >>> 0;
    view.setUint32(target + 8, vaddr, true);
    return { bytes, note: `PT_LOAD moved over another at ${hex(vaddr)}` };
  },
  function hugeSegment(bytes, random) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const loads = loadIndexes(view);
    if (loads.length === 0) return { bytes, note: 'no PT_LOAD' };
    const index = random.pick(loads);
    const offset = programHeaderOffset(view, index)!;
    const value = random.pick([0x80000000, 0xfffff000, 0x40000000, 0xb8000000, 0x10000000]);
    const field = random.below(2) ? 20 : 16;
    view.setUint32(offset + field, value, true);
    return { bytes, note: `phdr[${index}].${field === 20 ? 'p_memsz' : 'p_filesz'}=${hex(value)}` };
  },
  function badInterpreter(bytes, random) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const count = programHeaderCount(view);
    const index = count > 0 ? count - 1 - random.below(Math.min(count, 3)) : 0;
    const offset = programHeaderOffset(view, index);
    if (offset === null) return { bytes, note: 'no program header for PT_INTERP' };
    const path = random.pick(interpreterPaths);
    const terminated = random.below(4) !== 0;
    const text = new TextEncoder().encode(terminated ? `${path}\0` : path);
    const grown = new Uint8Array(bytes.length + text.length);
    grown.set(bytes);
    grown.set(text, bytes.length);
    const grownView = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
    grownView.setUint32(offset, PT_INTERP, true);
    grownView.setUint32(offset + 4, random.below(8) === 0 ? random.pick(edgeValues) : bytes.length, true);
    grownView.setUint32(offset + 16, random.below(8) === 0 ? random.pick([0, 0xffffffff, 0x10000]) : text.length, true);
    return { bytes: grown, note: `phdr[${index}] PT_INTERP ${JSON.stringify(path.slice(0, 40))}${terminated ? '' : ' unterminated'}` };
  },
  function badEntry(bytes, random) {
    const value = random.pick([...edgeValues, random.next()]);
    new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(E_ENTRY, value, true);
    return { bytes, note: `e_entry=${hex(value)}` };
  },
  function badIdentification(bytes, random) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const choice = random.below(4);
    if (choice === 0) { const value = random.pick([0, 1, 3, 4, 0xffff]); view.setUint16(E_TYPE, value, true); return { bytes, note: `e_type=${value}` }; }
    if (choice === 1) { const value = random.pick([0, 62, 40, 6]); view.setUint16(E_MACHINE, value, true); return { bytes, note: `e_machine=${value}` }; }
    const at = random.pick([4, 5, 6, 0, 3]);
    const value = random.below(256);
    bytes[at] = value;
    return { bytes, note: `e_ident[${at}]=${value}` };
  },
  function randomHeaderBytes(bytes, random) {
    const count = 1 + random.below(8);
    const span = Math.min(bytes.length, 52 + 8 * PHDR_SIZE);
    for (let i = 0; i < count && span > 0; i++) bytes[random.below(span)] = random.below(256);
    return { bytes, note: `${count} random header bytes` };
  },
];

/** The `seed`th mutant of `original` (a valid ELF32 executable). */
export function mutateElf(original: Uint8Array, seed: number): Mutant {
  const random = new SeededRandom(seed);
  // A copy, not slice(): a Node Buffer's slice() is a view of the original.
  let bytes: Uint8Array = new Uint8Array(original);
  const notes: string[] = [];
  const count = 1 + random.below(3);
  for (let i = 0; i < count; i++) {
    const mutation = random.pick(mutations);
    const result = mutation(bytes, random);
    bytes = result.bytes;
    notes.push(result.note);
  }
  return { data: bytes, mutations: notes };
}
