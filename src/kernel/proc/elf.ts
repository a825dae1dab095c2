/**
 * ELF32 i386 parsing for execve (System V ABI, Intel386 supplement; Linux's
 * fs/binfmt_elf.c checks): the file header and program headers, validated so
 * that garbage gets ENOEXEC before the point of no return, never an exception.
 */
import { EIO, ENOEXEC } from '../lib/index.js';
import { PAGE_SIZE, TASK_SIZE } from '../mm/index.js';

export const ET_EXEC = 2;
export const ET_DYN = 3;
export const EM_386 = 3;
export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PT_PHDR = 6;
export const PT_GNU_STACK = 0x6474e551;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export interface ProgramHeader {
  readonly type: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly filesz: number;
  readonly memsz: number;
  readonly flags: number;
  readonly align: number;
}

export interface ElfImage {
  readonly type: number;
  readonly entry: number;
  readonly phoff: number;
  readonly phnum: number;
  readonly headers: readonly ProgramHeader[];
  readonly loads: readonly ProgramHeader[];
  /** The PT_INTERP path, if any. */
  readonly interpreter: string | null;
  /** Valid enough to start exec, invalid once loading: the task dies with SIGSEGV after the point of no return. */
  readonly fatal: boolean;
}

const PHENT = 32;
/** load_elf_phdrs: at most 64 KiB of program headers (Linux 6.x; measured natively: 137 headers run). */
const MAX_PHNUM = 65536 / PHENT;
/** arch/x86/include/asm/elf.h elf_check_arch_ia32: EM_386 or EM_486; nothing checks e_ident's class, data or version. */
const EM_486 = 6;
const PATH_MAX = 4096;

/**
 * Parses an executable from its first bytes `file` (the whole file, or a window of it) of a file of `fileSize`
 * bytes, with load_elf_binary's checks in its order: before the point of no return a bad header is -ENOEXEC and
 * a PT_INTERP string past the end of the file -EIO; what Linux finds only while mapping (misaligned or
 * oversized segments, no PT_LOAD, an entry outside user space) sets `fatal`, which kills the task with SIGSEGV.
 */
export function parseElf(file: Uint8Array, fileSize = file.length): ElfImage | number {
  if (file.length < 52) return -ENOEXEC;
  if (file[0] !== 0x7f || file[1] !== 0x45 || file[2] !== 0x4c || file[3] !== 0x46) return -ENOEXEC;
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const type = view.getUint16(16, true);
  const machine = view.getUint16(18, true);
  if ((type !== ET_EXEC && type !== ET_DYN) || (machine !== EM_386 && machine !== EM_486)) return -ENOEXEC;
  const entry = view.getUint32(24, true);
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  const phnum = view.getUint16(44, true);
  // A short read of the program headers makes load_elf_phdrs fail, which load_elf_binary reports as -ENOEXEC.
  if (phentsize !== PHENT || phnum < 1 || phnum > MAX_PHNUM || phoff + phnum * PHENT > Math.min(file.length, fileSize)) return -ENOEXEC;
  const headers: ProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * PHENT;
    headers.push({
      type: view.getUint32(at, true), offset: view.getUint32(at + 4, true), vaddr: view.getUint32(at + 8, true),
      filesz: view.getUint32(at + 16, true), memsz: view.getUint32(at + 20, true),
      flags: view.getUint32(at + 24, true), align: view.getUint32(at + 28, true),
    });
  }
  let interpreter: string | null = null;
  // Only the first PT_INTERP counts.
  const interp = headers.find((h) => h.type === PT_INTERP);
  if (interp) {
    if (interp.filesz < 2 || interp.filesz > PATH_MAX) return -ENOEXEC;
    if (interp.offset + interp.filesz > fileSize) return -EIO;
    if (interp.offset + interp.filesz > file.length) return -ENOEXEC;
    const bytes = file.subarray(interp.offset, interp.offset + interp.filesz);
    if (bytes[bytes.length - 1] !== 0) return -ENOEXEC;
    interpreter = new TextDecoder().decode(bytes.subarray(0, bytes.length - 1));
  }
  // Past the point of no return: load_elf_binary's -EINVAL and mapping failures end in SIGSEGV.
  const loads = headers.filter((h) => h.type === PT_LOAD);
  // With an interpreter, ld.so's entry is the one checked (BAD_ADDR(elf_entry)); the program's only goes to AT_ENTRY.
  let fatal = loads.length === 0 || (interpreter === null && type === ET_EXEC && entry >= TASK_SIZE);
  for (const load of loads) {
    // A segment may extend past the end of the file: Linux maps it and the access faults later.
    if (load.filesz > load.memsz || load.memsz > TASK_SIZE || load.vaddr + load.memsz > TASK_SIZE) fatal = true;
    // elf_map: the file offset and address must agree modulo the page size, or mmap fails with EINVAL.
    if ((load.vaddr - load.offset) % PAGE_SIZE !== 0) fatal = true;
  }
  return { type, entry, phoff, phnum, headers, loads, interpreter, fatal };
}

/** The span [low, high) of the loadable segments, page-aligned. */
export function loadSpan(image: ElfImage): { low: number; high: number } {
  let low = TASK_SIZE;
  let high = 0;
  for (const load of image.loads) {
    low = Math.min(low, Math.floor(load.vaddr / PAGE_SIZE) * PAGE_SIZE);
    high = Math.max(high, Math.ceil((load.vaddr + load.memsz) / PAGE_SIZE) * PAGE_SIZE);
  }
  return { low, high };
}
