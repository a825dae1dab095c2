/* Timers: nanosleep lets other processes run, alarm + pause, ITIMER_REAL intervals, poll timeouts, EINTR from SIGALRM. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;
static void on_alarm(int signal) { (void)signal; alarms++; }
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  double start = now();
  struct timespec ten_ms = { 0, 10000000 };
  nanosleep(&ten_ms, NULL);
  printf("nanosleep slept at least 10 ms: %d\n", now() - start >= 0.01);
  int fds[2];
  pipe(fds);
  pid_t child = fork();
  if (child == 0) { nanosleep(&ten_ms, NULL); write(fds[1], "late", 4); _exit(0); }
  struct pollfd poller = { fds[0], POLLIN, 0 };
  printf("poll before the child writes: %d\n", poll(&poller, 1, 0));
  int ready = poll(&poller, 1, 5000);
  printf("poll waiting: %d revents %d\n", ready, poller.revents);
  waitpid(child, NULL, 0);
  char buffer[8];
  read(fds[0], buffer, sizeof buffer);
  start = now();
  ready = poll(&poller, 1, 20);
  printf("poll timeout: %d after at least 20 ms: %d\n", ready, now() - start >= 0.02);
  struct sigaction action = { 0 };
  action.sa_handler = on_alarm;
  sigaction(SIGALRM, &action, NULL);
  alarm(1);
  printf("alarm remaining: %u\n", alarm(1));
  pause();
  printf("pause returned after %d alarm\n", alarms);
  struct itimerval timer = { { 0, 20000 }, { 0, 20000 } };
  setitimer(ITIMER_REAL, &timer, NULL);
  while (alarms < 4) pause();
  struct itimerval off = { { 0, 0 }, { 0, 0 } };
  setitimer(ITIMER_REAL, &off, &timer);
  printf("interval timer fired until %d; interval was %ld us\n", alarms, (long)timer.it_interval.tv_usec);
  alarm(1);
  struct timespec long_sleep = { 5, 0 }, left;
  errno = 0;
  int result = nanosleep(&long_sleep, &left);
  printf("nanosleep interrupted: %d %s\n", result, strerror(errno));
  return 0;
}
