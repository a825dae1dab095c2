/**
 * execve (fs/exec.c, fs/binfmt_elf.c, fs/binfmt_script.c): replaces a task's
 * image with an ELF32 program — static, static-pie (ET_DYN without PT_INTERP,
 * loaded at ELF_ET_DYN_BASE) or dynamic (PT_INTERP: ld.so mapped top-down and
 * entered first) — or runs a "#!" script's interpreter. Everything that can
 * fail is checked before the point of no return; after it, only a fatal
 * signal can stop the task.
 */
import { E2BIG, EACCES, EFAULT, EIO, ELIBBAD, ELOOP, ENOEXEC, ENOMEM } from '../lib/index.js';
import type { Inode } from '../fs/index.js';
import { inodePermission, isRegular, isSymlink, MAY_EXEC, MS_NOEXEC, MS_NOSUID, S_ISGID, S_ISUID } from '../fs/index.js';
import {
  AddressSpace, MAP_GROWSDOWN, MAP_PRIVATE, PAGE_SIZE, pageCeil, pageFloor, PROT_EXEC, PROT_READ, PROT_WRITE, STACK_TOP,
} from '../mm/index.js';
import type { ElfImage } from './elf.js';
import { ET_DYN, loadSpan, parseElf, PF_R, PF_W, PF_X, PT_PHDR } from './elf.js';
import {
  AT_BASE, AT_CLKTCK, AT_EGID, AT_ENTRY, AT_EUID, AT_FLAGS, AT_GID, AT_HWCAP, AT_PAGESZ, AT_PHDR, AT_PHENT, AT_PHNUM,
  AT_SECURE, AT_UID, buildInitialStack,
} from './exec-stack.js';
import type { Kernel } from './kernel-state.js';
import { killGroup } from './exit.js';
import { SIGSEGV } from './signal-state.js';
import type { Task } from './task.js';
import { releaseVforkParent, TaskState } from './task.js';

/** i386 ELF_ET_DYN_BASE (arch/x86/include/asm/elf.h: TASK_SIZE / 3 * 2). */
export const ELF_ET_DYN_BASE = 0x80000000;
/** CPUID.1:EDX of the emulated i686: FPU, TSC, CX8, CMOV (ARCHITECTURE.md: report only what exists). */
export const ELF_HWCAP = 0x00008111;
const MAX_ARG_BYTES = 32 * PAGE_SIZE * 4;
const INITIAL_STACK = 128 * 1024;
const MAX_SCRIPT_DEPTH = 4;
const HEADER_WINDOW = 1 << 20;
/** What exec reads first: headers, program headers and the PT_INTERP path fit in it in every usual ELF file. */
const HEADER_PAGE = 4096;

export interface ExecRequest {
  readonly path: string;
  readonly argv: Uint8Array[];
  readonly envp: Uint8Array[];
}

interface LoadedBinary {
  readonly inode: Inode;
  readonly file: Uint8Array;
  readonly image: ElfImage;
}

/** may_exec: a regular file with execute permission for the task, not on a noexec mount. */
function execPermission(kernel: Kernel, task: Task, inode: Inode): number {
  if (!isRegular(inode.mode) || kernel.vfs.mounts.mountOf(inode).flags & MS_NOEXEC) return -EACCES;
  return inodePermission(inode, MAY_EXEC, task.credentials);
}

/**
 * Set-user-ID and set-group-ID programs (bprm_fill_uid): the effective and saved ids become the
 * file's, unless the mount is nosuid; returns whether they changed (AT_SECURE).
 */
function applySetid(kernel: Kernel, task: Task, inode: Inode): boolean {
  if (kernel.vfs.mounts.mountOf(inode).flags & MS_NOSUID) return false;
  const credentials = task.credentials;
  let secure = false;
  if (inode.mode & S_ISUID && inode.uid !== credentials.euid) { credentials.euid = credentials.suid = inode.uid; secure = true; }
  // S_ISGID without group execute marks mandatory locking, not a set-group-ID program.
  if ((inode.mode & (S_ISGID | 0o010)) === (S_ISGID | 0o010) && inode.gid !== credentials.egid) { credentials.egid = credentials.sgid = inode.gid; secure = true; }
  return secure || credentials.euid !== credentials.uid || credentials.egid !== credentials.gid;
}

