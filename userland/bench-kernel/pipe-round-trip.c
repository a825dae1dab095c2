/* Pipe round trip: parent and child ping-pong one byte over two pipes (lmbench lat_pipe). */
#include <sys/wait.h>
#include <unistd.h>
#include "kbench.h"

int main(int argc, char **argv) {
  long iterations = kbench_iterations(argc, argv, 20000);
  int to_child[2], to_parent[2];
  if (pipe(to_child) != 0 || pipe(to_parent) != 0) return 1;
  char byte = 'x';
  pid_t child = fork();
  if (child < 0) return 1;
  if (child == 0) {
    close(to_child[1]);
    close(to_parent[0]);
    while (read(to_child[0], &byte, 1) == 1) {
      if (write(to_parent[1], &byte, 1) != 1) _exit(1);
    }
    _exit(0);
  }
  close(to_child[0]);
  close(to_parent[1]);
  for (long i = 0; i < iterations; i++) {
    if (write(to_child[1], &byte, 1) != 1 || read(to_parent[0], &byte, 1) != 1) return 1;
  }
  double start = kbench_now_ns();
  for (long i = 0; i < iterations; i++) {
    if (write(to_child[1], &byte, 1) != 1 || read(to_parent[0], &byte, 1) != 1) return 1;
  }
  double end = kbench_now_ns();
  close(to_child[1]);
  waitpid(child, NULL, 0);
  kbench_report("pipe-round-trip", start, end, iterations);
  return 0;
}
