/* Interval timers over PERIODS periods of 1 ms (default 10000): setitimer(ITIMER_REAL)
 * and timer_create(CLOCK_MONOTONIC, SIGEV_SIGNAL). Each expiry is taken with sigwaitinfo;
 * lateness = time taken - (start + k * period), k the expiry's index on the grid. Prints
 * the first and last lateness and the largest, in microseconds, and the overruns: a
 * timer that drifts shows a last lateness that grows with the number of periods
 * (for setitimer, whose SIGALRMs coalesce, k is the grid point at or before now). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

#define PERIOD_NS 1000000LL

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void measure(const char *name, int signal, long long start, int periods, timer_t *timer) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, signal);
  long long first = 0, last = 0, worst = 0, overruns = 0;
  int k = 0;
  while (k < periods) {
    siginfo_t info;
    if (sigwaitinfo(&set, &info) != signal) { perror("sigwaitinfo"); exit(1); }
    long long now = now_ns();
    if (timer) {
      /* POSIX timers count the expirations a pending signal absorbed: the grid index is exact. */
      overruns += timer_getoverrun(*timer);
      k += 1 + timer_getoverrun(*timer);
    } else {
      /* SIGALRM coalesces while pending: take the grid point at or before now. */
      k = (now - start) / PERIOD_NS;
      if (k == 0) k = 1;
    }
    long long late = now - (start + k * PERIOD_NS);
    if (k == 1) first = late;
    last = late;
    if (late > worst) worst = late;
  }
  printf("%s: %d periods of 1 ms: lateness first %.1f us last %.1f us max %.1f us, overruns %lld\n", name, periods,
         first / 1e3, last / 1e3, worst / 1e3, overruns);
}

int main(int argc, char **argv) {
  int periods = argc > 1 ? atoi(argv[1]) : 10000;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGALRM);
  sigaddset(&set, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &set, NULL);

  struct itimerval value = { { 0, 1000 }, { 0, 1000 } };
  long long start = now_ns();
  setitimer(ITIMER_REAL, &value, NULL);
  measure("setitimer", SIGALRM, start, periods, NULL);
  struct itimerval off = { { 0, 0 }, { 0, 0 } };
  setitimer(ITIMER_REAL, &off, NULL);

  struct sigevent event = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN };
  timer_t timer;
  if (timer_create(CLOCK_MONOTONIC, &event, &timer) != 0) { perror("timer_create"); return 1; }
  struct itimerspec spec = { { 0, PERIOD_NS }, { 0, PERIOD_NS } };
  start = now_ns();
  timer_settime(timer, 0, &spec, NULL);
  measure("timer_create", SIGRTMIN, start, periods, &timer);
  timer_delete(timer);
  return 0;
}
