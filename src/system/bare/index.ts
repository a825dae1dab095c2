/** The bare runner: static ELF programs on a machine without the kernel, for CPU tests and benchmarks. */
export { loadStaticElf, mapSnapshot, STACK_TOP, type LoadOptions, type LoadedImage, type SnapshotRegion } from './load-static-elf.js';
export { runBare, type BareRunOptions, type BareRunResult, type BareStopReason } from './run-bare.js';
export { createWriteExitSyscalls, type WriteExitSyscalls } from './bare-syscalls.js';
export { parseElf32, type Elf32, type ProgramHeader } from './elf32.js';
export { buildLinuxStack, AT } from './linux-stack.js';
