/**
 * The initial process stack as Linux builds it (fs/exec.c copy_strings,
 * fs/binfmt_elf.c create_elf_tables), from the top of user space down:
 * an end marker, the exec file name, environment strings, argument strings,
 * the platform string "i686", 16 AT_RANDOM bytes, then (16-byte aligned)
 * argc, argv[], NULL, envp[], NULL, auxv pairs ending in AT_NULL.
 */
import { copyToUser, STACK_TOP } from '../mm/index.js';
import type { AddressSpace } from '../mm/index.js';
import { EFAULT } from '../lib/index.js';

export const AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8,
  AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16,
  AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31;

export interface StackImage {
  readonly argv: readonly Uint8Array[];
  readonly envp: readonly Uint8Array[];
  readonly execfn: Uint8Array;
  readonly random: Uint8Array;
  /** auxv pairs before AT_EXECFN / AT_PLATFORM / AT_RANDOM, which this fills in. */
  readonly auxv: readonly [number, number][];
}

/** Writes the stack into `mm`; returns the initial esp or -EFAULT (stack too large for the VMA). */
export function buildInitialStack(mm: AddressSpace, image: StackImage): number {
  let p = STACK_TOP - 4;
  if (copyToUser(mm, p, new Uint8Array(4)) < 0) return -EFAULT;
  const pushString = (bytes: Uint8Array): number => {
    p -= bytes.length + 1;
    const withNul = new Uint8Array(bytes.length + 1);
    withNul.set(bytes);
    return copyToUser(mm, p, withNul) < 0 ? -1 : p;
  };
  const execfn = pushString(image.execfn);
  const envAddresses: number[] = [];
  const argAddresses: number[] = [];
  for (let i = image.envp.length - 1; i >= 0; i--) envAddresses.unshift(pushString(image.envp[i]!));
  for (let i = image.argv.length - 1; i >= 0; i--) argAddresses.unshift(pushString(image.argv[i]!));
  if (execfn < 0 || envAddresses.includes(-1) || argAddresses.includes(-1)) return -EFAULT;
  p = (p & ~0xf) >>> 0;
  const platform = pushString(new TextEncoder().encode('i686'));
  p -= 16;
  const random = p;
  if (platform < 0 || copyToUser(mm, random, image.random) < 0) return -EFAULT;
  const auxv: [number, number][] = [...image.auxv, [AT_RANDOM, random], [AT_EXECFN, execfn], [AT_PLATFORM, platform], [AT_NULL, 0]];
  const words = [image.argv.length, ...argAddresses, 0, ...envAddresses, 0, ...auxv.flat()];
  const items = image.argv.length + 1 + image.envp.length + 1 + 1;
  // STACK_ROUND(sp, items) after reserving the auxv words: argc lands 16-byte aligned.
  const sp = ((p - auxv.length * 8) - items * 4) & ~0xf;
  const table = new Uint8Array(words.length * 4);
  const view = new DataView(table.buffer);
  words.forEach((word, i) => view.setUint32(i * 4, word >>> 0, true));
  if (copyToUser(mm, sp >>> 0, table) < 0) return -EFAULT;
  // mm_struct's arg_start..env_end and start_stack, which /proc/PID/cmdline, environ and stat report.
  const stringEnd = (address: number, bytes: Uint8Array): number => address + bytes.length + 1;
  mm.argStart = argAddresses[0] ?? p;
  mm.argEnd = image.argv.length ? stringEnd(argAddresses[argAddresses.length - 1]!, image.argv[image.argv.length - 1]!) : mm.argStart;
  mm.envStart = envAddresses[0] ?? mm.argEnd;
  mm.envEnd = image.envp.length ? stringEnd(envAddresses[envAddresses.length - 1]!, image.envp[image.envp.length - 1]!) : mm.envStart;
  mm.startStack = sp >>> 0;
  return sp >>> 0;
}
