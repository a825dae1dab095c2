/* Anonymous page fault: touch each page of a fresh private anonymous mapping
 * once (a demand-zero fault per page); the mapping is remade every 256 pages. */
#include <sys/mman.h>
#include "kbench.h"

#define CHUNK_PAGES 256
#define PAGE 4096

int main(int argc, char **argv) {
  long iterations = kbench_iterations(argc, argv, 50000);
  double total = 0;
  long done = 0;
  while (done < iterations) {
    long pages = iterations - done < CHUNK_PAGES ? iterations - done : CHUNK_PAGES;
    volatile char *area = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED) return 1;
    double start = kbench_now_ns();
    for (long p = 0; p < pages; p++) area[p * PAGE] = 1;
    total += kbench_now_ns() - start;
    munmap((void *)area, pages * PAGE);
    done += pages;
  }
  kbench_report("page-fault", 0, total, iterations);
  return 0;
}
