/*
 * CPU shares of busy loops at given nice values: shares DURATION_MS NICE...
 * Each child sets its nice, waits at a barrier (released once all are ready), then spins until a common deadline and
 * reports its CPU time (CLOCK_THREAD_CPUTIME_ID) and the delay before it first ran.
 * Prints one line per child: "nice N cpu_ns C first_run_ns F".
 */
#include <sys/resource.h>
#include <sys/wait.h>
#include "common.h"

struct report { int64_t cpu_ns; int64_t first_run_ns; };

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: shares DURATION_MS NICE...\n"); return 2; }
  int64_t duration = atoll(argv[1]) * 1000000LL;
  int count = argc - 2;
  int start_pipe[2], report_pipe[2], ready_pipe[2];
  if (pipe(start_pipe) || pipe(report_pipe) || pipe(ready_pipe)) { perror("pipe"); return 1; }
  pid_t pids[64];
  for (int i = 0; i < count; i++) {
    pids[i] = fork();
    if (pids[i] < 0) { perror("fork"); return 1; }
    if (pids[i] == 0) {
      if (setpriority(PRIO_PROCESS, 0, atoi(argv[2 + i])) != 0) { perror("setpriority"); _exit(1); }
      write(ready_pipe[1], "r", 1);
      int64_t start;
      if (read_full(start_pipe[0], &start, sizeof start)) _exit(1);
      struct report report;
      report.first_run_ns = now_ns() - start;
      int64_t cpu_before = clock_ns(CLOCK_THREAD_CPUTIME_ID);
      spin_until(start + duration);
      report.cpu_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu_before;
      int64_t message[3] = { i, report.cpu_ns, report.first_run_ns };
      write(report_pipe[1], message, sizeof message);
      _exit(0);
    }
  }
  /*
   * The parent releases every child at once and sleeps in read/wait, taking no CPU; it takes the
   * lowest nice of its children first, so that a strict-priority class does not hold back the release.
   */
  int lowest = 19;
  for (int i = 0; i < count; i++) if (atoi(argv[2 + i]) < lowest) lowest = atoi(argv[2 + i]);
  setpriority(PRIO_PROCESS, 0, lowest);
  /* Every child has its nice value before any is released. */
  for (int i = 0; i < count; i++) { char ready; if (read_full(ready_pipe[0], &ready, 1)) return 1; }
  int64_t start = now_ns();
  for (int i = 0; i < count; i++) write(start_pipe[1], &start, sizeof start);
  struct report reports[64];
  for (int i = 0; i < count; i++) {
    int64_t message[3];
    if (read_full(report_pipe[0], message, sizeof message)) { fprintf(stderr, "lost a report\n"); return 1; }
    reports[message[0]].cpu_ns = message[1];
    reports[message[0]].first_run_ns = message[2];
  }
  for (int i = 0; i < count; i++) waitpid(pids[i], NULL, 0);
  for (int i = 0; i < count; i++)
    printf("nice %d cpu_ns %lld first_run_ns %lld\n", atoi(argv[2 + i]), (long long)reports[i].cpu_ns, (long long)reports[i].first_run_ns);
  return 0;
}