function loadBinary(kernel: Kernel, task: Task, path: string, role: 'program' | 'interpreter'): LoadedBinary | number {
  const inode = kernel.vfs.lookup(task.fs.root, task.fs.cwd, path, true, task.credentials);
  if (typeof inode === 'number') return inode;
  const allowed = execPermission(kernel, task, inode);
  if (allowed < 0) return allowed;
  // Headers must lie in the first MiB (binfmt_elf reads them with kernel_read; huge offsets are ENOEXEC here).
  // Hot path (every exec): the first page holds them in practice; only an image that does not parse from it
  // is read again as far as the window goes (parseElf reads nothing past what it checked is there).
  let file = kernel.vfs.readBytes(inode, 0, Math.min(inode.size, HEADER_PAGE));
  if (typeof file === 'number') return file;
  // load_elf_binary reads ld.so's header with elf_read (short: -EIO) and answers anything wrong with it -ELIBBAD.
  if (role === 'interpreter' && inode.size < 52) return -EIO;
  let image = parseElf(file, inode.size);
  if (typeof image === 'number' && inode.size > file.length) {
    file = kernel.vfs.readBytes(inode, 0, Math.min(inode.size, HEADER_WINDOW));
    if (typeof file === 'number') return file;
    image = parseElf(file, inode.size);
  }
  if (typeof image === 'number') return role === 'interpreter' ? -ELIBBAD : image;
  return { inode, file, image };
}

/** "#!interpreter [argument]" (binfmt_script): returns the new request, or null when not a script. */
function scriptRequest(kernel: Kernel, task: Task, request: ExecRequest): ExecRequest | number | null {
  const inode = kernel.vfs.lookup(task.fs.root, task.fs.cwd, request.path, true, task.credentials);
  if (typeof inode === 'number') return inode;
  const allowed = execPermission(kernel, task, inode);
  if (allowed < 0) return allowed;
  const head = kernel.vfs.readBytes(inode, 0, 256);
  if (typeof head === 'number') return head;
  if (head[0] !== 0x23 || head[1] !== 0x21) return null;
  const end = head.indexOf(0x0a);
  const line = new TextDecoder().decode(head.subarray(2, end < 0 ? head.length : end)).trim();
  if (!line) return -ENOEXEC;
  const split = line.search(/[ \t]/);
  const interpreter = split < 0 ? line : line.slice(0, split);
  const argument = split < 0 ? '' : line.slice(split).trim();
  const encoder = new TextEncoder();
  const argv = [encoder.encode(interpreter), ...(argument ? [encoder.encode(argument)] : []), encoder.encode(request.path), ...request.argv.slice(1)];
  return { path: interpreter, argv, envp: request.envp };
}

/** Maps an image's PT_LOAD segments at `bias` (elf_map): file pages private, bss anonymous. */
function mapSegments(mm: AddressSpace, binary: LoadedBinary, bias: number, name: string): number {
  const source = binary.inode.fileOps.pageSource!(binary.inode, name);
  let highest = 0;
  for (const load of binary.image.loads) {
    const prot = (load.flags & PF_R ? PROT_READ : 0) | (load.flags & PF_W ? PROT_WRITE : 0) | (load.flags & PF_X ? PROT_EXEC : 0);
    const start = (bias + load.vaddr) >>> 0;
    const fileEnd = start + load.filesz;
    const memEnd = start + load.memsz;
    const pageStart = pageFloor(start);
    if (load.filesz > 0) {
      const mapped = mm.map(pageStart, pageCeil(fileEnd) - pageStart, prot, MAP_PRIVATE, source, load.offset - (start - pageStart), name);
      if (mapped < 0) return mapped;
      // Bytes between the end of file data and the end of its page are bss: zero (binfmt_elf padzero).
      mm.vmas.find((v) => v.start === pageStart)!.fileLimit = fileEnd;
      // elf_load: padzero writes that page; if it lies past the end of the file (a truncated program) the
      // write faults and exec fails with EFAULT after the point of no return (only for writable segments).
      const pageOffset = load.offset - (start - pageStart) + (pageFloor(fileEnd) - pageStart);
      if (load.memsz > load.filesz && (prot & PROT_WRITE) !== 0 && fileEnd % PAGE_SIZE !== 0 && pageOffset >= binary.inode.size) return -EFAULT;
    }
    const anonStart = load.filesz > 0 ? pageCeil(fileEnd) : pageStart;
    if (pageCeil(memEnd) > anonStart) {
      const mapped = mm.map(anonStart, pageCeil(memEnd) - anonStart, prot, MAP_PRIVATE, null, 0, name);
      if (mapped < 0) return mapped;
    }
    highest = Math.max(highest, memEnd);
  }
  return highest;
}

