/* POSIX timers: timer_create with SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID and the
 * default sigevent; timer_settime (relative, absolute, old value), timer_gettime,
 * timer_getoverrun, timer_delete; the siginfo a timer signal carries; the errors.
 * Prints only what is deterministic, so ir0's output must equal native. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000L

static volatile int caught, caught_code, caught_value, caught_overrun;

static void handler(int signal, siginfo_t *info, void *context) {
  (void)signal; (void)context;
  caught++;
  caught_code = info->si_code;
  caught_value = info->si_value.sival_int;
  caught_overrun = info->si_overrun;
}

static void check(const char *what, long result) {
  printf("%s: %ld%s%s\n", what, result, result < 0 ? " " : "", result < 0 ? strerrorname_np(errno) : "");
}

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

static void sleep_ms(long ms) {
  struct timespec t = { ms / 1000, (ms % 1000) * MS };
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {}
}

int main(void) {
  struct sigaction action = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
  sigaction(SIGRTMIN, &action, NULL);
  sigaction(SIGALRM, &action, NULL);

  timer_t none;
  struct sigevent quiet = { .sigev_notify = SIGEV_NONE };
  check("create SIGEV_NONE", timer_create(CLOCK_MONOTONIC, &quiet, &none));
  struct itimerspec spec = { { 0, 0 }, { 0, 30 * MS } }, current;
  check("settime 30ms", timer_settime(none, 0, &spec, NULL));
  timer_gettime(none, &current);
  printf("remaining in (0,30ms] %d\n", ns(current.it_value) > 0 && ns(current.it_value) <= 30 * MS);
  sleep_ms(40);
  timer_gettime(none, &current);
  printf("after expiry: value %lld, signals %d\n", ns(current.it_value), caught);

  timer_t signalled;
  struct sigevent event = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN, .sigev_value.sival_int = 42 };
  check("create SIGEV_SIGNAL", timer_create(CLOCK_MONOTONIC, &event, &signalled));
  spec.it_value.tv_nsec = 5 * MS;
  timer_settime(signalled, 0, &spec, NULL);
  while (!caught) pause();
  printf("signal: count %d code %s value %d overrun %d\n", caught, caught_code == SI_TIMER ? "SI_TIMER" : "other", caught_value, caught_overrun);

  /* Overruns: a periodic 1 ms timer while its signal is blocked for ~10.5 ms. */
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &block, NULL);
  caught = 0;
  struct itimerspec periodic = { { 0, 1 * MS }, { 0, 1 * MS } };
  timer_settime(signalled, 0, &periodic, NULL);
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  do clock_gettime(CLOCK_MONOTONIC, &now); while (ns(now) - ns(start) < 10500000);
  sigprocmask(SIG_UNBLOCK, &block, NULL);
  int overrun = timer_getoverrun(signalled);
  printf("blocked 10.5 ms: signals %d, overrun >= 8: %d (si_overrun matches: %d)\n", caught, overrun >= 8, caught_overrun == overrun);
  if (getenv("VERBOSE")) printf("overrun %d si_overrun %d\n", overrun, caught_overrun);
  struct itimerspec old;
  struct itimerspec off = { { 0, 0 }, { 0, 0 } };
  check("disarm with old value", timer_settime(signalled, 0, &off, &old));
  printf("old interval %lld\n", ns(old.it_interval));

  timer_t threaded;
  struct sigevent to_thread = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGRTMIN, .sigev_value.sival_int = 7 };
  to_thread._sigev_un._tid = gettid();
  check("create SIGEV_THREAD_ID (self)", timer_create(CLOCK_MONOTONIC, &to_thread, &threaded));
  caught = 0;
  clock_gettime(CLOCK_MONOTONIC, &now);
  struct itimerspec absolute = { { 0, 0 }, { now.tv_sec, now.tv_nsec } };
  check("settime absolute in the past", timer_settime(threaded, TIMER_ABSTIME, &absolute, NULL));
  while (!caught) pause();
  printf("thread signal value %d\n", caught_value);
  to_thread._sigev_un._tid = 999999;
  timer_t bad;
  check("create SIGEV_THREAD_ID (no such thread)", timer_create(CLOCK_MONOTONIC, &to_thread, &bad));

  timer_t plain;
  check("create default sigevent", timer_create(CLOCK_REALTIME, NULL, &plain));
  caught = 0;
  spec.it_value.tv_nsec = 2 * MS;
  timer_settime(plain, 0, &spec, NULL);
  while (!caught) pause();
  printf("default: SIGALRM caught %d\n", caught);

  struct sigevent bad_signal = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = 0 };
  check("create signal 0", timer_create(CLOCK_MONOTONIC, &bad_signal, &bad));
  struct sigevent bad_notify = { .sigev_notify = 99, .sigev_signo = SIGRTMIN };
  check("create notify 99", timer_create(CLOCK_MONOTONIC, &bad_notify, &bad));
  check("create clock 99", timer_create(99, &event, &bad));
  struct itimerspec bad_spec = { { 0, 0 }, { 0, 1000000000 } };
  check("settime nsec 1e9", timer_settime(none, 0, &bad_spec, NULL));
  check("delete", timer_delete(none));
  check("gettime deleted", timer_gettime(none, &current));
  check("getoverrun deleted", timer_getoverrun(none));
  check("delete again", timer_delete(none));
  /* The old 32-bit timer_gettime. */
  int32_t got[4];
  check("timer_gettime (32-bit)", syscall(SYS_timer_gettime, signalled, got));
  printf("32-bit disarmed: %d %d %d %d\n", got[0], got[1], got[2], got[3]);
  timer_delete(signalled);
  timer_delete(threaded);
  timer_delete(plain);
  return 0;
}
