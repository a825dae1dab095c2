/*
 * SCHED_FIFO semantics on one CPU: a FIFO task runs until it blocks or yields. The parent
 * (FIFO 50) forks a FIFO child of the same priority and a SCHED_OTHER child, spins 50 ms,
 * yields, spins, then blocks in waitpid. Every step appends a letter to a pipe; the order
 * shows who ran: the FIFO child only after the yield, the normal child only after the
 * parent blocks.
 */
#include <sched.h>
#include <sys/wait.h>
#include "common.h"

static int order_pipe[2];
static void mark(char letter) { write(order_pipe[1], &letter, 1); }

int main(void) {
  if (pipe(order_pipe)) { perror("pipe"); return 1; }
  struct sched_param param = { .sched_priority = 50 };
  if (sched_setscheduler(0, SCHED_FIFO, &param) != 0) { printf("setscheduler: %s\n", strerror(errno)); return 1; }
  printf("policy %d priority %d\n", sched_getscheduler(0), param.sched_priority);
  pid_t fifo_child = fork();
  if (fifo_child == 0) { mark('F'); _exit(0); }
  pid_t normal_child = fork();
  if (normal_child == 0) { mark('N'); _exit(0); }
  struct sched_param other = { .sched_priority = 0 };
  if (sched_setscheduler(normal_child, SCHED_OTHER, &other) != 0) { printf("child setscheduler: %s\n", strerror(errno)); return 1; }
  printf("children: fifo policy %d, normal policy %d\n", sched_getscheduler(fifo_child), sched_getscheduler(normal_child));
  mark('a');
  spin_until(now_ns() + 50000000);
  mark('b');
  sched_yield();
  mark('c');
  spin_until(now_ns() + 50000000);
  mark('d');
  waitpid(fifo_child, NULL, 0);
  waitpid(normal_child, NULL, 0);
  mark('e');
  char order[16] = { 0 };
  read(order_pipe[0], order, 7);
  printf("order %s\n", order);
  return 0;
}
