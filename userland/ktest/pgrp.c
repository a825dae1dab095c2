/* Process groups held only by a zombie (a pipeline whose first command exited before the
 * next one joined its group): setpgid into the group, kill(-group, 0) and getpgid of the
 * zombie, before and after it is reaped. Compared with native. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *result(int value) {
  static char text[64];
  if (value < 0) snprintf(text, sizeof text, "-1 %s", strerrorname_np(errno));
  else snprintf(text, sizeof text, "%d", value);
  return text;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  pid_t leader = fork();
  if (leader == 0) {
    setpgid(0, 0);
    _exit(3);
  }
  setpgid(leader, leader); /* as a shell does, from both sides */
  siginfo_t info;
  memset(&info, 0, sizeof info);
  waitid(P_PID, leader, &info, WEXITED | WNOWAIT);
  printf("leader exited: code %d status %d\n", info.si_code, info.si_status);
  printf("getpgid(zombie leader) is its pid: %d\n", getpgid(leader) == leader);
  printf("kill(-group, 0) with only a zombie: %s\n", result(kill(-leader, 0)));

  int gate[2];
  if (pipe(gate) != 0) return 1;
  pid_t member = fork();
  if (member == 0) {
    close(gate[1]);
    char byte;
    read(gate[0], &byte, 1);
    int joined = setpgid(0, leader);
    printf("member: setpgid(0, zombie's group): %s, in it %d\n", result(joined), getpgrp() == leader);
    _exit(0);
  }
  close(gate[0]);
  printf("parent: setpgid(member, zombie's group): %s\n", result(setpgid(member, leader)));
  write(gate[1], "x", 1);
  int status;
  waitpid(member, &status, 0);
  printf("member: exited %d\n", WEXITSTATUS(status));

  waitpid(leader, &status, 0);
  printf("leader reaped: exited %d\n", WEXITSTATUS(status));
  pid_t late = fork();
  if (late == 0) {
    printf("late: setpgid(0, reaped group): %s\n", result(setpgid(0, leader)));
    _exit(0);
  }
  waitpid(late, &status, 0);
  printf("kill(-reaped group, 0): %s\n", result(kill(-leader, 0)));
  return 0;
}
