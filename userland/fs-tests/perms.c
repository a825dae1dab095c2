/* Permission checks: mode bits for owner/group/other, supplementary groups, search permission on
 * directories, sticky /tmp-like directories, chmod/chown/utimes rules, access(2) with real ids, root's
 * bypass (but not for execute without x bits), set-user-ID exec. Run as root. Usage: perms DIR */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define R(what, expr) printf("%-34s %d\n", what, (expr) < 0 ? -errno : 0)

static int try_open(const char *path, int flags) {
  int fd = open(path, flags, 0644);
  if (fd < 0) return -1;
  close(fd);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2 || chdir(argv[1]) < 0) return 2;
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc > 2) { printf("ids %d %d %d %d\n", getuid(), geteuid(), getgid(), getegid()); return 0; }
  if (geteuid() != 0) { printf("not root\n"); return 0; }
  mkdir("d", 0755);
  mkdir("sticky", 01777);
  chmod("sticky", 01777);
  mkdir("closed", 0700);
  int fd = open("d/owned", O_CREAT | O_WRONLY, 0640); close(fd);
  chown("d/owned", 1000, 2000);
  fd = open("d/other", O_CREAT | O_WRONLY, 0600); close(fd);
  fd = open("closed/x", O_CREAT | O_WRONLY, 0666); close(fd);
  fd = open("noexec", O_CREAT | O_WRONLY, 0644); write(fd, "#!/bin/sh\n", 10); close(fd);
  R("root exec without x", access("noexec", X_OK));
  R("root read 0600", try_open("d/other", O_RDONLY));
  fd = open("sticky/rootfile", O_CREAT | O_WRONLY, 0666); close(fd);
  chown("sticky", 0, 0);
  chmod("d", 0777);
  pid_t child = fork();
  if (child == 0) {
    gid_t groups[] = { 3000 };
    if (setgroups(1, groups) < 0 || setresgid(2000, 2000, 2000) < 0 || setresuid(1000, 1000, 1000) < 0) { printf("drop failed %d\n", errno); _exit(1); }
    R("owner read 0640", try_open("d/owned", O_RDONLY));
    R("owner write 0640", try_open("d/owned", O_WRONLY));
    R("other read 0600", try_open("d/other", O_RDONLY));
    R("search 0700 dir", try_open("closed/x", O_RDONLY));
    R("stat in 0700 dir", access("closed/x", F_OK));
    R("create in 0777 dir", try_open("d/mine", O_CREAT | O_WRONLY));
    R("create in 0700 dir", try_open("closed/new", O_CREAT | O_WRONLY));
    R("mkdir in 0700 dir", mkdir("closed/sub", 0755));
    R("unlink other's in sticky", unlink("sticky/rootfile"));
    fd = open("sticky/mine", O_CREAT | O_WRONLY, 0644); close(fd);
    R("unlink own in sticky", unlink("sticky/mine"));
    R("rename other's in sticky", rename("sticky/rootfile", "sticky/moved"));
    R("chmod own", chmod("d/owned", 0600));
    R("chmod other's", chmod("d/other", 0644));
    R("chmod g+s own, not in group", chmod("d/mine", 02755));
    struct stat st; stat("d/mine", &st);
    printf("%-34s %o\n", "mode after g+s", st.st_mode & 07777);
    R("chown own to other uid", chown("d/mine", 0, -1));
    R("chgrp own to member group", chown("d/mine", -1, 3000));
    R("chgrp own to non-member", chown("d/mine", -1, 4000));
    R("utimes now on other's 0600", utimes("d/other", NULL));
    struct timeval tv[2] = { { 1, 0 }, { 2, 0 } };
    R("utimes explicit on other's", utimes("d/other", tv));
    R("access W on 0640 own", access("d/owned", W_OK));
    R("access R on other's 0600", access("d/other", R_OK));
    R("truncate other's", truncate("d/other", 0));
    R("chdir 0700", chdir("closed"));
    R("exec 0644 script", execl("./noexec", "noexec", (char *)0));
    _exit(0);
  }
  int status;
  waitpid(child, &status, 0);
  printf("child status %d\n", WEXITSTATUS(status));
  /* setuid exec: a copy of this program, owned by 1000 and set-user-ID, reports its ids. */
  int in = open("/proc/self/exe", O_RDONLY);
  if (in < 0) in = open(argv[0], O_RDONLY);
  int out = open("suid", O_CREAT | O_WRONLY | O_TRUNC, 0755);
  char buffer[65536];
  for (ssize_t n; (n = read(in, buffer, sizeof buffer)) > 0;) write(out, buffer, n);
  close(in); close(out);
  chown("suid", 1000, 1000);
  chmod("suid", 06755);
  child = fork();
  if (child == 0) {
    setresgid(500, 500, 500);
    setresuid(500, 500, 500);
    execl("./suid", "suid", ".", "report", (char *)0);
    _exit(99);
  }
  waitpid(child, &status, 0);
  printf("suid child status %d\n", WEXITSTATUS(status));
  const char *files[] = { "suid", "noexec", "d/owned", "d/other", "d/mine", "closed/x", "sticky/rootfile", "sticky/moved" };
  for (unsigned i = 0; i < sizeof files / sizeof *files; i++) unlink(files[i]);
  rmdir("d"); rmdir("closed"); rmdir("sticky");
  return 0;
}
