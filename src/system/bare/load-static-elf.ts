/**
 * Bare-runner loading (a test and benchmark harness, NOT the kernel's exec:
 * the kernel engineer owns the real loader). `loadStaticElf` maps the PT_LOAD
 * segments of a static non-PIE i386 ELF into fresh page tables, builds a
 * Linux-layout stack and sets the vcpu's registers as Linux's start_thread
 * does; `mapSnapshot` maps raw memory regions at given linear addresses.
 */
import { Seg } from '../../hal/vcpu.js';
import { PageTableBuilder, type Machine } from '../../machine/index.js';
import { AT, buildLinuxStack } from './linux-stack.js';
import { PF_W, PT_LOAD, PT_PHDR, parseElf32 } from './elf32.js';

/** Linux i386 with the 3G/1G split: the stack ends at TASK_SIZE. */
export const STACK_TOP = 0xc0000000;
const USER_CS = 0x73;
const USER_DS = 0x7b;

export interface LoadOptions {
  envp?: readonly string[];
  /** Bytes of stack mapped below STACK_TOP (default 1 MiB). */
  stackSize?: number;
  /** Page tables to load into (default: fresh ones from the top of RAM). */
  pages?: PageTableBuilder;
  /** The 16 AT_RANDOM bytes (default: a fixed pattern, for determinism). */
  random?: Uint8Array;
}

export interface LoadedImage {
  entry: number;
  stackPointer: number;
  /** First byte past the highest segment, page-aligned: where a brk heap would start. */
  brk: number;
  pages: PageTableBuilder;
}

/** Loads `elfBytes` into `machine` and points the vcpu at its entry; the vcpu's CR3 is loaded. */
export function loadStaticElf(machine: Machine, elfBytes: Uint8Array, argv: readonly string[],
  options: LoadOptions = {}): LoadedImage {
  const elf = parseElf32(elfBytes);
  const pages = options.pages ?? new PageTableBuilder(machine.ram);
  let brk = 0;
  let phdrAddress = 0;
  for (const segment of elf.programHeaders) {
    if (segment.type === PT_PHDR) phdrAddress = segment.vaddr;
    if (segment.type !== PT_LOAD || segment.memsz === 0) continue;
    pages.ensureMapped(segment.vaddr, segment.memsz, { writable: (segment.flags & PF_W) !== 0 });
    pages.writeLinear(segment.vaddr, elfBytes.subarray(segment.offset, segment.offset + segment.filesz));
    // The bss part of a page shared with file data must read as zero (Linux: padzero).
    const bssStart = segment.vaddr + segment.filesz;
    const bssEnd = Math.min(segment.vaddr + segment.memsz, ((bssStart + 0xfff) & ~0xfff) >>> 0);
    if (bssEnd > bssStart) pages.writeLinear(bssStart, new Uint8Array(bssEnd - bssStart));
    if (phdrAddress === 0 && segment.offset <= elf.phoff && elf.phoff < segment.offset + segment.filesz) {
      phdrAddress = segment.vaddr + (elf.phoff - segment.offset);
    }
    brk = Math.max(brk, ((segment.vaddr + segment.memsz + 0xfff) & ~0xfff) >>> 0);
  }

  const stackSize = options.stackSize ?? 1 << 20;
  pages.ensureMapped(STACK_TOP - stackSize, stackSize, { writable: true });
  const stack = buildLinuxStack({
    top: STACK_TOP,
    argv,
    envp: options.envp ?? [],
    execfn: argv[0] ?? '',
    auxv: [
      [AT.HWCAP, 0], [AT.PAGESZ, 4096], [AT.CLKTCK, 100], [AT.PHDR, phdrAddress], [AT.PHENT, elf.phentsize],
      [AT.PHNUM, elf.phnum], [AT.BASE, 0], [AT.FLAGS, 0], [AT.ENTRY, elf.entry], [AT.UID, 0], [AT.EUID, 0],
      [AT.GID, 0], [AT.EGID, 0], [AT.SECURE, 0],
    ],
    random: options.random ?? Uint8Array.from({ length: 16 }, (_, i) => 0x10 + i),
  });
  pages.writeLinear(stack.base, stack.bytes);
  startThread(machine, pages, elf.entry, stack.stackPointer);
  return { entry: elf.entry, stackPointer: stack.stackPointer, brk, pages };
}

export interface SnapshotRegion {
  linear: number;
  bytes: Uint8Array;
  writable: boolean;
  /** Bytes mapped (default bytes.length); the rest reads as zero. */
  length?: number;
}

/** Maps raw regions (e.g. a differential-test memory image) at their linear addresses; loads CR3. */
export function mapSnapshot(machine: Machine, regions: readonly SnapshotRegion[],
  pages: PageTableBuilder = new PageTableBuilder(machine.ram)): PageTableBuilder {
  for (const region of regions) {
    pages.ensureMapped(region.linear, Math.max(region.length ?? 0, region.bytes.length), { writable: region.writable });
    pages.writeLinear(region.linear, region.bytes);
  }
  loadAddressSpace(machine, pages);
  return pages;
}

function loadAddressSpace(machine: Machine, pages: PageTableBuilder): void {
  machine.cpu.setCr3(pages.cr3);
  // The loader wrote RAM behind the vcpu's back: drop any decoded code of those frames.
  for (let page = pages.lowestFrame; page < machine.ram.size; page += 4096) machine.cpu.invalidatePhysicalPage(page);
}

/** Linux's start_thread + ELF_PLAT_INIT on i386: general registers zero, IF set, flat user segments. */
function startThread(machine: Machine, pages: PageTableBuilder, entry: number, stackPointer: number): void {
  const cpu = machine.cpu;
  loadAddressSpace(machine, pages);
  cpu.gpr.fill(0);
  cpu.gpr[4] = stackPointer;
  cpu.eip = entry;
  cpu.setEflags(0x202);
  cpu.setSegment(Seg.CS, USER_CS);
  for (const seg of [Seg.DS, Seg.ES, Seg.SS]) cpu.setSegment(seg, USER_DS);
  cpu.setSegment(Seg.FS, 0);
  cpu.setSegment(Seg.GS, 0);
  cpu.resetFpu();
}
