/* Signals, the rest: sigaltstack and SA_ONSTACK (a stack overflow caught on the alternate stack), siginfo from
 * kill/tgkill/sigqueue, rt_sigtimedwait, rt_(tg)sigqueueinfo permissions, robust futexes of a dead owner
 * (EOWNERDEAD), get_robust_list and prctl basics. Output must equal native. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

/* Evaluates the call before reading errno (argument order is unspecified in C). */
#define SHOW(label, expression) do { errno = 0; long result_ = (long)(expression); printf("%s: %ld errno %d\n", label, result_, errno); } while (0)

static char alternate[65536];
static volatile int on_alternate, seen_signal, seen_code, seen_value, seen_pid_ok, seen_uc_flags;
static volatile uintptr_t seen_uc_sp;
static volatile size_t seen_uc_size;
static sigjmp_buf recover;

static int within_alternate(const void *address) {
  return (const char *)address >= alternate && (const char *)address < alternate + sizeof alternate;
}

static void on_signal(int signal, siginfo_t *info, void *context) {
  ucontext_t *uc = context;
  int local;
  on_alternate = within_alternate(&local);
  seen_signal = signal;
  seen_code = info->si_code;
  seen_value = info->si_value.sival_int;
  seen_pid_ok = info->si_pid == getpid();
  seen_uc_sp = (uintptr_t)uc->uc_stack.ss_sp;
  seen_uc_size = uc->uc_stack.ss_size;
  seen_uc_flags = uc->uc_stack.ss_flags;
}

static void on_overflow(int signal) {
  int local;
  on_alternate = within_alternate(&local);
  siglongjmp(recover, signal);
}

static volatile int depth_limit = 1 << 30;

static int recurse(int n) {
  volatile char pad[4096];
  pad[0] = (char)n;
  return n == depth_limit ? 0 : recurse(n + 1) + pad[0];
}

static void install(int signal, void (*action)(int, siginfo_t *, void *), int flags) {
  struct sigaction sa = { 0 };
  sa.sa_sigaction = action;
  sa.sa_flags = SA_SIGINFO | flags;
  sigaction(signal, &sa, NULL);
}

static void altstack_tests(void) {
  stack_t old, ss = { 0 };
  SHOW("initial sigaltstack", sigaltstack(NULL, &old));
  printf("initial flags %d size %u\n", old.ss_flags, (unsigned)old.ss_size);
  ss.ss_sp = alternate;
  ss.ss_size = 1024;
  SHOW("small stack", sigaltstack(&ss, NULL));
  ss.ss_size = sizeof alternate;
  ss.ss_flags = 7;
  SHOW("bad flags", sigaltstack(&ss, NULL));
  ss.ss_flags = 0;
  SHOW("set", sigaltstack(&ss, NULL));
  sigaltstack(NULL, &old);
  printf("get: same sp %d flags %d size %u\n", old.ss_sp == alternate, old.ss_flags, (unsigned)old.ss_size);

  install(SIGUSR1, on_signal, 0);
  raise(SIGUSR1);
  printf("without SA_ONSTACK: on alternate %d, uc_stack sp ok %d size %u flags %d\n", on_alternate,
         seen_uc_sp == (uintptr_t)alternate, (unsigned)seen_uc_size, seen_uc_flags);
  install(SIGUSR1, on_signal, SA_ONSTACK);
  raise(SIGUSR1);
  printf("with SA_ONSTACK: on alternate %d, uc_stack flags %d\n", on_alternate, seen_uc_flags);

  /* A stack overflow can only be handled on another stack. */
  struct sigaction sa = { 0 };
  sa.sa_handler = on_overflow;
  sa.sa_flags = SA_ONSTACK | SA_NODEFER;
  sigaction(SIGSEGV, &sa, NULL);
  pid_t child = fork();
  if (child == 0) {
    if (sigsetjmp(recover, 1) == 0) recurse(0);
    printf("child: overflow caught on alternate stack %d\n", on_alternate);
    _exit(0);
  }
  int status;
  waitpid(child, &status, 0);
  printf("overflow child: exited %d status %d\n", WIFEXITED(status), WEXITSTATUS(status));

  ss.ss_flags = SS_DISABLE;
  SHOW("disable", sigaltstack(&ss, NULL));
  sigaltstack(NULL, &old);
  printf("after disable: flags %d size %u\n", old.ss_flags, (unsigned)old.ss_size);
  raise(SIGUSR1);
  printf("disabled stack: on alternate %d\n", on_alternate);
}

