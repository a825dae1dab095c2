/* ITIMER_VIRTUAL and ITIMER_PROF: they count CPU time, not sleeping; get/set
 * round trips, disarming, and the errors. Prints only what is deterministic. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static volatile int virtual_signals, prof_signals;

static void on_vtalrm(int signal) { (void)signal; virtual_signals++; }
static void on_prof(int signal) { (void)signal; prof_signals++; }

static void check(const char *what, long result) {
  printf("%s: %ld%s%s\n", what, result, result < 0 ? " " : "", result < 0 ? strerrorname_np(errno) : "");
}

int main(void) {
  signal(SIGVTALRM, on_vtalrm);
  signal(SIGPROF, on_prof);
  struct itimerval ten = { { 0, 10000 }, { 0, 10000 } }, current;
  check("setitimer ITIMER_VIRTUAL", setitimer(ITIMER_VIRTUAL, &ten, NULL));
  getitimer(ITIMER_VIRTUAL, &current);
  /* Linux adds one tick (4 ms at HZ=250) so that a CPU timer never expires early (itimer.c set_cpu_itimer). */
  printf("virtual: interval %ld us, value in (10ms,14ms] %d\n", current.it_interval.tv_usec,
         current.it_value.tv_sec == 0 && current.it_value.tv_usec > 10000 && current.it_value.tv_usec <= 14000);
  struct timespec pause = { 0, 50000000 };
  nanosleep(&pause, NULL);
  printf("after sleeping 50 ms: %d SIGVTALRM\n", virtual_signals);
  volatile unsigned long spin = 0;
  while (virtual_signals < 5) spin++;
  printf("busy: reached 5 SIGVTALRM\n");
  struct itimerval off = { { 0, 0 }, { 0, 0 } }, old;
  check("disarm virtual", setitimer(ITIMER_VIRTUAL, &off, &old));
  printf("old interval %ld us\n", old.it_interval.tv_usec);
  getitimer(ITIMER_VIRTUAL, &current);
  printf("disarmed: %ld %ld\n", (long)current.it_value.tv_sec, (long)current.it_value.tv_usec);

  check("setitimer ITIMER_PROF", setitimer(ITIMER_PROF, &ten, NULL));
  while (prof_signals < 3) spin++;
  printf("busy: reached 3 SIGPROF\n");
  setitimer(ITIMER_PROF, &off, NULL);
  check("setitimer which 5", setitimer(5, &ten, NULL));
  check("getitimer which 5", getitimer(5, &current));
  struct itimerval bad = { { 0, 0 }, { 0, 1000000 } };
  check("setitimer usec 1e6", setitimer(ITIMER_VIRTUAL, &bad, NULL));
  return 0;
}
