/* Shared timing for the kernel microbenchmarks (lmbench style): each program
 * takes an iteration count, times its loop with clock_gettime(CLOCK_MONOTONIC)
 * and prints one line "NAME NS_PER_OP ITERATIONS". */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double kbench_now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static inline long kbench_iterations(int argc, char **argv, long fallback) {
  return argc > 1 ? atol(argv[1]) : fallback;
}

static inline void kbench_report(const char *name, double start_ns, double end_ns, long iterations) {
  double per_op = iterations > 0 ? (end_ns - start_ns) / (double)iterations : 0;
  printf("%s %.1f %ld\n", name, per_op, iterations);
}