static void siginfo_tests(void) {
  install(SIGUSR2, on_signal, 0);
  kill(getpid(), SIGUSR2);
  printf("kill: signal %d code %d pid ok %d\n", seen_signal, seen_code, seen_pid_ok);
  syscall(SYS_tgkill, getpid(), getpid(), SIGUSR2);
  printf("tgkill: code %d pid ok %d\n", seen_code, seen_pid_ok);
  union sigval value = { .sival_int = 4242 };
  sigqueue(getpid(), SIGUSR2, value);
  printf("sigqueue: code %d value %d pid ok %d\n", seen_code, seen_value, seen_pid_ok);
  siginfo_t info;
  memset(&info, 0, sizeof info);
  info.si_code = SI_USER;
  SHOW("rt_sigqueueinfo SI_USER to parent", syscall(SYS_rt_sigqueueinfo, getppid(), SIGUSR2, &info));
  info.si_code = -1;
  SHOW("rt_sigqueueinfo to no one", syscall(SYS_rt_sigqueueinfo, 999999, SIGUSR2, &info));
  SHOW("rt_sigqueueinfo bad pointer", syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR2, (void *)16));
  info.si_code = SI_QUEUE;
  info.si_value.sival_int = 77;
  SHOW("rt_tgsigqueueinfo", syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGUSR2, &info));
  printf("rt_tgsigqueueinfo value %d code %d\n", seen_value, seen_code);
  SHOW("rt_tgsigqueueinfo bad tid", syscall(SYS_rt_tgsigqueueinfo, getpid(), 0, SIGUSR2, &info));
}

static void sigtimedwait_tests(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, NULL);
  struct timespec zero = { 0, 0 }, short_wait = { 0, 20000000 }, bad = { 0, 1000000000 };
  siginfo_t info;
  SHOW("nothing pending, zero timeout", sigtimedwait(&set, &info, &zero));
  SHOW("nothing pending, 20 ms", sigtimedwait(&set, &info, &short_wait));
  SHOW("bad timeout", sigtimedwait(&set, &info, &bad));
  union sigval value = { .sival_int = 99 };
  sigqueue(getpid(), SIGRTMIN, value);
  int got = sigtimedwait(&set, &info, &zero);
  printf("queued: got SIGRTMIN %d code %d value %d pid ok %d\n", got == SIGRTMIN, info.si_code, info.si_value.sival_int, info.si_pid == getpid());
  kill(getpid(), SIGUSR1);
  got = sigwaitinfo(&set, &info);
  printf("sigwaitinfo: %d code %d\n", got, info.si_code);

  /* A child signals us while we wait with no timeout. */
  pid_t child = fork();
  if (child == 0) {
    struct timespec pause = { 0, 30000000 };
    nanosleep(&pause, NULL);
    kill(getppid(), SIGUSR1);
    _exit(0);
  }
  got = sigwaitinfo(&set, &info);
  printf("woken by child: %d code %d from child %d\n", got, info.si_code, info.si_pid == child);
  waitpid(child, NULL, 0);
  sigset_t bad_size;
  sigemptyset(&bad_size);
  SHOW("bad sigsetsize", syscall(SYS_rt_sigtimedwait, &bad_size, NULL, NULL, 4));
  sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void robust_tests(void) {
  struct { void *head; long offset; void *pending; } *head;
  size_t length = 0;
  SHOW("get_robust_list", syscall(SYS_get_robust_list, 0, &head, &length));
  printf("length %u head set %d\n", (unsigned)length, head != NULL);
  SHOW("set_robust_list bad length", syscall(SYS_set_robust_list, head, 8));
  SHOW("get_robust_list no such pid", syscall(SYS_get_robust_list, 999999, &head, &length));

  pthread_mutex_t *mutex = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  pthread_mutexattr_t attributes;
  pthread_mutexattr_init(&attributes);
  pthread_mutexattr_setpshared(&attributes, PTHREAD_PROCESS_SHARED);
  pthread_mutexattr_setrobust(&attributes, PTHREAD_MUTEX_ROBUST);
  pthread_mutex_init(mutex, &attributes);
  pid_t child = fork();
  if (child == 0) {
    pthread_mutex_lock(mutex);
    _exit(3); /* dies holding the lock */
  }
  int status;
  waitpid(child, &status, 0);
  int result = pthread_mutex_lock(mutex);
  printf("child status %d; lock after the owner died: %s\n", WEXITSTATUS(status), result == EOWNERDEAD ? "EOWNERDEAD" : strerror(result));
  int consistent = pthread_mutex_consistent(mutex);
  int unlocked = pthread_mutex_unlock(mutex);
  int relocked = pthread_mutex_lock(mutex);
  printf("consistent: %d unlock: %d relock: %d\n", consistent, unlocked, relocked);
  pthread_mutex_unlock(mutex);
  munmap(mutex, 4096);
}

