/* Reproducer found by sysfuzz: a child created by clone() with exit signal 41
 * is orphaned and reparented to init; when it exits, Linux sends init SIGCHLD,
 * not 41 ("We don't want people slaying init", kernel/exit.c reparent_leader).
 * Run as pid 1 (natively: unshare --pid --fork); it must print "init survived". */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  pid_t middle = fork();
  if (middle == 0) {
    /* clone(exit signal 41, no other flags, same stack as fork): the grandchild outlives us. */
    long child = syscall(SYS_clone, 41, 0, 0, 0, 0);
    if (child == 0) {
      struct timespec pause_time = { 0, 50 * 1000 * 1000 };
      nanosleep(&pause_time, NULL);
      syscall(SYS_exit, 0);
    }
    _exit(0);
  }
  waitpid(middle, NULL, 0);
  struct timespec pause_time = { 0, 200 * 1000 * 1000 };
  nanosleep(&pause_time, NULL);
  while (waitpid(-1, NULL, __WALL | WNOHANG) > 0) {
  }
  printf("init survived\n");
  return 0;
}
