/*
 * hackbench-style messaging (process mode, pipes): hackbench GROUPS LOOPS
 * Each group has 10 senders and 10 receivers; every sender writes LOOPS messages of 100
 * bytes to each receiver of its group, every receiver reads all it is sent. Prints
 * "hackbench MESSAGES_PER_SECOND MESSAGES".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FDS 10
#define SIZE 100

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int read_full(int fd, char *buffer, int length) {
  int done = 0;
  while (done < length) { int n = read(fd, buffer + done, length - done); if (n <= 0) return -1; done += n; }
  return 0;
}

int main(int argc, char **argv) {
  int groups = argc > 1 ? atoi(argv[1]) : 2;
  int loops = argc > 2 ? atoi(argv[2]) : 100;
  int ready[2], go[2];
  if (pipe(ready) || pipe(go)) { perror("pipe"); return 1; }
  int children = 0;
  for (int g = 0; g < groups; g++) {
    int receivers[FDS][2];
    for (int r = 0; r < FDS; r++) if (pipe(receivers[r])) { perror("pipe"); return 1; }
    for (int r = 0; r < FDS; r++) {
      if (fork() == 0) {
        char message[SIZE];
        write(ready[1], "r", 1);
        for (int i = 0; i < FDS * loops; i++) if (read_full(receivers[r][0], message, SIZE)) _exit(1);
        _exit(0);
      }
      children++;
    }
    for (int s = 0; s < FDS; s++) {
      if (fork() == 0) {
        char message[SIZE], start;
        memset(message, s, SIZE);
        write(ready[1], "s", 1);
        if (read(go[0], &start, 1) != 1) _exit(1);
        for (int i = 0; i < loops; i++)
          for (int r = 0; r < FDS; r++) if (write(receivers[r][1], message, SIZE) != SIZE) _exit(1);
        _exit(0);
      }
      children++;
    }
    for (int r = 0; r < FDS; r++) { close(receivers[r][0]); close(receivers[r][1]); }
  }
  char byte;
  for (int i = 0; i < children; i++) if (read(ready[0], &byte, 1) != 1) return 1;
  long long start = now_ns();
  for (int i = 0; i < groups * FDS; i++) write(go[1], "g", 1);
  int status, failed = 0;
  while (wait(&status) > 0) if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failed++;
  long long elapsed = now_ns() - start;
  long messages = (long)groups * FDS * FDS * loops;
  if (failed) { fprintf(stderr, "%d children failed\n", failed); return 1; }
  printf("hackbench %.0f %ld\n", messages * 1e9 / elapsed, messages);
  return 0;
}
