/* Shared timing for the kernel microbenchmarks (lmbench style): each program
 * takes an iteration count, times its loop with clock_gettime(CLOCK_MONOTONIC)
 * and prints one line "NAME NS_PER_OP ITERATIONS". The syscall, pipe and fork
 * loops first run as many untimed iterations, as lmbench's benchmp warms up (on
 * ir0 that is when the emulator's JIT compiles the path; natively it fills the
 * caches and the TLB). */
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