static void prctl_tests(void) {
  char name[16] = { 0 };
  prctl(PR_SET_NAME, "sigqueue-test-long-name");
  prctl(PR_GET_NAME, name);
  printf("name %s\n", name);
  int signal = -1;
  SHOW("pdeathsig set", prctl(PR_SET_PDEATHSIG, SIGUSR1));
  SHOW("pdeathsig get", prctl(PR_GET_PDEATHSIG, &signal));
  printf("pdeathsig value %d\n", signal);
  SHOW("pdeathsig bad", prctl(PR_SET_PDEATHSIG, 65));
  SHOW("dumpable", prctl(PR_GET_DUMPABLE));
  SHOW("set dumpable 0", prctl(PR_SET_DUMPABLE, 0));
  SHOW("dumpable now", prctl(PR_GET_DUMPABLE));
  SHOW("bad dumpable", prctl(PR_SET_DUMPABLE, 5));
  SHOW("no_new_privs", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
  SHOW("set no_new_privs", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
  SHOW("no_new_privs now", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
  SHOW("bad no_new_privs", prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0));
  SHOW("subreaper", prctl(PR_GET_CHILD_SUBREAPER, &signal));
  printf("subreaper value %d\n", signal);
  SHOW("keepcaps", prctl(PR_GET_KEEPCAPS));
  SHOW("unknown option", prctl(9999));
}

static volatile sig_atomic_t parent_died;
static void on_parent_death(int signal) { parent_died = signal; }

/* Orphans: with PR_SET_CHILD_SUBREAPER (or as init on ir0) this process adopts its grandchild when the middle
 * process exits; the grandchild hears of it through PR_SET_PDEATHSIG and can be waited for by its new parent. */
static void reparent_tests(void) {
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  int ready[2], done[2];
  pipe(ready);
  pipe(done);
  pid_t middle = fork();
  if (middle == 0) {
    pid_t grandchild = fork();
    if (grandchild == 0) {
      signal(SIGUSR1, on_parent_death);
      prctl(PR_SET_PDEATHSIG, SIGUSR1);
      pid_t before = getppid();
      write(ready[1], "r", 1);
      char byte;
      read(done[0], &byte, 1); /* the middle process has exited by now */
      while (!parent_died) pause();
      printf("grandchild: parent changed %d, adopted by the subreaper %d, death signal %d\n", getppid() != before,
             getppid() == (pid_t)strtol(getenv("SUBREAPER"), NULL, 10), parent_died);
      _exit(7);
    }
    char byte;
    read(ready[0], &byte, 1);
    _exit(0);
  }
  int status;
  waitpid(middle, &status, 0);
  printf("middle exited %d\n", WEXITSTATUS(status));
  write(done[1], "d", 1);
  pid_t reaped = wait(&status);
  printf("subreaper reaped the grandchild: %d status %d\n", reaped > 0 && reaped != middle, WEXITSTATUS(status));
  SHOW("no more children", wait(NULL));
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  altstack_tests();
  siginfo_tests();
  sigtimedwait_tests();
  robust_tests();
  prctl_tests();
  /* In a child, so that on ir0 the adopter is the subreaper and not init (this program is pid 1 there). */
  pid_t subreaper = fork();
  if (subreaper == 0) {
    char self[16];
    snprintf(self, sizeof self, "%d", getpid());
    setenv("SUBREAPER", self, 1);
    reparent_tests();
    _exit(0);
  }
  int status;
  waitpid(subreaper, &status, 0);
  printf("subreaper process exited %d\n", WEXITSTATUS(status));
  return 0;
}
