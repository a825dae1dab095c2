/*
 * Context switch cost by pipe ping-pong (lmbench lat_ctx with 0 KB): pingpong ROUND_TRIPS
 * Two processes pass one byte back and forth over two pipes; each round trip is two
 * switches. As lmbench's benchmp, a warm-up of as many untimed round trips comes first
 * (on ir0 it is when the emulator's JIT compiles the path; natively it fills the caches).
 * Prints "pingpong NS_PER_SWITCH ROUND_TRIPS" (CLOCK_MONOTONIC, timed trips only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  long trips = argc > 1 ? atol(argv[1]) : 10000;
  int there[2], back[2];
  if (pipe(there) || pipe(back)) { perror("pipe"); return 1; }
  char byte = 0;
  pid_t child = fork();
  if (child == 0) {
    for (long i = 0; i < 2 * trips; i++) {
      if (read(there[0], &byte, 1) != 1) _exit(1);
      write(back[1], &byte, 1);
    }
    _exit(0);
  }
  for (long i = 0; i < trips; i++) {
    write(there[1], &byte, 1);
    if (read(back[0], &byte, 1) != 1) return 1;
  }
  long long start = now_ns();
  for (long i = 0; i < trips; i++) {
    write(there[1], &byte, 1);
    if (read(back[0], &byte, 1) != 1) return 1;
  }
  long long elapsed = now_ns() - start;
  waitpid(child, NULL, 0);
  printf("pingpong %.1f %ld\n", (double)elapsed / (2.0 * trips), trips);
  return 0;
}
