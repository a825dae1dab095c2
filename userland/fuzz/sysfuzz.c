/* Syscall fuzzer: from a seed, calls random syscall numbers (all of unistd_32
 * and some beyond) with random arguments: bad pointers (0, -1, kernel
 * addresses, unmapped and read-only pages, buffers straddling a page end),
 * huge lengths, invalid flags and fds. Each batch runs in a child process; the
 * parent respawns it when it dies and kills it when it hangs. Calls that would
 * end or freeze a batch (exit, fork/clone, execve, kill, sigreturn, memory map
 * changes, indefinite waits) run in a grandchild with an alarm instead.
 * Usage: sysfuzz SEED CALLS BATCH sandbox [TRACE [SKIP]]   (TRACE: print each
 * call of batch number TRACE to stderr and run only that batch; SKIP: a call of
 * it to leave out.) (Only inside ir0: it would happily
 * settimeofday or reboot a real machine, so it refuses without "sandbox"). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define MAX_SYSCALL 460

static uint32_t state;
static uint32_t next_random(void) {
  /* xorshift32 (Marsaglia 2003): small, deterministic, no libc state. */
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}
static uint32_t below(uint32_t n) { return next_random() % n; }

static char *read_write_area;  /* 4 pages, filled with bytes */
static char *read_only_page;
static char *straddle_end;     /* end of a writable page followed by an unmapped one */
static char *unmapped_area;
static int fd_pool[8];
static int fd_count;
static char long_path[5000];
static const char *path_pool[] = {
  "a", "b", "a/b/c", "", ".", "..", "/tmp/sysfuzz/d", "/proc/self/maps", "/nonexistent/x", "/dev/null",
  "/dev/zero", "/tmp", "/tmp/sysfuzz", long_path,
};

static uint32_t random_argument(void) {
  switch (below(16)) {
    case 0: return 0;
    case 1: return 0xffffffffu;
    case 2: return below(65);
    case 3: return 0xc0000000u + (next_random() & 0x3fffffffu);
    case 4: return (uint32_t)(uintptr_t)unmapped_area + below(2 * PAGE);
    case 5: return (uint32_t)(uintptr_t)read_only_page + below(PAGE);
    case 6: return (uint32_t)(uintptr_t)straddle_end - 1 - below(16);
    case 7: case 8: return (uint32_t)(uintptr_t)read_write_area + below(3 * PAGE);
    case 9: { static const uint32_t huge[] = { 0x7fffffff, 0x80000000, 0xfffffff0, 0x10000000, 1u << 20 }; return huge[below(5)]; }
    case 10: return next_random();
    case 11: return fd_count > 0 ? (uint32_t)fd_pool[below(fd_count)] : 3;
    case 12: return (uint32_t)(uintptr_t)path_pool[below(sizeof path_pool / sizeof path_pool[0])];
    case 13: return (1u << below(32)) | (below(2) ? next_random() & 0xfff : 0);
    case 14: return (uint32_t)-(int32_t)(1 + below(4096));
    default: return below(2) ? 0x1000u : (uint32_t)below(1 << 16);
  }
}

/* Calls that would end, freeze or unmap the batch itself: run in a grandchild. */
static int runs_isolated(uint32_t number) {
  switch (number) {
    case SYS_exit: case SYS_fork: case SYS_execve: case SYS_pause: case SYS_kill: case SYS_brk: case SYS_sigsuspend:
    case SYS_reboot: case SYS_mmap: case SYS_munmap: case SYS_sigreturn: case SYS_clone: case SYS_mprotect:
    case SYS_mremap: case SYS_prctl: case SYS_rt_sigreturn: case SYS_rt_sigtimedwait: case SYS_rt_sigsuspend:
    case SYS_vfork: case SYS_mmap2: case SYS_madvise: case SYS_tkill: case SYS_set_thread_area: case SYS_exit_group:
    case SYS_remap_file_pages: case SYS_tgkill: case SYS_rt_sigqueueinfo: case SYS_rt_tgsigqueueinfo: case SYS_execveat:
    case SYS_pkey_mprotect: case SYS_pidfd_send_signal: case SYS_clone3: case SYS_modify_ldt: case SYS_ptrace:
    case SYS_nanosleep: case SYS_futex: case SYS_poll: case SYS__newselect: case SYS_select: case SYS_pselect6:
    case SYS_ppoll: case SYS_clock_nanosleep: case SYS_wait4: case SYS_waitpid: case SYS_waitid: case SYS_vhangup:
    case SYS_setrlimit: case SYS_prlimit64: case SYS_ugetrlimit: case SYS_sigaction: case SYS_rt_sigaction:
    case SYS_signal: case SYS_sigprocmask: case SYS_rt_sigprocmask: case SYS_setitimer: case SYS_alarm: case SYS_timer_create:
    case SYS_setuid: case SYS_setuid32: case SYS_setresuid: case SYS_setresuid32: case SYS_setreuid: case SYS_setreuid32:
    case SYS_setsid: case SYS_setpgid: case SYS_chdir: case SYS_fchdir: case SYS_chroot: case SYS_personality:
    case SYS_set_tid_address: case SYS_set_robust_list: case SYS_close_range: case SYS_dup2: case SYS_dup3: case SYS_mlockall:
      return 1;
    default:
      return 0;
  }
}

