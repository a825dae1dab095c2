/* The ELF fuzz's exec harness: for each file DIR/0 .. DIR/COUNT-1, forks a
 * child that execs it (stdout and stderr to /dev/null, a 200 ms real-time
 * timer that survives the exec) and prints one outcome line per file:
 * "N errno E" when execve failed, else "N exit S" or "N signal S".
 * Runs natively and on ir0 (src/system/fuzz/elf-fuzz.ts compares the two). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: elfexec DIR COUNT\n"); return 2; }
  setvbuf(stdout, NULL, _IONBF, 0);
  int count = atoi(argv[2]);
  for (int i = 0; i < count; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%d", argv[1], i);
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return 1;
    pid_t child = fork();
    if (child < 0) return 1;
    if (child == 0) {
      int null_fd = open("/dev/null", O_WRONLY);
      if (null_fd >= 0) { dup2(null_fd, 1); dup2(null_fd, 2); }
      struct itimerval timer = { { 0, 0 }, { 0, 200 * 1000 } };
      setitimer(ITIMER_REAL, &timer, NULL);
      char *child_argv[] = { path, NULL };
      char *child_envp[] = { NULL };
      execve(path, child_argv, child_envp);
      int error = errno;
      write(report[1], &error, sizeof error);
      _exit(127);
    }
    close(report[1]);
    int error = 0;
    ssize_t got = read(report[0], &error, sizeof error);
    close(report[0]);
    int status;
    while (waitpid(child, &status, 0) < 0) {
    }
    if (got == (ssize_t)sizeof error) printf("%d errno %d\n", i, error);
    else if (WIFSIGNALED(status)) printf("%d signal %d\n", i, WTERMSIG(status));
    else printf("%d exit %d\n", i, WEXITSTATUS(status));
  }
  printf("elfexec done\n");
  return 0;
}
