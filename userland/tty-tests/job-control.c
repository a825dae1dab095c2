/* Job control through a pty: a session leader with the pty as its controlling
 * terminal, ^C and ^Z typed into the master reaching the foreground group,
 * SIGTTIN for a background reader, stop/continue wait statuses (wait4 and
 * waitid), and hangup when the master closes. Compared with native. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int out = 1;

static void status(const char *label, int st) {
  if (WIFEXITED(st)) dprintf(out, "%s: exited %d\n", label, WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) dprintf(out, "%s: killed by %d\n", label, WTERMSIG(st));
  else if (WIFSTOPPED(st)) dprintf(out, "%s: stopped by %d\n", label, WSTOPSIG(st));
  else if (WIFCONTINUED(st)) dprintf(out, "%s: continued\n", label);
  else dprintf(out, "%s: status %x\n", label, st);
}

static volatile sig_atomic_t hangups;
static void on_hangup(int signal) { (void)signal; hangups++; }

/* The session leader on the slave: runs a job in its own group in the foreground, like a shell. */
static int leader(const char *slave_name, int report) {
  out = report;
  setsid();
  int tty = open(slave_name, O_RDWR);
  if (tty < 0) { dprintf(report, "open slave: %d\n", errno); return 1; }
  signal(SIGTTOU, SIG_IGN);
  dprintf(report, "ctty: pgrp is me %d, sid is me %d\n", tcgetpgrp(tty) == getpid(), tcgetsid(tty) == getpid());
  int fd = open("/dev/tty", O_RDWR);
  dprintf(report, "/dev/tty opens %d\n", fd >= 0);
  if (fd >= 0) close(fd);
  for (int round = 0; round < 2; round++) {
    pid_t job = fork();
    if (job == 0) {
      setpgid(0, 0);
      char buffer[64];
      int n = read(tty, buffer, sizeof buffer);
      dprintf(report, "job read %d\n", n);
      _exit(0);
    }
    setpgid(job, job);
    tcsetpgrp(tty, job);
    dprintf(report, "job in foreground %d\n", tcgetpgrp(tty) == job);
    write(report, "R", 0);
    int st;
    waitpid(job, &st, WUNTRACED);
    char label[64];
    snprintf(label, sizeof label, "round %d job", round);
    if (WIFSTOPPED(st)) {
      dprintf(report, "%s: stopped by %d\n", label, WSTOPSIG(st));
      /* bg: continue it in the background; its read gets SIGTTIN. */
      tcsetpgrp(tty, getpid());
      kill(-job, SIGCONT);
      waitpid(job, &st, WUNTRACED | WCONTINUED);
      status("after SIGCONT", st);
      if (WIFCONTINUED(st)) waitpid(job, &st, WUNTRACED);
      status("background read", st);
      siginfo_t info;
      memset(&info, 0, sizeof info);
      kill(job, SIGKILL);
      waitid(P_PID, job, &info, WEXITED);
      dprintf(report, "waitid: code %d status %d pid ok %d\n", info.si_code, info.si_status, info.si_pid == job);
    } else {
      status(label, st);
    }
    tcsetpgrp(tty, getpid());
  }
  signal(SIGHUP, on_hangup);
  dprintf(report, "ready for hangup\n");
  char buffer[16];
  int n = read(tty, buffer, sizeof buffer);
  dprintf(report, "leader read after hangup %d errno %d, SIGHUPs %d\n", n, n < 0 ? errno : 0, (int)hangups);
  n = read(tty, buffer, sizeof buffer);
  dprintf(report, "next read %d\n", n);
  return 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  grantpt(master);
  unlockpt(master);
  char slave_name[64];
  strcpy(slave_name, ptsname(master));
  int pipe_fds[2];
  pipe(pipe_fds);
  pid_t child = fork();
  if (child == 0) {
    close(master);
    close(pipe_fds[0]);
    _exit(leader(slave_name, pipe_fds[1]));
  }
  close(pipe_fds[1]);
  FILE *reports = fdopen(pipe_fds[0], "r");
  char line[128];
  /* The child reports each step; the parent types at the right moments. */
  const char *keys[] = { "\x03", "\x1a" };
  for (int round = 0; round < 2; round++) {
    while (fgets(line, sizeof line, reports)) {
      printf("leader says: %s", line);
      if (strncmp(line, "job in foreground", 17) == 0) break;
    }
    usleep(100000);
    write(master, keys[round], 1);
  }
  while (fgets(line, sizeof line, reports)) {
    printf("leader says: %s", line);
    if (strncmp(line, "ready for hangup", 16) == 0) break;
  }
  usleep(100000);
  char echo[256];
  int flags = fcntl(master, F_GETFL);
  fcntl(master, F_SETFL, flags | O_NONBLOCK);
  int n = read(master, echo, sizeof echo);
  printf("master saw %d bytes:", n);
  for (int i = 0; i < n; i++) printf(" %02x", (unsigned char)echo[i]);
  printf("\n");
  close(master);
  while (fgets(line, sizeof line, reports)) printf("leader says: %s", line);
  int st;
  waitpid(child, &st, 0);
  status("leader", st);

  /* Stop and continue without a terminal: wait statuses as a shell sees them. The continued child
   * exits only once the parent has seen it continued (the gate closes): otherwise, on a loaded host,
   * it can exit first and the waitid below finds no continued child (ECHILD). */
  int gate[2];
  if (pipe(gate) != 0) return 1;
  pid_t stopper = fork();
  if (stopper == 0) {
    close(gate[1]);
    raise(SIGSTOP);
    char byte;
    while (read(gate[0], &byte, 1) > 0) {}
    _exit(7);
  }
  close(gate[0]);
  waitpid(stopper, &st, WUNTRACED);
  status("raise(SIGSTOP)", st);
  printf("WNOHANG while stopped: %d\n", waitpid(stopper, &st, WNOHANG | WUNTRACED));
  kill(stopper, SIGCONT);
  siginfo_t info;
  memset(&info, 0, sizeof info);
  waitid(P_PID, stopper, &info, WCONTINUED | WNOWAIT);
  printf("waitid continued: code %d status %d\n", info.si_code, info.si_status);
  waitpid(stopper, &st, WCONTINUED);
  status("SIGCONT", st);
  close(gate[1]);
  waitpid(stopper, &st, 0);
  status("then", st);
  return 0;
}
