/* fork + _exit + waitpid (lmbench lat_proc fork). */
#include <sys/wait.h>
#include <unistd.h>
#include "kbench.h"

int main(int argc, char **argv) {
  long iterations = kbench_iterations(argc, argv, 2000);
  double start = 0;
  for (long i = 0; i < 2 * iterations; i++) {
    if (i == iterations) start = kbench_now_ns();
    pid_t child = fork();
    if (child < 0) return 1;
    if (child == 0) _exit(0);
    int status;
    if (waitpid(child, &status, 0) != child || status != 0) return 1;
  }
  kbench_report("fork-exit", start, kbench_now_ns(), iterations);
  return 0;
}
