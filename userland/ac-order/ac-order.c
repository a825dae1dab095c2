/*
 * ac-order: which fault wins on the host CPU when EFLAGS.AC=1 — alignment
 * check (#AC, SIGBUS) or page fault (#PF, SIGSEGV)? Maps a read-only page
 * followed by an unmapped one, sets AC, and tries each case in a child
 * process. Prints "case N: SIGBUS|SIGSEGV|none". Compared by
 * src/machine/mmu/alignment-check.test.ts with the Mmu.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void attempt(int which, char *page) {
  volatile char *p = page;
  __asm__ volatile("pushf; orl $0x40000, (%esp); popf");
  switch (which) {
  case 0: (void)*(volatile int *)(p + 4096 + 1); break;     /* misaligned dword, unmapped page */
  case 1: (void)*(volatile int *)(p + 4094); break;         /* misaligned dword crossing into unmapped */
  case 2: *(volatile int *)(p + 1) = 1; break;              /* misaligned dword write, read-only page */
  case 3: (void)*(volatile int *)(p + 4096); break;         /* aligned dword, unmapped page */
  case 4: (void)*(volatile short *)(p + 3); break;          /* misaligned word, mapped */
  case 5: (void)*(volatile char *)(p + 3); break;           /* byte: never misaligned */
  case 6: *(volatile short *)(p + 2) = 1; break;            /* aligned word write, read-only page */
  case 7: (void)*(volatile int *)(p + 8); break;            /* aligned dword, mapped */
  }
  __asm__ volatile("pushf; andl $~0x40000, (%esp); popf");
}

int main(void) {
  char *page = mmap(0, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(page + 4096, 4096);
  for (int which = 0; which < 8; which++) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) { attempt(which, page); _exit(0); }
    int status;
    waitpid(pid, &status, 0);
    const char *what = !WIFSIGNALED(status) ? "none" : WTERMSIG(status) == SIGBUS ? "SIGBUS"
                       : WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : "other";
    printf("case %d: %s\n", which, what);
  }
  return 0;
}
