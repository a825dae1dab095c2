/* Memory: brk, malloc, mmap/munmap/mprotect, demand zero, stack growth, COW after fork, SIGSEGV with si_addr. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static sigjmp_buf recover;
static void *fault_address;
static int fault_code;

static void on_segv(int signal, siginfo_t *info, void *context) {
  (void)signal; (void)context;
  fault_address = info->si_addr;
  fault_code = info->si_code;
  siglongjmp(recover, 1);
}

static int depth(int n) { volatile char pad[1024]; pad[0] = (char)n; return n == 0 ? pad[0] : depth(n - 1) + pad[0]; }

int main(void) {
  void *start = sbrk(0);
  if (brk((char *)start + 100000) != 0) return 1;
  memset(start, 1, 100000);
  printf("brk grew and is writable\n");
  brk(start);
  char *big = malloc(10 << 20);
  size_t sum = 0;
  for (size_t i = 0; i < (10u << 20); i += 4096) sum += big[i];
  printf("malloc 10 MiB reads zero: %zu\n", sum);
  free(big);
  unsigned char *map = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  map[0] = 1; map[(1 << 20) - 1] = 2;
  printf("mmap: %d %d %d\n", map[0], map[4096], map[(1 << 20) - 1]);
  struct sigaction action = { 0 };
  action.sa_sigaction = on_segv;
  action.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &action, NULL);
  mprotect(map, 4096, PROT_READ);
  if (sigsetjmp(recover, 1) == 0) { map[10] = 3; printf("no fault?\n"); }
  else printf("write to read-only page: SIGSEGV at offset %ld code %d\n", (long)((unsigned char *)fault_address - map), fault_code);
  munmap(map, 1 << 20);
  if (sigsetjmp(recover, 1) == 0) { map[8192] = 3; printf("no fault?\n"); }
  else printf("write to unmapped page: SIGSEGV at offset %ld code %d\n", (long)((unsigned char *)fault_address - map), fault_code);
  if (sigsetjmp(recover, 1) == 0) { *(volatile int *)16 = 1; }
  else printf("null page: SIGSEGV at %p code %d\n", fault_address, fault_code);
  printf("stack recursion: %d\n", depth(2000));
  int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  *shared = 10;
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) { *shared = 20; printf("child sees %d\n", *shared); fflush(stdout); _exit(0); }
  int status;
  waitpid(child, &status, 0);
  printf("parent still sees %d after child wrote\n", *shared);
  return 0;
}