/* Process ids in the calls that take one: never 0, negative or another fuzz process (the parent is init on ir0). */
static void sanitize_pids(uint32_t number, uint32_t *args) {
  int index = -1, second = -1;
  switch (number) {
    case SYS_kill: case SYS_tkill: case SYS_rt_sigqueueinfo: case SYS_ptrace: case SYS_prlimit64: case SYS_setpgid:
    case SYS_process_vm_readv: case SYS_process_vm_writev: case SYS_kcmp: case SYS_pidfd_open: case SYS_sched_setparam:
    case SYS_sched_setscheduler: case SYS_sched_setaffinity: case SYS_move_pages: case SYS_migrate_pages:
      index = 0; break;
    case SYS_tgkill: case SYS_rt_tgsigqueueinfo: index = 0; second = 1; break;
    case SYS_setpriority: case SYS_ioprio_set: index = 1; break;
    default: return;
  }
  if (number == SYS_ptrace) index = 1;
  uint32_t self = (uint32_t)getpid();
  if (index >= 0 && (args[index] == 0 || (int32_t)args[index] < 0 || args[index] < self)) args[index] = below(2) ? self : 0x3ffffff0u;
  if (second >= 0) args[second] = args[index];
}

static long call(uint32_t number, uint32_t *args) {
  return syscall((long)number, args[0], args[1], args[2], args[3], args[4], args[5]);
}

static volatile sig_atomic_t isolated_watchdog_fired;
static void on_isolated_alarm(int signal_number) { (void)signal_number; isolated_watchdog_fired = 1; }

static void run_isolated(uint32_t number, uint32_t *args) {
  pid_t child = fork();
  if (child < 0) return;
  if (child == 0) {
    signal(SIGALRM, SIG_DFL);
    alarm(2);
    sanitize_pids(number, args);
    call(number, args);
    syscall(SYS_exit_group, 0);
  }
  /* The grandchild may block SIGALRM (sigsuspend with a full mask): kill it when our own alarm fires. */
  isolated_watchdog_fired = 0;
  alarm(3);
  int status;
  while (waitpid(child, &status, 0) < 0) {
    if (isolated_watchdog_fired) { kill(child, SIGKILL); isolated_watchdog_fired = 0; }
  }
  alarm(0);
}

