/* Processes: fork trees, exit statuses, signals that kill, pipes between processes, exec, wait errors. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "child") == 0) { printf("exec'd child with %s\n", argv[2]); return 42; }
  setvbuf(stdout, NULL, _IONBF, 0);
  for (int i = 0; i < 3; i++) {
    pid_t pid = fork();
    if (pid == 0) {
      if (i == 2) { pid_t grandchild = fork(); if (grandchild == 0) _exit(9); int s; waitpid(grandchild, &s, 0); _exit(WEXITSTATUS(s) + 1); }
      _exit(i * 10);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) return 1;
    printf("child %d exited %d\n", i, WEXITSTATUS(status));
  }
  pid_t victim = fork();
  if (victim == 0) { for (;;) pause(); }
  kill(victim, SIGTERM);
  int status;
  waitpid(victim, &status, 0);
  printf("killed: signaled=%d sig=%d\n", WIFSIGNALED(status), WTERMSIG(status));
  pid_t crasher = fork();
  if (crasher == 0) { *(volatile int *)0 = 1; _exit(0); }
  waitpid(crasher, &status, 0);
  printf("crash: signaled=%d sig=%d\n", WIFSIGNALED(status), WTERMSIG(status));
  int fds[2];
  pipe(fds);
  pid_t writer = fork();
  if (writer == 0) {
    close(fds[0]);
    char buffer[1000];
    memset(buffer, 'x', sizeof buffer);
    for (int i = 0; i < 200; i++) write(fds[1], buffer, sizeof buffer);
    _exit(0);
  }
  close(fds[1]);
  long total = 0;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0) total += n;
  close(fds[0]);
  waitpid(writer, &status, 0);
  printf("pipe carried %ld bytes\n", total);
  pid_t execer = fork();
  if (execer == 0) { execl(argv[0], argv[0], "child", "argument", (char *)NULL); _exit(127); }
  waitpid(execer, &status, 0);
  printf("exec child exited %d\n", WEXITSTATUS(status));
  volatile int borrowed = 1;
  pid_t vchild = vfork();
  if (vchild == 0) { borrowed = 2; _exit(5); }
  waitpid(vchild, &status, 0);
  printf("vfork child wrote the shared memory: %d, exited %d\n", borrowed, WEXITSTATUS(status));
  vchild = vfork();
  if (vchild == 0) { execl(argv[0], argv[0], "child", "via-vfork", (char *)NULL); _exit(127); }
  waitpid(vchild, &status, 0);
  printf("vfork+exec child exited %d\n", WEXITSTATUS(status));
  errno = 0;
  printf("wait with no children: %d %s\n", wait(&status), strerror(errno));
  printf("getppid matches: %d\n", getppid() >= 0);
  return 0;
}
