/* Null syscall: getppid through syscall(2), so glibc cannot cache the answer. */
#include <sys/syscall.h>
#include <unistd.h>
#include "kbench.h"

int main(int argc, char **argv) {
  long iterations = kbench_iterations(argc, argv, 1000000);
  for (long i = 0; i < iterations; i++) syscall(SYS_getppid);
  double start = kbench_now_ns();
  for (long i = 0; i < iterations; i++) syscall(SYS_getppid);
  kbench_report("null-syscall", start, kbench_now_ns(), iterations);
  return 0;
}
