/*
 * The hot swap under load: swap TASKS WORK_MS CLASS...
 * TASKS children each spin for WORK_MS of their own CPU time and exit; meanwhile the parent
 * writes each CLASS in turn to /proc/sys/kernel/sched_class (ir0's hot swap; absent on Linux,
 * where the writes are skipped), sleeping 20 ms between writes. Prints how many children
 * finished with status 0 and how many swaps were accepted.
 */
#include <fcntl.h>
#include <sys/wait.h>
#include "common.h"

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: swap TASKS WORK_MS CLASS...\n"); return 2; }
  int tasks = atoi(argv[1]);
  int64_t work = atoll(argv[2]) * 1000000LL;
  for (int i = 0; i < tasks; i++) {
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
      int64_t start = clock_ns(CLOCK_THREAD_CPUTIME_ID);
      while (clock_ns(CLOCK_THREAD_CPUTIME_ID) - start < work) for (uint32_t j = 0; j < 20000; j++) spin_sink += j;
      _exit(0);
    }
  }
  int accepted = 0;
  for (int i = 3; i < argc; i++) {
    struct timespec pause = { 0, 20000000 };
    nanosleep(&pause, NULL);
    int fd = open("/proc/sys/kernel/sched_class", O_WRONLY);
    if (fd < 0) continue;
    if (write(fd, argv[i], strlen(argv[i])) == (ssize_t)strlen(argv[i])) accepted++;
    close(fd);
  }
  int finished = 0, status;
  while (wait(&status) > 0) if (WIFEXITED(status) && WEXITSTATUS(status) == 0) finished++;
  printf("finished %d of %d\n", finished, tasks);
  fprintf(stderr, "swaps accepted %d\n", accepted);
  return 0;
}
