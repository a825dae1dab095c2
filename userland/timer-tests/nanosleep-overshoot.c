/* nanosleep(1 ms) overshoot: sleeps COUNT times (default 1000) and prints the
 * p50 / p99 / max of (elapsed - 1 ms) on CLOCK_MONOTONIC in microseconds. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int compare(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  int count = argc > 1 ? atoi(argv[1]) : 1000;
  long long *overshoot = malloc(sizeof *overshoot * count);
  struct timespec request = { 0, 1000000 };
  for (int i = 0; i < count; i++) {
    long long start = now_ns();
    nanosleep(&request, NULL);
    overshoot[i] = now_ns() - start - 1000000;
  }
  qsort(overshoot, count, sizeof *overshoot, compare);
  int negative = overshoot[0] < 0;
  printf("nanosleep 1ms x %d: overshoot p50 %.1f us p99 %.1f us max %.1f us%s\n", count, overshoot[count / 2] / 1e3,
         overshoot[count * 99 / 100] / 1e3, overshoot[count - 1] / 1e3, negative ? " (woke early!)" : "");
  return negative;
}
