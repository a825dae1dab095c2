/* timerfd: creation flags, reads (EAGAIN, blocking, expiration counts), poll,
 * gettime/settime (relative, absolute, disarm, old value), both the time64
 * calls glibc makes and the old 32-bit ones, and the errors. Prints only what
 * is deterministic, so ir0's output must equal native. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000L

static void check(const char *what, long result) {
  printf("%s: %ld%s%s\n", what, result, result < 0 ? " " : "", result < 0 ? strerrorname_np(errno) : "");
}

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void) {
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  printf("create: %s\n", fd >= 0 ? "ok" : strerror(errno));
  printf("cloexec %d nonblock %d\n", fcntl(fd, F_GETFD) & FD_CLOEXEC, (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
  struct stat st;
  fstat(fd, &st);
  printf("mode %o\n", st.st_mode);
  uint64_t count = 0;
  check("read before expiry", read(fd, &count, 8));
  struct itimerspec current;
  timerfd_gettime(fd, &current);
  printf("disarmed: value %lld interval %lld\n", ns(current.it_value), ns(current.it_interval));

  struct itimerspec spec = { { 0, 5 * MS }, { 0, 20 * MS } };
  check("settime 20ms/5ms", timerfd_settime(fd, 0, &spec, NULL));
  timerfd_gettime(fd, &current);
  printf("armed: value in (0,20ms] %d interval %lld\n", ns(current.it_value) > 0 && ns(current.it_value) <= 20 * MS, ns(current.it_interval));
  struct pollfd p = { fd, POLLIN, 0 };
  check("poll", poll(&p, 1, 1000));
  printf("revents %x\n", p.revents);
  check("read", read(fd, &count, 8));
  printf("expirations >= 1: %d\n", count >= 1);
  check("short read", read(fd, &count, 4));

  struct timespec pause = { 0, 52 * MS };
  nanosleep(&pause, NULL);
  read(fd, &count, 8);
  printf("after 52 ms at 5 ms: 9..11 expirations: %d\n", count >= 9 && count <= 11);

  int blocking = timerfd_create(CLOCK_MONOTONIC, 0);
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  struct itimerspec absolute = { { 0, 0 }, { now.tv_sec, now.tv_nsec } };
  absolute.it_value.tv_nsec += 10 * MS;
  if (absolute.it_value.tv_nsec >= 1000000000) { absolute.it_value.tv_sec++; absolute.it_value.tv_nsec -= 1000000000; }
  check("settime absolute", timerfd_settime(blocking, TFD_TIMER_ABSTIME, &absolute, NULL));
  check("blocking read", read(blocking, &count, 8));
  struct timespec after;
  clock_gettime(CLOCK_MONOTONIC, &after);
  printf("count %llu, woke at or after the deadline: %d\n", (unsigned long long)count, ns(after) >= ns(absolute.it_value));
  timerfd_gettime(blocking, &current);
  printf("one-shot after expiry: value %lld\n", ns(current.it_value));

  struct itimerspec old;
  struct itimerspec off = { { 0, 0 }, { 0, 0 } };
  check("disarm", timerfd_settime(fd, 0, &off, &old));
  printf("old interval %lld, old value in (0,5ms] %d\n", ns(old.it_interval), ns(old.it_value) > 0 && ns(old.it_value) <= 5 * MS);
  check("read disarmed", read(fd, &count, 8));

  /* The old 32-bit calls, as a program built before time64 makes them. */
  int32_t old_spec[4] = { 0, 0, 0, 3 * MS };
  check("timerfd_settime (32-bit)", syscall(SYS_timerfd_settime, blocking, 0, old_spec, NULL));
  int32_t got[4];
  check("timerfd_gettime (32-bit)", syscall(SYS_timerfd_gettime, blocking, got));
  printf("32-bit value in (0,3ms] %d\n", got[2] == 0 && got[3] > 0 && got[3] <= 3 * MS);
  check("blocking read (32-bit armed)", read(blocking, &count, 8));

  check("create CLOCK_PROCESS_CPUTIME_ID", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0));
  check("create bad flags", timerfd_create(CLOCK_MONOTONIC, 1));
  struct itimerspec bad = { { 0, 0 }, { 0, 1000000000 } };
  check("settime nsec 1e9", timerfd_settime(fd, 0, &bad, NULL));
  check("settime bad flags", timerfd_settime(fd, 8, &spec, NULL));
  check("gettime on stdin", timerfd_gettime(0, &current));
  check("gettime bad fd", timerfd_gettime(99, &current));
  int realtime = timerfd_create(CLOCK_REALTIME, 0);
  struct timespec wall;
  clock_gettime(CLOCK_REALTIME, &wall);
  struct itimerspec wall_spec = { { 0, 0 }, { wall.tv_sec - 1, 0 } };
  check("realtime absolute in the past", timerfd_settime(realtime, TFD_TIMER_ABSTIME, &wall_spec, NULL));
  check("read fires at once", read(realtime, &count, 8));
  printf("count %llu\n", (unsigned long long)count);
  close(fd);
  close(blocking);
  close(realtime);
  return 0;
}
