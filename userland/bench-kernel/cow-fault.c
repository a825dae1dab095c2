/* COW fault: the parent fills a private mapping, forks, and the child times
 * writes to each page (one copy-on-write fault per page) and reports. */
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kbench.h"

#define CHUNK_PAGES 256
#define PAGE 4096

int main(int argc, char **argv) {
  long iterations = kbench_iterations(argc, argv, 20000);
  volatile char *area = mmap(NULL, CHUNK_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (area == MAP_FAILED) return 1;
  for (long p = 0; p < CHUNK_PAGES; p++) area[p * PAGE] = 1;
  int report[2];
  if (pipe(report) != 0) return 1;
  double total = 0;
  long done = 0;
  while (done < iterations) {
    long pages = iterations - done < CHUNK_PAGES ? iterations - done : CHUNK_PAGES;
    pid_t child = fork();
    if (child < 0) return 1;
    if (child == 0) {
      double start = kbench_now_ns();
      for (long p = 0; p < pages; p++) area[p * PAGE] = 2;
      double elapsed = kbench_now_ns() - start;
      write(report[1], &elapsed, sizeof elapsed);
      _exit(0);
    }
    double elapsed;
    if (read(report[0], &elapsed, sizeof elapsed) != sizeof elapsed) return 1;
    waitpid(child, NULL, 0);
    total += elapsed;
    done += pages;
  }
  kbench_report("cow-fault", 0, total, iterations);
  return 0;
}