static void setup_batch(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_isolated_alarm;  /* no SA_RESTART: waitpid returns EINTR */
  sigaction(SIGALRM, &action, NULL);
  /* An earlier batch may have unlinked /dev/null (the path pool has it): then a scratch file, emptied per batch. */
  int null_fd = open("/dev/null", O_RDWR);
  if (null_fd < 0) null_fd = open("/tmp/sysfuzz-sink", O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (null_fd < 0) { close(0); close(1); close(2); }
  for (int fd = 0; fd < 3 && null_fd >= 0; fd++) dup2(null_fd, fd);
  if (null_fd > 2) close(null_fd);
  mkdir("/tmp/sysfuzz", 0777);
  chdir("/tmp/sysfuzz");
  char *pages = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  read_write_area = pages;
  for (int i = 0; i < 4 * PAGE; i++) pages[i] = (char)next_random();
  read_only_page = pages + 4 * PAGE;
  mprotect(read_only_page, PAGE, PROT_READ);
  straddle_end = pages + 6 * PAGE;
  unmapped_area = straddle_end;
  munmap(unmapped_area, 2 * PAGE);
  memset(long_path, 'a', sizeof long_path - 1);
  int pipe_fds[2];
  fd_count = 0;
  if (pipe2(pipe_fds, O_NONBLOCK) == 0) { fd_pool[fd_count++] = pipe_fds[0]; fd_pool[fd_count++] = pipe_fds[1]; }
  fd_pool[fd_count++] = open("file", O_RDWR | O_CREAT, 0644);
  fd_pool[fd_count++] = open("/dev/zero", O_RDONLY);
  fd_pool[fd_count++] = open("/tmp", O_RDONLY | O_DIRECTORY);
  fd_pool[fd_count++] = 0;
  fd_pool[fd_count++] = 1000;
  fd_pool[fd_count++] = -1;
}

/* With a trace, each call is written to this fd (a dup of stderr) before it is made. */
static int trace_fd = -1;
/* With a trace, this call of the batch is drawn but not made (finding which calls a bug needs). */
static long skipped_call = -1;

static void run_batch(uint32_t seed, uint32_t batch_number, int calls) {
  /* Distinct streams per (seed, batch): Knuth's multiplicative hash of each, mixed. */
  state = (seed * 2654435761u) ^ (batch_number * 0x9e3779b9u + 0x7f4a7c15u);
  for (int i = 0; i < 4; i++) next_random();
  if (state == 0) state = 1;
  setup_batch();
  for (int i = 0; i < calls; i++) {
    uint32_t number = below(64) == 0 ? next_random() : below(MAX_SYSCALL);
    uint32_t args[6];
    for (int a = 0; a < 6; a++) args[a] = random_argument();
    if (trace_fd >= 0) dprintf(trace_fd, "call %d: %u (%#x, %#x, %#x, %#x, %#x, %#x)%s\n", i, number, args[0], args[1], args[2],
                               args[3], args[4], args[5], runs_isolated(number) ? " isolated" : "");
    if (i == skipped_call) continue;
    if (runs_isolated(number)) run_isolated(number, args);
    else call(number, args);
  }
}

static volatile sig_atomic_t watchdog_fired;
static void on_alarm(int signal_number) { (void)signal_number; watchdog_fired = 1; }
/* Signals that reach the parent from fuzzed calls are counted, not fatal: the parent is not under test. */
static volatile sig_atomic_t stray_signals;
static void on_stray_signal(int signal_number) { (void)signal_number; stray_signals++; }

int main(int argc, char **argv) {
  if (argc < 5 || strcmp(argv[4], "sandbox") != 0) {
    fprintf(stderr, "usage: sysfuzz SEED CALLS BATCH sandbox  (run it only inside ir0 or a throwaway VM)\n");
    return 2;
  }
  uint32_t seed = (uint32_t)strtoul(argv[1], NULL, 0);
  long calls = atol(argv[2]);
  int batch = atoi(argv[3]);
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_alarm;  /* no SA_RESTART: waitpid returns EINTR when the watchdog fires */
  sigaction(SIGALRM, &action, NULL);
  action.sa_handler = on_stray_signal;
  for (int s = 1; s < 65; s++) {
    if (s != SIGALRM && s != SIGCHLD && s != SIGKILL && s != SIGSTOP && s != 32 && s != 33) sigaction(s, &action, NULL);
  }
  long batches = 0, deaths = 0, hangs = 0;
  long traced = argc > 5 && strcmp(argv[5], "progress") != 0 ? atol(argv[5]) : -1;
  if (traced >= 0 && argc > 6) skipped_call = atol(argv[6]);
  if (traced >= 0) { trace_fd = fcntl(2, F_DUPFD, 100); batches = traced; calls = batch; }
  int signals[65] = { 0 };
  for (long done = 0; done < calls; done += batch, batches++) {
    if (argc > 5 && strcmp(argv[5], "progress") == 0) { printf("batch %ld\n", batches); fflush(stdout); }
    pid_t child = fork();
    if (child < 0) { perror("fork"); return 1; }
    if (child == 0) {
      for (int s = 1; s < 65; s++) signal(s, SIG_DFL);
      run_batch(seed, (uint32_t)batches, batch);
      if (trace_fd >= 0) dprintf(trace_fd, "batch %ld ended normally\n", batches);
      syscall(SYS_exit_group, 0);
    }
    watchdog_fired = 0;
    alarm(30);
    int status;
    while (waitpid(child, &status, 0) < 0) {
      if (watchdog_fired) { kill(child, SIGKILL); hangs++; watchdog_fired = 0; }
    }
    alarm(0);
    if (traced >= 0) fprintf(stderr, "batch %ld: wait status %#x\n", batches, status);
    if (WIFSIGNALED(status)) { deaths++; signals[WTERMSIG(status) & 63]++; }
    /* Reap anything a batch left behind (reparented to us when we are init). */
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
  }
  printf("sysfuzz seed=%u calls=%ld batches=%ld deaths=%ld hangs=%ld stray=%d signals:", seed, calls, batches, deaths, hangs, (int)stray_signals);
  for (int s = 1; s < 65; s++) if (signals[s]) printf(" %d:%d", s, signals[s]);
  printf("\nsysfuzz done\n");
  return 0;
}
