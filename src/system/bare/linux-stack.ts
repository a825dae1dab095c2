/**
 * The initial user stack of a new process in Linux's i386 layout
 * (fs/binfmt_elf.c create_elf_tables, fs/exec.c copy_strings): from the top,
 * a NULL word, the executable's name, the environment and argument strings,
 * the AT_PLATFORM string and the 16 AT_RANDOM bytes; below them, 16-byte
 * aligned, argc, argv[], NULL, envp[], NULL and the auxiliary vector.
 */

/** Auxiliary vector keys (include/uapi/linux/auxvec.h). */
export const AT = {
  NULL: 0, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8, ENTRY: 9,
  UID: 11, EUID: 12, GID: 13, EGID: 14, PLATFORM: 15, HWCAP: 16, CLKTCK: 17,
  SECURE: 23, RANDOM: 25, EXECFN: 31,
} as const;

export interface StackImage {
  /** Linear address of the lowest byte of `bytes`. */
  base: number;
  bytes: Uint8Array;
  /** Initial esp: points at argc; 16-byte aligned as on Linux. */
  stackPointer: number;
}

export interface StackInputs {
  /** Linear address one past the top of the stack (Linux i386: 0xc0000000). */
  top: number;
  argv: readonly string[];
  envp: readonly string[];
  execfn: string;
  /** AT_* pairs except PLATFORM, RANDOM and EXECFN, which are added here. */
  auxv: readonly (readonly [number, number])[];
  /** The 16 AT_RANDOM bytes (deterministic: the harness chooses them). */
  random: Uint8Array;
}

export function buildLinuxStack(inputs: StackInputs): StackImage {
  const encoder = new TextEncoder();
  const cString = (s: string): Uint8Array => {
    const encoded = encoder.encode(s);
    const bytes = new Uint8Array(encoded.length + 1);
    bytes.set(encoded);
    return bytes;
  };
  // Lay out the top area downwards, remembering each item's address.
  const items: { at: number; bytes: Uint8Array }[] = [];
  let p = inputs.top - 4; // fs/exec.c: bprm->p starts one pointer below the top
  const push = (bytes: Uint8Array): number => {
    p -= bytes.length;
    items.push({ at: p, bytes });
    return p;
  };
  const execfnAt = push(cString(inputs.execfn));
  const envAt: number[] = [];
  for (let i = inputs.envp.length - 1; i >= 0; i--) envAt[i] = push(cString(inputs.envp[i]));
  const argAt: number[] = [];
  for (let i = inputs.argv.length - 1; i >= 0; i--) argAt[i] = push(cString(inputs.argv[i]));
  p = (p & ~0xf) >>> 0; // arch_align_stack without randomisation
  const platformAt = push(cString('i686'));
  const randomAt = push(inputs.random.subarray(0, 16));

  const auxv: number[] = [];
  for (const [key, value] of inputs.auxv) auxv.push(key, value);
  auxv.push(AT.RANDOM, randomAt, AT.EXECFN, execfnAt, AT.PLATFORM, platformAt, AT.NULL, 0);
  const words = [inputs.argv.length, ...argAt, 0, ...envAt, 0, ...auxv];
  const stackPointer = ((p - words.length * 4) & ~0xf) >>> 0;

  const base = stackPointer;
  const bytes = new Uint8Array(inputs.top - base);
  const view = new DataView(bytes.buffer);
  words.forEach((word, i) => view.setUint32(i * 4, word >>> 0, true));
  for (const item of items) bytes.set(item.bytes, item.at - base);
  return { base, bytes, stackPointer };
}
