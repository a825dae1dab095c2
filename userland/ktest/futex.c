/* futex(2): WAIT/WAKE errors and timeouts (relative, absolute monotonic and realtime), shared futexes between
 * processes, WAKE_BITSET, WAKE_OP, REQUEUE and CMP_REQUEUE. Waiters are children in a shared mapping; the parent
 * sleeps long enough for them to be queued before it wakes them. Output must equal native. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long futex(uint32_t *word, int op, uint32_t value, const void *timeout, uint32_t *word2, uint32_t value3) {
  return syscall(SYS_futex, word, op, value, timeout, word2, value3);
}

#define SHOW(label, expression) do { errno = 0; long result_ = (long)(expression); printf("%s: %ld errno %d\n", label, result_, errno); } while (0)

static void nap(long ms) {
  struct timespec pause = { ms / 1000, (ms % 1000) * 1000000 };
  nanosleep(&pause, NULL);
}

/* A child that waits on `word` (with `bitset` when nonzero) and exits with 0 when woken, else 100 + errno. */
static pid_t waiter(uint32_t *word, uint32_t bitset) {
  pid_t child = fork();
  if (child == 0) {
    long result = bitset ? futex(word, FUTEX_WAIT_BITSET, *word, NULL, NULL, bitset) : futex(word, FUTEX_WAIT, *word, NULL, NULL, 0);
    _exit(result == 0 ? 0 : 100 + errno);
  }
  return child;
}

static void reap(const char *label, int count) {
  for (int i = 0; i < count; i++) {
    int status;
    wait(&status);
    printf("%s: waiter exited %d\n", label, WEXITSTATUS(status));
  }
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  uint32_t *words = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  uint32_t *a = &words[0], *b = &words[16];
  struct timespec short_wait = { 0, 20000000 }, zero = { 0, 0 }, bad = { 0, 1000000000 };
  SHOW("wait, value differs", futex(a, FUTEX_WAIT, 1, NULL, NULL, 0));
  SHOW("wait 20 ms, nobody wakes", futex(a, FUTEX_WAIT, 0, &short_wait, NULL, 0));
  SHOW("wait, zero timeout", futex(a, FUTEX_WAIT_PRIVATE, 0, &zero, NULL, 0));
  SHOW("wait, bad timeout", futex(a, FUTEX_WAIT, 0, &bad, NULL, 0));
  SHOW("wait, bad timeout pointer", futex(a, FUTEX_WAIT, 0, (void *)16, NULL, 0));
  SHOW("wait, misaligned word", futex((uint32_t *)((char *)a + 1), FUTEX_WAIT, 0, NULL, NULL, 0));
  SHOW("wait, realtime clock flag", futex(a, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 0, &short_wait, NULL, 0));
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  now.tv_nsec += 20000000;
  if (now.tv_nsec >= 1000000000) { now.tv_sec++; now.tv_nsec -= 1000000000; }
  SHOW("wait_bitset, absolute monotonic deadline", futex(a, FUTEX_WAIT_BITSET, 0, &now, NULL, FUTEX_BITSET_MATCH_ANY));
  clock_gettime(CLOCK_REALTIME, &now);
  now.tv_sec -= 1;
  SHOW("wait_bitset, realtime deadline passed", futex(a, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &now, NULL, FUTEX_BITSET_MATCH_ANY));
  SHOW("wait_bitset, empty bitset", futex(a, FUTEX_WAIT_BITSET, 0, NULL, NULL, 0));
  SHOW("wake, nobody waits", futex(a, FUTEX_WAKE, 1, NULL, NULL, 0));
  SHOW("unknown command", futex(a, 99, 0, NULL, NULL, 0));

  waiter(a, 0);
  nap(100);
  SHOW("wake a shared waiter", futex(a, FUTEX_WAKE, 1, NULL, NULL, 0));
  reap("wake", 1);

  waiter(a, 0x1);
  nap(100);
  SHOW("wake_bitset, other bits", futex(a, FUTEX_WAKE_BITSET, 10, NULL, NULL, 0x2));
  SHOW("wake_bitset, matching bits", futex(a, FUTEX_WAKE_BITSET, 10, NULL, NULL, 0x1));
  reap("wake_bitset", 1);

  waiter(a, 0);
  waiter(b, 0);
  nap(100);
  /* *b += 1; wake one on a; and one on b if the old *b == 0. */
  SHOW("wake_op", futex(a, FUTEX_WAKE_OP, 1, (void *)1, b, FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0)));
  printf("b after wake_op: %u\n", *b);
  reap("wake_op", 2);
  SHOW("wake_op, comparison fails", futex(a, FUTEX_WAKE_OP, 1, (void *)1, b, FUTEX_OP(FUTEX_OP_SET, 5, FUTEX_OP_CMP_GT, 7)));
  printf("b after second wake_op: %u\n", *b);
  SHOW("wake_op, bad operation", futex(a, FUTEX_WAKE_OP, 1, (void *)1, b, 7u << 28));

  for (int i = 0; i < 3; i++) waiter(a, 0);
  nap(150);
  SHOW("cmp_requeue, stale value", futex(a, FUTEX_CMP_REQUEUE, 1, (void *)2, b, *a + 1));
  SHOW("cmp_requeue onto itself", futex(a, FUTEX_CMP_REQUEUE, 1, (void *)2, a, *a));
  SHOW("cmp_requeue: wake 1, move 2", futex(a, FUTEX_CMP_REQUEUE, 1, (void *)2, b, *a));
  SHOW("wake on the first word", futex(a, FUTEX_WAKE, 10, NULL, NULL, 0));
  SHOW("wake on the second word", futex(b, FUTEX_WAKE, 10, NULL, NULL, 0));
  reap("cmp_requeue", 3);

  for (int i = 0; i < 2; i++) waiter(a, 0);
  nap(150);
  SHOW("requeue: wake 0, move 1", futex(a, FUTEX_REQUEUE, 0, (void *)1, b, 0));
  SHOW("wake the rest on the first word", futex(a, FUTEX_WAKE, 10, NULL, NULL, 0));
  SHOW("wake the requeued one", futex(b, FUTEX_WAKE, 10, NULL, NULL, 0));
  reap("requeue", 2);
  return 0;
}
