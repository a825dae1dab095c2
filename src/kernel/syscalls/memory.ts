/**
 * Memory syscalls: brk, mmap2 / old mmap, munmap, mprotect, mremap (moving
 * by copy of mappings), madvise, msync, mincore. Arguments are validated as
 * Linux does (mm/mmap.c do_mmap) before the address space changes. A shared
 * writable mapping needs a file open for writing, now and at mprotect (VM_MAYWRITE).
 */
import { EBADF, EACCES, EINVAL, ENOMEM, ENODEV, EFAULT } from '../lib/index.js';
import { createShmemObject, isRegular, tmpfsPageSource, O_ACCMODE, O_RDWR, O_WRONLY } from '../fs/index.js';
import {
  copyFromUser, copyToUser, type PageSource, MAP_ANONYMOUS, MAP_FIXED, MAP_GROWSDOWN, MAP_PRIVATE, MAP_SHARED, PAGE_SIZE,
  pageCeil, PROT_EXEC, PROT_READ, PROT_WRITE, TASK_SIZE,
} from '../mm/index.js';
import type { SyscallContext } from './entry.js';

/** Implements brk(2): returns the new break, or the current one when the request fails. */
export function sysBrk(context: SyscallContext, address: number): number {
  return context.task.mm.setBrk(address);
}

const PROT_MASK = PROT_READ | PROT_WRITE | PROT_EXEC;

/** Implements mmap2(2): the offset is in 4096-byte units. */
export function sysMmap2(context: SyscallContext, address: number, length: number, prot: number, flags: number, fd: number, pageOffset: number): number {
  const mm = context.task.mm;
  if (length === 0 || (prot & ~(PROT_MASK | 0x01000000 | 0x02000000))) return -EINVAL;
  const size = pageCeil(length);
  if (size > TASK_SIZE) return -ENOMEM;
  const type = flags & (MAP_SHARED | MAP_PRIVATE);
  if (type === 0 || type === (MAP_SHARED | MAP_PRIVATE)) return -EINVAL;
  if (flags & MAP_FIXED && address % PAGE_SIZE !== 0) return -EINVAL;
  let source = null;
  let mayWrite = true;
  const offset = pageOffset * PAGE_SIZE;
  if (flags & MAP_ANONYMOUS && type === MAP_SHARED) {
    source = tmpfsPageSource(createShmemObject(context.kernel.vfs.shm.superblock, size), '/dev/zero (deleted)');
  } else if (!(flags & MAP_ANONYMOUS)) {
    const file = context.task.files.get(fd | 0);
    if (!file) return -EBADF;
    if (!isRegular(file.inode.mode)) return -ENODEV;
    if ((file.flags & O_ACCMODE) === O_WRONLY) return -EACCES;
    if (type === MAP_SHARED) {
      // mm/mmap.c do_mmap: a shared mapping may write only a file open for writing (VM_MAYWRITE); O_APPEND does
      // not matter (only the append-only inode flag would, which ir0 does not have).
      mayWrite = (file.flags & O_ACCMODE) === O_RDWR;
      if (prot & PROT_WRITE && !mayWrite) return -EACCES;
    }
    if (!file.inode.fileOps.pageSource) return -ENODEV;
    source = file.inode.fileOps.pageSource(file.inode, file.path);
  }
  const start = mm.findFreeArea(address, size, flags);
  if (start < 0) return start;
  const mapped = mm.map(start, size, prot & PROT_MASK, flags & (MAP_SHARED | MAP_PRIVATE | MAP_GROWSDOWN), source,
    flags & MAP_ANONYMOUS ? 0 : offset, source ? source.name : '');
  if (mapped < 0) return mapped;
  if (!mayWrite) mm.findVma(start)!.mayWrite = false;
  return start;
}

/** Implements the old mmap(2): one pointer to six words (struct mmap_arg_struct). */
export function sysOldMmap(context: SyscallContext, address: number): number {
  const args = copyFromUser(context.task.mm, address, 24);
  if (typeof args === 'number') return -EFAULT;
  const view = new DataView(args.buffer);
  const word = (i: number): number => view.getUint32(i * 4, true);
  if (word(5) % PAGE_SIZE !== 0) return -EINVAL;
  return sysMmap2(context, word(0), word(1), word(2), word(3), word(4), word(5) / PAGE_SIZE);
}

/** Implements munmap(2). */
export function sysMunmap(context: SyscallContext, address: number, length: number): number {
  if (address % PAGE_SIZE !== 0 || length === 0 || address + length > TASK_SIZE) return -EINVAL;
  context.task.mm.unmap(address, pageCeil(length));
  return 0;
}

/** Implements mprotect(2). */
export function sysMprotect(context: SyscallContext, address: number, length: number, prot: number): number {
  if (address % PAGE_SIZE !== 0 || (prot & ~(PROT_MASK | 0x01000000 | 0x02000000))) return -EINVAL;
  if (length === 0) return 0;
  if (address + length > TASK_SIZE) return -ENOMEM;
  return context.task.mm.protect(address, pageCeil(length), prot & PROT_MASK);
}

