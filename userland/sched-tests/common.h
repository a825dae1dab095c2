/* Helpers of the scheduler workloads: clocks in nanoseconds, a busy loop, a start barrier. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline int64_t clock_ns(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline int64_t now_ns(void) { return clock_ns(CLOCK_MONOTONIC); }

/* Spins until CLOCK_MONOTONIC reaches `deadline`, reading the clock every `step` iterations. */
static volatile uint32_t spin_sink;
static inline void spin_until(int64_t deadline) {
  while (now_ns() < deadline) {
    for (uint32_t i = 0; i < 20000; i++) spin_sink += i;
  }
}

/* Reads exactly `length` bytes (a pipe may return less). */
static inline int read_full(int fd, void *buffer, size_t length) {
  size_t done = 0;
  while (done < length) {
    ssize_t n = read(fd, (char *)buffer + done, length - done);
    if (n <= 0) { if (n < 0 && errno == EINTR) continue; return -1; }
    done += n;
  }
  return 0;
}
