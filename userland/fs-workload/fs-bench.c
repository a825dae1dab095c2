/*
 * fs-bench DIR MIB FILES: filesystem throughput for `ir0 bench fs`, timed by the
 * program itself (CLOCK_MONOTONIC; ir0 runs it with --clock host):
 * sequential write of MIB MiB (then fsync), sequential read of it back, and
 * FILES small-file creates, stats and unlinks in one directory.
 * Prints "NAME NANOSECONDS UNITS" lines (units: bytes or operations).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long long now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static char buffer[1 << 16];

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: fs-bench DIR MIB FILES\n"); return 2; }
  const char *dir = argv[1];
  long long bytes = atoll(argv[2]) << 20;
  int files = atoi(argv[3]);
  char path[4096];
  memset(buffer, 0x5a, sizeof buffer);
  snprintf(path, sizeof path, "%s/seq", dir);
  long long start = now();
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) { perror("open"); return 1; }
  for (long long done = 0; done < bytes; done += sizeof buffer) {
    if (write(fd, buffer, sizeof buffer) != (ssize_t)sizeof buffer) { perror("write"); return 1; }
  }
  fsync(fd);
  close(fd);
  printf("seq-write %lld %lld\n", now() - start, bytes);
  start = now();
  fd = open(path, O_RDONLY);
  long long total = 0;
  ssize_t got;
  while ((got = read(fd, buffer, sizeof buffer)) > 0) total += got;
  close(fd);
  printf("seq-read %lld %lld\n", now() - start, total);
  unlink(path);
  snprintf(path, sizeof path, "%s/small", dir);
  mkdir(path, 0755);
  start = now();
  for (int i = 0; i < files; i++) {
    snprintf(path, sizeof path, "%s/small/f%06d", dir, i);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) { perror("create"); return 1; }
    close(fd);
  }
  printf("create %lld %d\n", now() - start, files);
  start = now();
  struct stat st;
  for (int i = 0; i < files; i++) {
    snprintf(path, sizeof path, "%s/small/f%06d", dir, i);
    if (stat(path, &st) != 0) { perror("stat"); return 1; }
  }
  printf("stat %lld %d\n", now() - start, files);
  start = now();
  for (int i = 0; i < files; i++) {
    snprintf(path, sizeof path, "%s/small/f%06d", dir, i);
    if (unlink(path) != 0) { perror("unlink"); return 1; }
  }
  printf("unlink %lld %d\n", now() - start, files);
  snprintf(path, sizeof path, "%s/small", dir);
  rmdir(path);
  return 0;
}
