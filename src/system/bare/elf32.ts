/**
 * A minimal ELF32 reader for the bare runner: the file header and the program
 * headers of a little-endian i386 executable (System V gABI, "ELF header" and
 * "Program header"; i386 psABI). Throws on anything it cannot load: the bare
 * runner is a test harness, and its inputs are the project's own programs.
 */

export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PT_PHDR = 6;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;
const ET_EXEC = 2;
const EM_386 = 3;

export interface ProgramHeader {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  flags: number;
  align: number;
}

export interface Elf32 {
  entry: number;
  phoff: number;
  phentsize: number;
  phnum: number;
  programHeaders: ProgramHeader[];
}

export function parseElf32(bytes: Uint8Array): Elf32 {
  if (bytes.length < 52 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new Error('not an ELF file');
  }
  if (bytes[4] !== 1 || bytes[5] !== 1) throw new Error('not a 32-bit little-endian ELF file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = view.getUint16(16, true);
  const machine = view.getUint16(18, true);
  if (machine !== EM_386) throw new Error(`ELF machine ${machine} is not i386`);
  if (type !== ET_EXEC) throw new Error('only static non-PIE executables (ET_EXEC) are supported by the bare runner');
  const entry = view.getUint32(24, true);
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  const phnum = view.getUint16(44, true);
  if (phentsize < 32 || phoff + phnum * phentsize > bytes.length) throw new Error('bad ELF program header table');
  const programHeaders: ProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    const header: ProgramHeader = {
      type: view.getUint32(at, true),
      offset: view.getUint32(at + 4, true),
      vaddr: view.getUint32(at + 8, true),
      filesz: view.getUint32(at + 16, true),
      memsz: view.getUint32(at + 20, true),
      flags: view.getUint32(at + 24, true),
      align: view.getUint32(at + 28, true),
    };
    if (header.type === PT_INTERP) throw new Error('dynamically linked executables need the kernel loader');
    if (header.type === PT_LOAD && (header.filesz > header.memsz || header.offset + header.filesz > bytes.length)) {
      throw new Error(`bad PT_LOAD segment ${i}`);
    }
    programHeaders.push(header);
  }
  return { entry, phoff, phentsize, phnum, programHeaders };
}
