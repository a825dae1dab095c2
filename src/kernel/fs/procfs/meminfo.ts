/**
 * /proc/meminfo (fs/proc/meminfo.c; Documentation/filesystems/proc.rst "meminfo"): the
 * buddy allocator's totals, the block cache as Buffers, the page cache of mapped disk files
 * and tmpfs pages (Shmem) as Cached, as Linux counts them, dirty pages of both caches as Dirty, the slab caches, user pages of the address spaces, in Linux's
 * key order and "%-16s%8lu kB" layout. Figures Linux has and ir0 does not are 0.
 */
import type { Kernel } from '../../proc/index.js';
import { TaskState } from '../../proc/index.js';
import type { AddressSpace } from '../../mm/index.js';
import { MAP_SHARED, PAGE_SIZE } from '../../mm/index.js';
import type { Inode, Superblock } from '../inode.js';
import { isDirectory } from '../inode.js';

const IN_MEMORY_TYPES = new Set(['rootfs', 'tmpfs', 'ramfs', 'devtmpfs']);
/** The name mmap gives shared anonymous objects (syscalls/memory.ts), as Linux's maps shows them. */
const SHARED_ANONYMOUS_NAME = '/dev/zero (deleted)';

/** Pages held by files of in-memory filesystems (shmem), each inode counted once. */
export function sharedMemoryPages(kernel: Kernel): number {
  const seen = new Set<Inode>();
  const superblocks = new Set<Superblock>();
  let pages = 0;
  const visit = (inode: Inode): void => {
    if (seen.has(inode)) return;
    seen.add(inode);
    pages += inode.pages.size;
    if (isDirectory(inode.mode)) for (const child of inode.children.values()) if (child.superblock === inode.superblock) visit(child);
  };
  for (const mount of kernel.vfs.mounts.mounts) {
    const superblock = mount.superblock;
    if (!IN_MEMORY_TYPES.has(superblock.type) || superblocks.has(superblock) || !superblock.root) continue;
    superblocks.add(superblock);
    visit(superblock.root);
  }
  return pages + sharedAnonymousPages(kernel);
}

/** Resident pages of MAP_SHARED|MAP_ANONYMOUS mappings (shmem objects of no mounted filesystem), each frame once. */
function sharedAnonymousPages(kernel: Kernel): number {
  const frames = new Set<number>();
  for (const task of kernel.tasks.values()) {
    if (task.state === TaskState.Zombie || task.state === TaskState.Dead) continue;
    for (const vma of task.mm.vmas) {
      if ((vma.flags & MAP_SHARED) === 0 || vma.source?.name !== SHARED_ANONYMOUS_NAME) continue;
      for (let page = vma.start; page < vma.end; page += PAGE_SIZE) {
        const frame = task.mm.translate(page, false);
        if (frame >= 0) frames.add(frame);
      }
    }
  }
  return frames.size;
}

interface UserPages { anonymous: number; mapped: number; pageTables: number }

/** Resident pages of every address space: anonymous ones, file-mapped ones, and an estimate of page-table pages. */
function userPages(kernel: Kernel): UserPages {
  const seen = new Set<AddressSpace>();
  const totals = { anonymous: 0, mapped: 0, pageTables: 0 };
  for (const task of kernel.tasks.values()) {
    if (task.state === TaskState.Zombie || task.state === TaskState.Dead || seen.has(task.mm)) continue;
    seen.add(task.mm);
    const tables = new Set<number>();
    for (const vma of task.mm.vmas) {
      const resident = task.mm.residentPages(vma.start, vma.end);
      if (vma.source) totals.mapped += resident; else totals.anonymous += resident;
      for (let table = vma.start >>> 22; table <= (vma.end - 1) >>> 22; table++) tables.add(table);
    }
    totals.pageTables += tables.size + 1;
  }
  return totals;
}

export function meminfoText(kernel: Kernel): string {
  const buddy = kernel.pages.buddy;
  const total = buddy.totalPageCount;
  const free = buddy.freePageCount;
  const buffers = kernel.vfs.blockCache.cachedPages;
  const shmem = sharedMemoryPages(kernel);
  const slabPages = kernel.pages.slab.slabinfo().reduce((sum, cache) => sum + cache.slabs, 0);
  const user = userPages(kernel);
  const files = kernel.vfs.pageCache.cachedPages;
  const dirty = kernel.vfs.blockCache.dirtyPages + kernel.vfs.pageCache.dirtyPages;
  const cached = shmem + files;
  // MemAvailable (si_mem_available): free pages plus the cache that can be dropped; shmem cannot be.
  const available = free + buffers + files;
  const committed = user.anonymous + user.mapped;
  const rows: [string, number][] = [
    ['MemTotal', total], ['MemFree', free], ['MemAvailable', available], ['Buffers', buffers], ['Cached', cached],
    ['SwapCached', 0], ['Active', user.anonymous + buffers], ['Inactive', cached], ['Active(anon)', user.anonymous],
    ['Inactive(anon)', shmem], ['Active(file)', buffers], ['Inactive(file)', files], ['Unevictable', 0], ['Mlocked', 0],
    ['SwapTotal', 0], ['SwapFree', 0], ['Zswap', 0], ['Zswapped', 0], ['Dirty', dirty], ['Writeback', 0],
    ['AnonPages', user.anonymous], ['Mapped', user.mapped], ['Shmem', shmem], ['KReclaimable', 0], ['Slab', slabPages],
    ['SReclaimable', 0], ['SUnreclaim', slabPages], ['KernelStack', 0], ['PageTables', user.pageTables], ['SecPageTables', 0],
    ['NFS_Unstable', 0], ['Bounce', 0], ['WritebackTmp', 0], ['CommitLimit', Math.floor(total / 2)], ['Committed_AS', committed],
    ['VmallocTotal', 0], ['VmallocUsed', 0], ['VmallocChunk', 0], ['Percpu', 0], ['AnonHugePages', 0], ['ShmemHugePages', 0],
    ['ShmemPmdMapped', 0], ['FileHugePages', 0], ['FilePmdMapped', 0], ['Balloon', 0],
  ];
  const lines = rows.map(([key, pages]) => `${(key + ':').padEnd(16)}${String(pages * 4).padStart(8)} kB`);
  // The hugepage block prints counts, not sizes (hugetlb_report_meminfo).
  lines.push('HugePages_Total:       0', 'HugePages_Free:        0', 'HugePages_Rsvd:        0', 'HugePages_Surp:        0',
    `${'Hugepagesize:'.padEnd(16)}${'4096'.padStart(8)} kB`, `${'Hugetlb:'.padEnd(16)}${'0'.padStart(8)} kB`,
    `${'DirectMap4k:'.padEnd(16)}${String(total * 4).padStart(8)} kB`, `${'DirectMap2M:'.padEnd(16)}${'0'.padStart(8)} kB`,
    `${'DirectMap1G:'.padEnd(16)}${'0'.padStart(8)} kB`);
  return lines.join('\n') + '\n';
}
