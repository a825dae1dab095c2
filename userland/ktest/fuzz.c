/* Syscall fuzzer: forked children issue random syscalls with random arguments (bad pointers, huge
   lengths, bad flags and fds, and pointers into their own memory). Children may die of it; the
   kernel must not. Usage: fuzz [children] [calls-per-child] [seed]. Run natively only with care. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static unsigned int state;
static unsigned int next(void) { state ^= state << 13; state ^= state >> 17; state ^= state << 5; return state; }

static int dangerous(long nr) {
  /* Calls that would end the experiment, wait forever, or reach outside the fuzz child. */
  static const long list[] = { SYS_exit, SYS_exit_group, SYS_kill, SYS_tkill, SYS_tgkill, SYS_fork, SYS_vfork, SYS_clone,
    SYS_clone3, SYS_execve, SYS_execveat, SYS_reboot, SYS_pause, SYS_rt_sigsuspend, SYS_sigsuspend, SYS_sigreturn,
    SYS_rt_sigreturn, SYS_setitimer, SYS_alarm, SYS_rt_sigprocmask, SYS_sigprocmask, SYS_rt_sigaction, SYS_sigaction,
    SYS_signal, SYS_rt_sigqueueinfo, SYS_rt_tgsigqueueinfo, SYS_ptrace, SYS_setsid, SYS_setpgid };
  for (unsigned i = 0; i < sizeof list / sizeof list[0]; i++) if (list[i] == nr) return 1;
  return 0;
}

int main(int argc, char **argv) {
  int children = argc > 1 ? atoi(argv[1]) : 20;
  int calls = argc > 2 ? atoi(argv[2]) : 300;
  state = argc > 3 ? (unsigned)atoi(argv[3]) : 12345;
  static char buffer[65536];
  int killed = 0;
  for (int c = 0; c < children; c++) {
    unsigned seed = next();
    pid_t pid = fork();
    if (pid == 0) {
      state = seed | 1;
      alarm(2); /* a call that sleeps forever is ended by SIGALRM */
      for (int i = 0; i < calls; i++) {
        long nr = next() % 450;
        if (dangerous(nr)) continue;
        long args[6];
        for (int a = 0; a < 6; a++) {
          switch (next() % 5) {
            case 0: args[a] = next() % 64; break;
            case 1: args[a] = (long)(buffer + next() % sizeof buffer); break;
            case 2: args[a] = (long)next(); break;
            case 3: args[a] = -(long)(next() % 4096); break;
            default: args[a] = (long)&args[next() % 6]; break;
          }
        }
        syscall(nr, args[0], args[1], args[2], args[3], args[4], args[5]);
      }
      _exit(0);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {}
    if (WIFSIGNALED(status)) killed++;
  }
  printf("fuzz done: %d children, %s\n", children, killed <= children ? "kernel alive" : "?");
  return 0;
}