/**
 * The canonical path of a program (d_path of the file exec opened: directories and a final
 * symlink resolved), which names its mappings in /proc/PID/maps and is /proc/PID/exe.
 * Resolved now: a name like /proc/self/exe means something else once the exec is done.
 */
function programPath(kernel: Kernel, task: Task, path: string): string {
  const vfs = kernel.vfs;
  let directory = task.fs.cwd;
  let rest = path;
  for (let depth = 0; depth < 40; depth++) {
    const parent = vfs.lookupParent(task.fs.root, directory, rest);
    if (typeof parent === 'number') break;
    const child = vfs.lookupChild(parent.parent, parent.name);
    if (typeof child === 'number') break;
    if (!isSymlink(child.mode)) {
      const base = vfs.pathOf(task.fs.root, parent.parent);
      return (base === '/' ? '' : base) + '/' + parent.name;
    }
    const target = vfs.readlink(child);
    if (typeof target === 'number') break;
    directory = parent.parent;
    rest = target;
  }
  return path;
}

/** The address of the program headers in memory (AT_PHDR). */
function phdrAddress(image: ElfImage, bias: number): number {
  const phdr = image.headers.find((h) => h.type === PT_PHDR);
  if (phdr) return (bias + phdr.vaddr) >>> 0;
  const first = image.loads.find((l) => l.offset <= image.phoff && image.phoff < l.offset + l.filesz) ?? image.loads[0]!;
  return (bias + first.vaddr - first.offset + image.phoff) >>> 0;
}

