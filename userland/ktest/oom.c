/* Out of memory: touches far more anonymous memory than the machine has. On ir0 with little RAM the
   OOM path kills it with SIGKILL and the kernel lives on; natively it just succeeds. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

int main(int argc, char **argv) {
  size_t mebibytes = argc > 1 ? (size_t)atoi(argv[1]) : 256;
  unsigned char *memory = mmap(NULL, mebibytes << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) { printf("mmap failed\n"); return 1; }
  for (size_t i = 0; i < mebibytes << 20; i += 4096) memory[i] = 1;
  printf("touched %zu MiB\n", mebibytes);
  return 0;
}
