/* Signals: handlers with siginfo, masks and pending sets, SA_RESETHAND, sigsuspend, SIGCHLD, EINTR vs SA_RESTART, sigreturn. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t count, last_signal, last_code, chld;

static void handler(int signal, siginfo_t *info, void *context) {
  (void)context;
  count++;
  last_signal = signal;
  last_code = info->si_code;
}

static void on_chld(int signal) { (void)signal; chld++; }
static void plain(int signal) { last_signal = signal; }

static void install(int signal, int flags) {
  struct sigaction action = { 0 };
  action.sa_sigaction = handler;
  action.sa_flags = SA_SIGINFO | flags;
  sigaction(signal, &action, NULL);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  install(SIGUSR1, 0);
  kill(getpid(), SIGUSR1);
  printf("handled %d times, signal %d code %d\n", count, last_signal, last_code);
  sigset_t block, pending, old;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigprocmask(SIG_BLOCK, &block, &old);
  kill(getpid(), SIGUSR1);
  sigpending(&pending);
  printf("blocked: count %d pending %d\n", count, sigismember(&pending, SIGUSR1));
  sigprocmask(SIG_SETMASK, &old, NULL);
  printf("unblocked: count %d\n", count);
  install(SIGUSR2, SA_RESETHAND);
  raise(SIGUSR2);
  struct sigaction now;
  sigaction(SIGUSR2, NULL, &now);
  printf("resethand: signal %d handler reset %d\n", last_signal, now.sa_handler == SIG_DFL);
  signal(SIGCHLD, on_chld);
  sigprocmask(SIG_BLOCK, &(sigset_t){ 0 }, NULL);
  sigset_t chldmask;
  sigemptyset(&chldmask);
  sigaddset(&chldmask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chldmask, &old);
  pid_t child = fork();
  if (child == 0) _exit(0);
  sigset_t wait_mask = old;
  sigdelset(&wait_mask, SIGCHLD);
  while (!chld) sigsuspend(&wait_mask);
  sigprocmask(SIG_SETMASK, &old, NULL);
  waitpid(child, NULL, 0);
  printf("sigsuspend saw SIGCHLD %d\n", chld);
  int fds[2];
  for (int restart = 0; restart < 2; restart++) {
    struct sigaction action = { 0 };
    action.sa_handler = plain;
    action.sa_flags = restart ? SA_RESTART : 0;
    sigaction(SIGUSR1, &action, NULL);
    pipe(fds);
    pid_t parent = getpid();
    child = fork();
    if (child == 0) {
      /* Give the parent time to block in read first (deterministic on ir0, and very likely natively). */
      struct timespec pause_time = { 0, 50000000 };
      close(fds[0]);
      nanosleep(&pause_time, NULL);
      kill(parent, SIGUSR1);
      /* Keep the write end open a while so the reader sees the signal, not end of file. */
      nanosleep(&pause_time, NULL);
      if (restart) write(fds[1], "x", 1);
      _exit(0);
    }
    /* Without the write end here, a signal that came too early shows up as EOF instead of a hang. */
    close(fds[1]);
    char byte;
    errno = 0;
    ssize_t n = read(fds[0], &byte, 1);
    printf("read with %s: %zd %s\n", restart ? "SA_RESTART" : "no SA_RESTART", n, n < 0 ? strerror(errno) : "data");
    waitpid(child, NULL, 0);
    close(fds[0]);
  }
  signal(SIGUSR1, SIG_IGN);
  raise(SIGUSR1);
  printf("ignored signal survived\n");
  signal(SIGTERM, SIG_DFL);
  child = fork();
  if (child == 0) { raise(SIGTERM); _exit(0); }
  int status;
  waitpid(child, &status, 0);
  printf("default SIGTERM: signaled %d sig %d\n", WIFSIGNALED(status), WTERMSIG(status));
  return 0;
}
