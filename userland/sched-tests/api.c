/*
 * The scheduling syscalls' results and errnos, printed for comparison with Linux:
 * priority ranges, sched_setscheduler/getscheduler/setparam/getparam with valid and
 * invalid arguments, nice/setpriority/getpriority (raw: 20 - nice), affinity, the
 * round-robin interval of SCHED_RR and SCHED_FIFO, and the EPERM/EACCES of an unprivileged user.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "common.h"

/* Prints a call's result and, when it set errno, the error. */
#define show(what, call) do { errno = 0; long result_ = (call); int error_ = errno; \
  printf("%s = %ld%s%s\n", (what), result_, error_ ? " " : "", error_ ? strerror(error_) : ""); } while (0)

int main(void) {
  const int policies[] = { SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, 4, 6, -1 };
  char label[96];
  for (unsigned i = 0; i < sizeof policies / sizeof *policies; i++) {
    snprintf(label, sizeof label, "priority_max(%d)", policies[i]); show(label, sched_get_priority_max(policies[i]));
    snprintf(label, sizeof label, "priority_min(%d)", policies[i]); show(label, sched_get_priority_min(policies[i]));
  }
  struct sched_param param = { 0 };
  show("getscheduler(0)", sched_getscheduler(0));
  show("getscheduler(-1)", sched_getscheduler(-1));
  show("getscheduler(99999)", sched_getscheduler(99999));
  show("getparam(0)", sched_getparam(0, &param)); printf("  priority %d\n", param.sched_priority);
  show("getparam(0, NULL)", syscall(SYS_sched_getparam, 0, NULL));
  param.sched_priority = 0;  show("setscheduler(FIFO, 0)", sched_setscheduler(0, SCHED_FIFO, &param));
  param.sched_priority = 100; show("setscheduler(FIFO, 100)", sched_setscheduler(0, SCHED_FIFO, &param));
  param.sched_priority = 5;  show("setscheduler(OTHER, 5)", sched_setscheduler(0, SCHED_OTHER, &param));
  param.sched_priority = 0;  show("setscheduler(9, 0)", sched_setscheduler(0, 9, &param));
  show("setscheduler(OTHER, NULL)", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL));
  param.sched_priority = 10; show("setscheduler(RR, 10)", sched_setscheduler(0, SCHED_RR, &param));
  show("getscheduler(0)", sched_getscheduler(0));
  struct timespec interval = { 0 };
  show("rr_get_interval(RR)", sched_rr_get_interval(0, &interval)); printf("  %ld.%09ld\n", (long)interval.tv_sec, interval.tv_nsec);
  param.sched_priority = 20; show("setparam(20)", sched_setparam(0, &param));
  show("getparam(0)", sched_getparam(0, &param)); printf("  priority %d\n", param.sched_priority);
  param.sched_priority = 10; show("setscheduler(FIFO|RESET_ON_FORK, 10)", sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &param));
  show("getscheduler(0)", sched_getscheduler(0));
  show("rr_get_interval(FIFO)", sched_rr_get_interval(0, &interval)); printf("  %ld.%09ld\n", (long)interval.tv_sec, interval.tv_nsec);
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) { printf("child policy %d\n", sched_getscheduler(0)); fflush(stdout); _exit(0); }
  waitpid(child, NULL, 0);
  param.sched_priority = 0; show("setscheduler(OTHER, 0)", sched_setscheduler(0, SCHED_OTHER, &param));
  show("getscheduler(0)", sched_getscheduler(0));
  show("setscheduler(BATCH)", sched_setscheduler(0, SCHED_BATCH, &param));
  show("getscheduler(0)", sched_getscheduler(0));
  show("setscheduler(OTHER)", sched_setscheduler(0, SCHED_OTHER, &param));

  show("getpriority raw", syscall(SYS_getpriority, PRIO_PROCESS, 0));
  show("nice(5)", syscall(SYS_nice, 5));
  show("getpriority raw", syscall(SYS_getpriority, PRIO_PROCESS, 0));
  show("getpriority(PROCESS)", getpriority(PRIO_PROCESS, 0));
  show("setpriority(PROCESS, -3)", setpriority(PRIO_PROCESS, 0, -3));
  show("getpriority(PROCESS)", getpriority(PRIO_PROCESS, 0));
  show("setpriority(PROCESS, 100)", setpriority(PRIO_PROCESS, 0, 100));
  show("getpriority(PROCESS)", getpriority(PRIO_PROCESS, 0));
  show("setpriority(PGRP, 0, 2)", setpriority(PRIO_PGRP, 0, 2));
  show("getpriority(PGRP)", getpriority(PRIO_PGRP, 0));
  show("setpriority(7, 0, 0)", setpriority(7, 0, 0));
  show("getpriority(PROCESS, 99999)", getpriority(PRIO_PROCESS, 99999));
  show("nice(-100)", syscall(SYS_nice, -100));
  show("getpriority raw", syscall(SYS_getpriority, PRIO_PROCESS, 0));
  show("setpriority(PROCESS, 0)", setpriority(PRIO_PROCESS, 0, 0));

  unsigned long mask[1] = { 0 };
  show("getaffinity(4)", syscall(SYS_sched_getaffinity, 0, sizeof mask, mask)); printf("  cpu0 %lu\n", mask[0] & 1);
  show("getaffinity(3)", syscall(SYS_sched_getaffinity, 0, 3, mask));
  mask[0] = 1; show("setaffinity({0})", syscall(SYS_sched_setaffinity, 0, sizeof mask, mask));
  mask[0] = 0; show("setaffinity({})", syscall(SYS_sched_setaffinity, 0, sizeof mask, mask));
  show("sched_yield", sched_yield());

  fflush(stdout);
  child = fork();
  if (child == 0) {
    /* An unprivileged user may lower priority but not raise it, nor become real-time. */
    if (setuid(1000) != 0) { perror("setuid"); _exit(1); }
    show("user nice(2)", syscall(SYS_nice, 2));
    show("user nice(-1)", syscall(SYS_nice, -1));
    show("user setpriority(PROCESS, 1)", setpriority(PRIO_PROCESS, 0, 1));
    show("user getpriority(PROCESS)", getpriority(PRIO_PROCESS, 0));
    show("user setpriority(PROCESS, 5)", setpriority(PRIO_PROCESS, 0, 5));
    param.sched_priority = 1; show("user setscheduler(FIFO, 1)", sched_setscheduler(0, SCHED_FIFO, &param));
    param.sched_priority = 0; show("user setscheduler(IDLE)", sched_setscheduler(0, SCHED_IDLE, &param));
    show("user setscheduler(OTHER)", sched_setscheduler(0, SCHED_OTHER, &param));
    show("user setpriority(parent)", setpriority(PRIO_PROCESS, getppid(), 3));
    fflush(stdout);
    _exit(0);
  }
  waitpid(child, NULL, 0);
  return 0;
}
