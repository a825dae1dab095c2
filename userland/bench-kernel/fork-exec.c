/* fork + execve of a static program + waitpid (lmbench lat_proc exec). The
 * program is argv[2] (default: /exit-zero). */
#include <sys/wait.h>
#include <unistd.h>
#include "kbench.h"

int main(int argc, char **argv) {
  long iterations = kbench_iterations(argc, argv, 500);
  char *program = argc > 2 ? argv[2] : "/exit-zero";
  char *child_argv[] = { program, NULL };
  char *child_envp[] = { NULL };
  double start = kbench_now_ns();
  for (long i = 0; i < iterations; i++) {
    pid_t child = fork();
    if (child < 0) return 1;
    if (child == 0) {
      execve(program, child_argv, child_envp);
      _exit(127);
    }
    int status;
    if (waitpid(child, &status, 0) != child || status != 0) return 1;
  }
  kbench_report("fork-exec", start, kbench_now_ns(), iterations);
  return 0;
}