const MREMAP_MAYMOVE = 1;
const MREMAP_FIXED = 2;

/** Implements mremap(2): shrink in place, grow in place when free, else move the page-table entries. */
export function sysMremap(context: SyscallContext, oldAddress: number, oldLength: number, newLength: number, flags: number): number {
  const mm = context.task.mm;
  if (oldAddress % PAGE_SIZE !== 0 || newLength === 0 || flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED) || flags & MREMAP_FIXED) return -EINVAL;
  const oldSize = pageCeil(oldLength);
  const newSize = pageCeil(newLength);
  const vma = mm.findVma(oldAddress);
  if (!vma || oldAddress + oldSize > vma.end) return -EFAULT;
  if (newSize <= oldSize) {
    if (newSize < oldSize) mm.unmap(oldAddress + newSize, oldSize - newSize);
    return oldAddress;
  }
  if (vma.end === oldAddress + oldSize && mm.isFree(vma.end, newSize - oldSize) && oldAddress + newSize <= TASK_SIZE) {
    vma.end = oldAddress + newSize;
    return oldAddress;
  }
  if (!(flags & MREMAP_MAYMOVE)) return -ENOMEM;
  const target = mm.findFreeArea(0, newSize, 0);
  if (target < 0) return target;
  const moving = { ...vma };
  mm.map(target, newSize, moving.prot, moving.flags, moving.source, moving.offset + (oldAddress - moving.start), moving.name);
  const fresh = mm.findVma(target);
  if (fresh) fresh.fileLimit = moving.fileLimit === TASK_SIZE ? TASK_SIZE : moving.fileLimit - oldAddress + target;
  if (!mm.movePages(oldAddress, target, oldSize)) { mm.unmap(target, newSize); return -ENOMEM; }
  mm.unmap(oldAddress, oldSize);
  return target;
}

const MADV_DONTNEED = 4;

/** Implements madvise(2): MADV_DONTNEED drops private pages (they refault as zero or file data); others are hints. */
export function sysMadvise(context: SyscallContext, address: number, length: number, advice: number): number {
  if (address % PAGE_SIZE !== 0) return -EINVAL;
  if (advice === MADV_DONTNEED) {
    const mm = context.task.mm;
    const size = pageCeil(length);
    const vmas = mm.vmas.filter((v) => v.start < address + size && v.end > address).map((v) => ({ ...v }));
    mm.unmap(address, size);
    for (const v of vmas) {
      const start = Math.max(v.start, address);
      const end = Math.min(v.end, address + size);
      mm.map(start, end - start, v.prot, v.flags, v.source, v.offset + (start - v.start), v.name);
      const fresh = mm.findVma(start);
      if (fresh) fresh.fileLimit = v.fileLimit;
    }
  }
  return 0;
}

const MS_ASYNC = 1;
const MS_INVALIDATE = 2;
const MS_SYNC = 4;

/**
 * Implements msync(2): the dirty pages of the shared file mappings in the range go to their files
 * (MS_ASYNC: into the filesystem; MS_SYNC: and to the disk). Private mappings have nothing to write.
 */
export function sysMsync(context: SyscallContext, address: number, length: number, flags: number): number {
  if (address % PAGE_SIZE !== 0 || flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC) || (flags & MS_ASYNC && flags & MS_SYNC)) return -EINVAL;
  const mm = context.task.mm;
  const end = address + pageCeil(length);
  if (end < address || end > TASK_SIZE) return -ENOMEM;
  const sources = new Set<PageSource>();
  let status = 0;
  for (let at = address; at < end;) {
    const vma = mm.findVma(at);
    // mm/msync.c: an unmapped hole is ENOMEM, after the mappings before it were written.
    if (!vma) { status = -ENOMEM; break; }
    if (vma.flags & MAP_SHARED && vma.source?.writeback) sources.add(vma.source);
    at = vma.end;
  }
  const owners = new Set<object>();
  for (const source of sources) {
    if (source.owner !== undefined && owners.has(source.owner)) continue;
    if (source.owner !== undefined) owners.add(source.owner);
    const written = source.writeback!((flags & MS_SYNC) !== 0);
    if (written < 0 && status === 0) status = written;
  }
  return status;
}

/** Implements mincore(2): one byte per page, 1 when resident. */
export function sysMincore(context: SyscallContext, address: number, length: number, vector: number): number {
  if (address % PAGE_SIZE !== 0) return -EINVAL;
  const mm = context.task.mm;
  const pages = pageCeil(length) / PAGE_SIZE;
  const out = new Uint8Array(pages);
  for (let i = 0; i < pages; i++) {
    const page = address + i * PAGE_SIZE;
    if (!mm.findVma(page)) return -ENOMEM;
    out[i] = mm.translate(page, false) >= 0 ? 1 : 0;
  }
  return copyToUser(mm, vector, out);
}