export function execve(kernel: Kernel, task: Task, original: ExecRequest): number {
  let request = original;
  for (let depth = 0; ; depth++) {
    if (depth > MAX_SCRIPT_DEPTH) return -ELOOP;
    const script = scriptRequest(kernel, task, request);
    if (typeof script === 'number') return script;
    if (!script) break;
    request = script;
  }
  const size = [...request.argv, ...request.envp].reduce((sum, s) => sum + s.length + 5, 0);
  if (size > MAX_ARG_BYTES) return -E2BIG;
  const main = loadBinary(kernel, task, request.path, 'program');
  if (typeof main === 'number') return main;
  let interpreter: LoadedBinary | null = null;
  if (main.image.interpreter !== null) {
    // ld.so's own PT_INTERP is ignored (load_elf_interp maps only its PT_LOADs).
    const loaded = loadBinary(kernel, task, main.image.interpreter, 'interpreter');
    if (typeof loaded === 'number') return loaded;
    interpreter = loaded;
  }
  // Point of no return: what Linux only finds while mapping (ElfImage.fatal) kills the task.
  if (main.image.fatal || interpreter?.image.fatal) {
    commitFailed(kernel, task);
    return 0;
  }
  const mm = AddressSpace.create(kernel.pages);
  if (!mm) return -ENOMEM;
  const span = loadSpan(main.image);
  const bias = main.image.type === ET_DYN ? ELF_ET_DYN_BASE - span.low : 0;
  const end = mapSegments(mm, main, bias, programPath(kernel, task, request.path));
  let interpreterBias = 0;
  let failed = end < 0;
  if (!failed && interpreter) {
    const interpreterSpan = loadSpan(interpreter.image);
    const base = mm.findFreeArea(0, interpreterSpan.high - interpreterSpan.low, 0);
    interpreterBias = base - interpreterSpan.low;
    failed = base < 0 || mapSegments(mm, interpreter, interpreterBias, programPath(kernel, task, main.image.interpreter!)) < 0;
  }
  if (!failed) failed = mm.map(STACK_TOP - INITIAL_STACK, INITIAL_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_GROWSDOWN, null, 0, '[stack]') < 0;
  mm.brkStart = mm.brk = pageCeil(end);
  const entry = (main.image.entry + bias) >>> 0;
  const secure = applySetid(kernel, task, main.inode);
  const credentials = task.credentials;
  const random = new Uint8Array(16);
  kernel.random.fill(random);
  const sp = failed ? -1 : buildInitialStack(mm, {
    argv: request.argv, envp: request.envp, execfn: new TextEncoder().encode(original.path), random,
    auxv: [
      [AT_HWCAP, ELF_HWCAP], [AT_PAGESZ, PAGE_SIZE], [AT_CLKTCK, 100],
      [AT_PHDR, phdrAddress(main.image, bias)], [AT_PHENT, 32], [AT_PHNUM, main.image.phnum],
      [AT_BASE, interpreter ? (interpreterBias + loadSpan(interpreter.image).low) >>> 0 : 0], [AT_FLAGS, 0], [AT_ENTRY, entry],
      [AT_UID, credentials.uid], [AT_EUID, credentials.euid], [AT_GID, credentials.gid], [AT_EGID, credentials.egid], [AT_SECURE, secure ? 1 : 0],
    ],
  });
  // Mapping the segments and the stack happens after begin_new_exec in Linux: failing there is fatal, not an errno.
  if (sp < 0) {
    mm.destroy();
    commitFailed(kernel, task);
    return 0;
  }
  // Point of no return (begin_new_exec): the old image goes away.
  const old = task.mm;
  task.mm = mm;
  if (kernel.current === task) kernel.vcpu.setCr3(mm.directory);
  // The old image may be shared (threads, or a vfork parent waiting for this exec).
  if (![...kernel.tasks.values()].some((t) => t !== task && t.mm === old && t.state !== TaskState.Zombie && t.state !== TaskState.Dead)) old.destroy();
  releaseVforkParent(task);
  task.files.execCloseOnExec();
  task.signalHandlers.resetForExec();
  task.comm = new TextDecoder().decode(request.argv[0] ?? new Uint8Array(0)).split('/').pop()!.slice(0, 15);
  task.clearChildTid = 0;
  // The new image starts with no alternate signal stack and no robust list (fs/exec.c, futex_exec_release).
  task.altStack = { sp: 0, size: 0, flags: 2 };
  task.robustList = 0;
  task.prctl.dumpable = 1;
  for (let i = 0; i < 3; i++) task.tls[i] = [0, 0];
  startUserThread(kernel, task, interpreter ? (interpreter.image.entry + interpreterBias) >>> 0 : entry, sp);
  kernel.log.debug(`exec ${request.path} pid ${task.pid} entry ${entry.toString(16)} sp ${sp.toString(16)}`);
  return 0;
}

/** A failure past the point of no return: the task is killed by SIGSEGV (force_fatal_sig). */
function commitFailed(kernel: Kernel, task: Task): void {
  killGroup(kernel, task, SIGSEGV, false);
}

/** start_thread: zeroed registers, eip at the entry, esp at argc, fs/gs null (arch/x86/kernel/process_32.c). */
function startUserThread(kernel: Kernel, task: Task, eip: number, esp: number): void {
  const vcpu = kernel.vcpu;
  if (kernel.current === task) {
    vcpu.gpr.fill(0);
    vcpu.gpr[4] = esp | 0;
    vcpu.eip = eip;
    vcpu.setEflags(0x202);
    vcpu.setSegment(4, 0);
    vcpu.setSegment(5, 0);
    for (let i = 0; i < 3; i++) kernel.setTlsEntry(i, 0, 0);
    vcpu.resetFpu();
  } else {
    const context = task.context;
    context.gpr.fill(0);
    context.gpr[4] = esp | 0;
    context.eip = eip;
    context.eflags = 0x202;
    context.segments[4] = 0;
    context.segments[5] = 0;
    // fninit state: control word 0x037f, all tags empty (Intel SDM 1 §8.1.10).
    context.fpu.fill(0);
    context.fpu.set([0x7f, 0x03, 0, 0, 0, 0, 0, 0, 0xff, 0xff]);
  }
}
