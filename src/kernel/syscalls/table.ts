/**
 * The i386 syscall table as data: every number of asm/unistd_32.h has an
 * entry; those not listed here are unsupported (ENOSYS, logged once with
 * their arguments). `npx ir0 syscalls` prints this table with counts.
 */
import { rtSigreturn, sigreturn } from '../arch/index.js';
import { ENOSYS } from '../lib/index.js';
import type { SyscallEntry } from './entry.js';
import { partial, supported, unsupported } from './entry.js';
import * as io from './file-io.js';
import { sysFutex } from './futex.js';
import * as mem from './memory.js';
import * as nr from './numbers.js';
import * as path from './paths.js';
import * as proc from './process.js';
import * as sig from './signals.js';
import * as time from './time.js';

const implemented: Record<number, SyscallEntry> = {
  [nr.SYS_exit]: supported(proc.sysExit),
  [nr.SYS_fork]: supported(proc.sysFork),
  [nr.SYS_read]: supported(io.sysRead),
  [nr.SYS_write]: supported(io.sysWrite),
  [nr.SYS_open]: supported(path.sysOpen),
  [nr.SYS_close]: supported(io.sysClose),
  [nr.SYS_waitpid]: supported(proc.sysWaitpid),
  [nr.SYS_creat]: supported(path.sysCreat),
  [nr.SYS_link]: supported(path.sysLink),
  [nr.SYS_unlink]: supported(path.sysUnlink),
  [nr.SYS_execve]: supported(proc.sysExecve),
  [nr.SYS_chdir]: supported(path.sysChdir),
  [nr.SYS_time]: supported(time.sysTime),
  [nr.SYS_chmod]: supported(path.sysChmod),
  [nr.SYS_lseek]: supported(io.sysLseek),
  [nr.SYS_getpid]: supported(proc.sysGetpid),
  [nr.SYS_setuid]: supported(proc.sysSetuid),
  [nr.SYS_getuid]: supported(proc.sysGetuid),
  [nr.SYS_access]: supported(path.sysAccess),
  [nr.SYS_kill]: supported(sig.sysKill),
  [nr.SYS_rename]: supported(path.sysRename),
  [nr.SYS_mkdir]: supported(path.sysMkdir),
  [nr.SYS_rmdir]: supported(path.sysRmdir),
  [nr.SYS_dup]: supported(io.sysDup),
  [nr.SYS_pipe]: supported(io.sysPipe),
  [nr.SYS_times]: supported(proc.sysTimes),
  [nr.SYS_brk]: supported(mem.sysBrk),
  [nr.SYS_setgid]: supported(proc.sysSetgid),
  [nr.SYS_getgid]: supported(proc.sysGetgid),
  [nr.SYS_geteuid]: supported(proc.sysGeteuid),
  [nr.SYS_getegid]: supported(proc.sysGetegid),
  [nr.SYS_ioctl]: partial(io.sysIoctl, 'console TCGETS/TCSETS*/TIOCGWINSZ/TIOCGPGRP, FIONBIO, FIOCLEX'),
  [nr.SYS_setpgid]: supported(proc.sysSetpgid),
  [nr.SYS_umask]: supported(path.sysUmask),
  [nr.SYS_dup2]: supported(io.sysDup2),
  [nr.SYS_getppid]: supported(proc.sysGetppid),
  [nr.SYS_getpgrp]: supported(proc.sysGetpgrp),
  [nr.SYS_setsid]: supported(proc.sysSetsid),
  [nr.SYS_sigaction]: supported(sig.sysSigaction),
  [nr.SYS_sigprocmask]: supported(sig.sysSigprocmask),
  [nr.SYS_setrlimit]: partial(proc.sysSetrlimit, 'accepted, not enforced'),
  [nr.SYS_getrusage]: supported(proc.sysGetrusage),
  [nr.SYS_gettimeofday]: supported(time.sysGettimeofday),
  [nr.SYS_symlink]: supported(path.sysSymlink),
  [nr.SYS_readlink]: supported(path.sysReadlink),
  [nr.SYS_mmap]: partial(mem.sysOldMmap, 'MAP_SHARED mappings are private'),
  [nr.SYS_munmap]: supported(mem.sysMunmap),
  [nr.SYS_fchmod]: supported(path.sysFchmod),
  [nr.SYS_wait4]: supported(proc.sysWait4),
  [nr.SYS_sysinfo]: supported(proc.sysSysinfo),
  [nr.SYS_clone]: partial(proc.sysClone, 'CLONE_VFORK runs as a COW fork'),
  [nr.SYS_uname]: supported(proc.sysUname),
  [nr.SYS_mprotect]: supported(mem.sysMprotect),
  [nr.SYS_getpgid]: supported(proc.sysGetpgid),
  [nr.SYS_fchdir]: supported(path.sysFchdir),
  [nr.SYS__llseek]: supported(io.sysLlseek),
  [nr.SYS_msync]: supported(mem.sysMsync),
  [nr.SYS_readv]: supported(io.sysReadv),
  [nr.SYS_writev]: supported(io.sysWritev),
  [nr.SYS_getsid]: supported(proc.sysGetsid),
  [nr.SYS_sched_yield]: supported(proc.sysSchedYield),
  [nr.SYS_nanosleep]: partial(time.sysNanosleep, 'advances the virtual clock'),
  [nr.SYS_mremap]: partial(mem.sysMremap, 'moves by copying; no MREMAP_FIXED'),
  [nr.SYS_getresuid]: supported(proc.sysGetresuid),
  [nr.SYS_poll]: partial(io.sysPoll, 'timeouts wait for an event'),
  [nr.SYS_getresgid]: supported(proc.sysGetresgid),
  [nr.SYS_prctl]: partial(proc.sysPrctl, 'PR_SET_NAME, PR_GET_NAME, PR_SET_PDEATHSIG, dumpable'),
  [nr.SYS_rt_sigaction]: supported(sig.sysRtSigaction),
  [nr.SYS_rt_sigprocmask]: supported(sig.sysRtSigprocmask),
  [nr.SYS_rt_sigpending]: supported(sig.sysRtSigpending),
  [nr.SYS_pread64]: supported(io.sysPread64),
  [nr.SYS_pwrite64]: supported(io.sysPwrite64),
  [nr.SYS_getcwd]: supported(path.sysGetcwd),
  [nr.SYS_sigaltstack]: partial(sig.sysSigaltstack, 'no alternate stacks yet'),
  [nr.SYS_vfork]: partial(proc.sysVfork, 'runs as a COW fork'),
  [nr.SYS_ugetrlimit]: supported(proc.sysGetrlimit),
  [nr.SYS_mmap2]: partial(mem.sysMmap2, 'MAP_SHARED mappings are private'),
  [nr.SYS_truncate64]: supported(path.sysTruncate64),
  [nr.SYS_ftruncate64]: supported(path.sysFtruncate64),
  [nr.SYS_stat64]: supported(path.sysStat64),
  [nr.SYS_lstat64]: supported(path.sysLstat64),
  [nr.SYS_fstat64]: supported(path.sysFstat64),
  [nr.SYS_lchown32]: supported((c, p, u, g) => path.sysFchownat(c, path.AT_FDCWD, p, u, g, path.AT_SYMLINK_NOFOLLOW)),
  [nr.SYS_getuid32]: supported(proc.sysGetuid),
  [nr.SYS_getgid32]: supported(proc.sysGetgid),
  [nr.SYS_geteuid32]: supported(proc.sysGeteuid),
  [nr.SYS_getegid32]: supported(proc.sysGetegid),
  [nr.SYS_getgroups32]: supported(proc.sysGetgroups),
  [nr.SYS_getresuid32]: supported(proc.sysGetresuid),
  [nr.SYS_getresgid32]: supported(proc.sysGetresgid),
  [nr.SYS_chown32]: supported((c, p, u, g) => path.sysFchownat(c, path.AT_FDCWD, p, u, g, 0)),
  [nr.SYS_setuid32]: supported(proc.sysSetuid),
  [nr.SYS_setgid32]: supported(proc.sysSetgid),
  [nr.SYS_mincore]: supported(mem.sysMincore),
  [nr.SYS_madvise]: partial(mem.sysMadvise, 'MADV_DONTNEED; other advice ignored'),
  [nr.SYS_getdents64]: supported(io.sysGetdents64),
  [nr.SYS_fcntl64]: partial(io.sysFcntl64, 'advisory locks always succeed'),
  [nr.SYS_gettid]: supported(proc.sysGettid),
  [nr.SYS_tkill]: supported(sig.sysTkill),
  [nr.SYS_futex]: partial(sysFutex, 'WAIT/WAKE/REQUEUE (as wake-all); no PI, no WAKE_OP'),
  [nr.SYS_set_thread_area]: supported(proc.sysSetThreadArea),
  [nr.SYS_get_thread_area]: supported(proc.sysGetThreadArea),
  [nr.SYS_exit_group]: supported(proc.sysExitGroup),
  [nr.SYS_set_tid_address]: supported(proc.sysSetTidAddress),
  [nr.SYS_clock_gettime]: supported(time.sysClockGettime),
  [nr.SYS_clock_getres]: supported(time.sysClockGetres),
  [nr.SYS_clock_nanosleep]: partial(time.sysClockNanosleep, 'advances the virtual clock'),
  [nr.SYS_tgkill]: supported(sig.sysTgkill),
  [nr.SYS_openat]: supported(path.sysOpenat),
  [nr.SYS_mkdirat]: supported(path.sysMkdirat),
  [nr.SYS_fchownat]: supported(path.sysFchownat),
  [nr.SYS_fstatat64]: supported(path.sysFstatat64),
  [nr.SYS_unlinkat]: supported(path.sysUnlinkat),
  [nr.SYS_renameat]: supported(path.sysRenameat),
  [nr.SYS_linkat]: supported(path.sysLinkat),
  [nr.SYS_symlinkat]: supported(path.sysSymlinkat),
  [nr.SYS_readlinkat]: supported(path.sysReadlinkat),
  [nr.SYS_fchmodat]: supported(path.sysFchmodat),
  [nr.SYS_faccessat]: supported(path.sysFaccessat),
  [nr.SYS_set_robust_list]: partial(proc.sysSetRobustList, 'stored; robust futexes are not cleaned up at exit'),
  [nr.SYS_utimensat]: partial(path.sysUtimensat, 'sets the times to now'),
  [nr.SYS_dup3]: supported(io.sysDup3),
  [nr.SYS_pipe2]: supported(io.sysPipe2),
  [nr.SYS_prlimit64]: partial(proc.sysPrlimit64, 'new limits accepted, not enforced'),
  [nr.SYS_renameat2]: partial(path.sysRenameat2, 'RENAME_NOREPLACE only'),
  [nr.SYS_getrandom]: supported(time.sysGetrandom),
  [nr.SYS_statx]: supported(path.sysStatx),
  [nr.SYS_clock_gettime64]: supported(time.sysClockGettime64),
  [nr.SYS_clock_getres_time64]: supported(time.sysClockGetres64),
  [nr.SYS_clock_nanosleep_time64]: partial(time.sysClockNanosleep64, 'advances the virtual clock'),
  [nr.SYS_faccessat2]: supported(path.sysFaccessat2),
  [nr.SYS_pause]: partial(sig.sysPause, 'woken only by signals'),
  [nr.SYS_sigreturn]: supported((c) => sigreturn(c.kernel, c.task)),
  [nr.SYS_rt_sigreturn]: supported((c) => rtSigreturn(c.kernel, c.task)),
  [nr.SYS_rseq]: unsupported('glibc falls back when rseq is ENOSYS'),
};

/** Number → entry for every syscall Linux i386 defines. */
export const syscallTable: ReadonlyMap<number, SyscallEntry> = new Map(
  Object.keys(nr.syscallNames).map((key) => [Number(key), implemented[Number(key)] ?? unsupported()]),
);

export const ENOSYS_RESULT = -ENOSYS;

/** Counts per support level, for `ir0 syscalls`. */
export function syscallCounts(): Record<string, number> {
  const counts: Record<string, number> = { supported: 0, partial: 0, unsupported: 0 };
  for (const entry of syscallTable.values()) counts[entry.support] = (counts[entry.support] ?? 0) + 1;
  return counts;
}
