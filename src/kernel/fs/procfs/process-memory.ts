/**
 * The memory figures of a process (fs/proc/task_mmu.c task_mem and task_statm), from its
 * VMAs and what its page tables hold: sizes by kind of mapping and resident pages split
 * into anonymous, file and shared-memory pages. All figures in pages.
 */
import type { AddressSpace, Vma } from '../../mm/index.js';
import { MAP_GROWSDOWN, MAP_SHARED, PAGE_SIZE, PROT_EXEC, PROT_WRITE } from '../../mm/index.js';

export interface ProcessMemory {
  /** Total mapped (VmSize, statm size). */
  readonly size: number;
  readonly resident: number;
  readonly residentAnonymous: number;
  readonly residentFile: number;
  readonly residentShared: number;
  /** Private writable mappings but the stack (VmData). */
  readonly data: number;
  readonly stack: number;
  /** Executable mappings of the program file (VmExe) and of other files (VmLib). */
  readonly text: number;
  readonly libraries: number;
  /** Page-table pages (VmPTE): the directory and each table holding a present entry. */
  readonly pageTables: number;
}

const pagesOf = (vma: Vma): number => (vma.end - vma.start) / PAGE_SIZE;
const isStack = (vma: Vma): boolean => (vma.flags & MAP_GROWSDOWN) !== 0 || vma.name === '[stack]';
const isSharedMemory = (vma: Vma): boolean => (vma.flags & MAP_SHARED) !== 0 && vma.source?.sharedPage !== undefined;

/** The name of the program's own mappings: the first file mapping exec made (the lowest one). */
export function programMappingName(mm: AddressSpace): string | null {
  return mm.vmas.find((vma) => vma.source !== null)?.name ?? null;
}

export function processMemory(mm: AddressSpace): ProcessMemory {
  let size = 0, resident = 0, residentFile = 0, residentShared = 0, data = 0, stack = 0, text = 0, libraries = 0;
  const program = programMappingName(mm);
  const tables = new Set<number>();
  for (const vma of mm.vmas) {
    const pages = pagesOf(vma);
    const present = mm.residentPages(vma.start, vma.end);
    size += pages;
    resident += present;
    if (present > 0) for (let table = vma.start >>> 22; table <= (vma.end - 1) >>> 22; table++) tables.add(table);
    if (isSharedMemory(vma)) residentShared += present;
    else if (vma.source) residentFile += present;
    if (isStack(vma)) stack += pages;
    else if ((vma.prot & PROT_WRITE) !== 0 && (vma.flags & MAP_SHARED) === 0) data += pages;
    if ((vma.prot & PROT_EXEC) !== 0 && vma.source && (vma.prot & PROT_WRITE) === 0) {
      if (vma.name === program) text += pages; else libraries += pages;
    }
  }
  // Tables with no present entry in a VMA's range are not counted: an approximation of pgtables_bytes.
  let tablesWithEntries = 0;
  for (const table of tables) if (mm.residentPages(table * 0x400000, Math.min(0xc0000000, (table + 1) * 0x400000)) > 0) tablesWithEntries++;
  return {
    size, resident, residentAnonymous: resident - residentFile - residentShared, residentFile, residentShared,
    data, stack, text, libraries, pageTables: tablesWithEntries + 1,
  };
}
