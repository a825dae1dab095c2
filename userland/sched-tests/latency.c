/*
 * cyclictest-style wakeup latency against CPU hogs: latency HOGS LOOPS INTERVAL_US [WARMUP_MS]
 * HOGS children spin; the parent sleeps INTERVAL_US with clock_nanosleep(TIMER_ABSTIME)
 * LOOPS times and records how late each wakeup is. Prints "latency p50 P p99 Q max M" (ns).
 * WARMUP_MS (default 0): the parent first sleeps that long while the hogs run, so that the
 * measurement sees a load already running, as cyclictest is used (a scheduler that learns
 * who is interactive, as Linux 2.6's O(1) did from sleep time, has seen the load by then).
 */
#include <signal.h>
#include <sys/wait.h>
#include "common.h"

static int compare(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: latency HOGS LOOPS INTERVAL_US [WARMUP_MS]\n"); return 2; }
  int hogs = atoi(argv[1]), loops = atoi(argv[2]);
  int64_t interval = atoll(argv[3]) * 1000LL;
  int64_t warmup = argc > 4 ? atoll(argv[4]) * 1000000LL : 0;
  pid_t pids[64];
  for (int i = 0; i < hogs; i++) {
    pids[i] = fork();
    if (pids[i] == 0) { for (;;) spin_sink++; }
  }
  int64_t *late = calloc(loops, sizeof *late);
  int64_t next = now_ns() + warmup;
  if (warmup > 0) {
    struct timespec target = { next / 1000000000LL, next % 1000000000LL };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, NULL) == EINTR) {}
  }
  for (int i = 0; i < loops; i++) {
    next += interval;
    struct timespec target = { next / 1000000000LL, next % 1000000000LL };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, NULL) == EINTR) {}
    late[i] = now_ns() - next;
  }
  for (int i = 0; i < hogs; i++) kill(pids[i], SIGKILL);
  for (int i = 0; i < hogs; i++) waitpid(pids[i], NULL, 0);
  qsort(late, loops, sizeof *late, compare);
  printf("latency p50 %lld p99 %lld max %lld\n", (long long)late[loops / 2], (long long)late[(loops * 99) / 100], (long long)late[loops - 1]);
  return 0;
}
