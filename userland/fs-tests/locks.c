/* Advisory locks: fcntl record locks (GETLK/SETLK/SETLKW, 64-bit forms, OFD), ranges split and
 * merged, release on close, EDEADLK between two processes, flock conversions. Prints results only
 * (no pids), so native and ir0 output compare byte for byte. Usage: locks DIR */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

static int lock(int fd, int cmd, short type, off_t start, off_t len) {
  struct flock l = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
  return fcntl(fd, cmd, &l) < 0 ? -errno : 0;
}

static void show_getlk(const char *what, int fd, short type, off_t start, off_t len, pid_t expect) {
  struct flock l = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
  if (fcntl(fd, F_GETLK, &l) < 0) { printf("%s: getlk errno %d\n", what, errno); return; }
  printf("%s: type %d start %ld len %ld owner-match %d\n", what, l.l_type, (long)l.l_start, (long)l.l_len, l.l_type == F_UNLCK ? -1 : l.l_pid == expect);
}

int main(int argc, char **argv) {
  if (argc < 2 || chdir(argv[1]) < 0) return 2;
  setvbuf(stdout, NULL, _IONBF, 0);
  int fd = open("lockfile", O_RDWR | O_CREAT | O_TRUNC, 0644);
  write(fd, "0123456789abcdefghij", 20);
  printf("setlk wr 0-9: %d\n", lock(fd, F_SETLK, F_WRLCK, 0, 10));
  printf("setlk rd 20-: %d\n", lock(fd, F_SETLK, F_RDLCK, 20, 0));
  printf("unlock 3-4: %d\n", lock(fd, F_SETLK, F_UNLCK, 3, 2));
  pid_t parent = getpid();
  int sync_pipe[2], back[2];
  pipe(sync_pipe); pipe(back);
  pid_t child = fork();
  if (child == 0) {
    int cfd = open("lockfile", O_RDWR);
    show_getlk("child getlk wr 0-", cfd, F_WRLCK, 0, 0, parent);
    show_getlk("child getlk wr 3-4", cfd, F_WRLCK, 3, 2, parent);
    show_getlk("child getlk rd 25-30", cfd, F_RDLCK, 25, 6, parent);
    show_getlk("child getlk wr 25-30", cfd, F_WRLCK, 25, 6, parent);
    printf("child setlk wr 5: %d\n", lock(cfd, F_SETLK, F_WRLCK, 5, 1));
    printf("child setlk rd 3: %d\n", lock(cfd, F_SETLK, F_RDLCK, 3, 1));
    printf("child setlk64 rd 100-: %d\n", lock(cfd, F_SETLK64, F_RDLCK, 100, 0));
    /* Deadlock: the child holds 3 and waits for 0; the parent then asks for 3. */
    char c = 'x';
    write(back[1], &c, 1);
    read(sync_pipe[0], &c, 1);
    printf("child setlkw wr 0 (waits): %d\n", lock(cfd, F_SETLKW, F_WRLCK, 0, 1));
    _exit(0);
  }
  char c;
  read(back[0], &c, 1);
  write(sync_pipe[1], &c, 1);
  usleep(200000);
  printf("parent setlkw wr 3: %d\n", lock(fd, F_SETLKW, F_WRLCK, 3, 1));
  /* Closing any fd of the file drops the parent's POSIX locks: the child gets 0. */
  int other = open("lockfile", O_RDONLY);
  close(other);
  int status;
  waitpid(child, &status, 0);
  printf("child exit %d\n", WEXITSTATUS(status));
  show_getlk("after close getlk wr 0-", fd, F_WRLCK, 0, 0, parent);

  /* OFD locks: two descriptions in one process conflict. */
  int a = open("lockfile", O_RDWR), b = open("lockfile", O_RDWR);
  struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 5 };
  printf("ofd a wr 0-4: %d\n", fcntl(a, F_OFD_SETLK, &l) < 0 ? -errno : 0);
  printf("ofd b wr 0-4: %d\n", fcntl(b, F_OFD_SETLK, &l) < 0 ? -errno : 0);
  l.l_pid = 1;
  printf("ofd l_pid!=0: %d\n", fcntl(b, F_OFD_SETLK, &l) < 0 ? -errno : 0);
  l.l_pid = 0;
  printf("ofd getlk b: %d", fcntl(b, F_OFD_GETLK, &l) < 0 ? -errno : 0);
  printf(" type %d pid %d\n", l.l_type, l.l_pid);
  printf("posix setlk same proc: %d\n", lock(b, F_SETLK, F_WRLCK, 0, 1));
  close(a);
  printf("ofd b after a closed: %d\n", fcntl(b, F_OFD_SETLK, &l) < 0 ? -errno : 0);

  /* flock: exclusive against a second description, conversions, release on close. */
  int f1 = open("lockfile", O_RDONLY), f2 = open("lockfile", O_RDONLY);
  printf("flock f1 ex: %d\n", flock(f1, LOCK_EX) < 0 ? -errno : 0);
  printf("flock f2 sh nb: %d\n", flock(f2, LOCK_SH | LOCK_NB) < 0 ? -errno : 0);
  printf("flock f1 -> sh: %d\n", flock(f1, LOCK_SH) < 0 ? -errno : 0);
  printf("flock f2 sh nb: %d\n", flock(f2, LOCK_SH | LOCK_NB) < 0 ? -errno : 0);
  printf("flock f2 ex nb: %d\n", flock(f2, LOCK_EX | LOCK_NB) < 0 ? -errno : 0);
  close(f1);
  printf("flock f2 ex nb after close: %d\n", flock(f2, LOCK_EX | LOCK_NB) < 0 ? -errno : 0);
  printf("flock bad op: %d\n", flock(f2, 0) < 0 ? -errno : 0);
  printf("setlk bad type: %d\n", lock(fd, F_SETLK, 7, 0, 1));
  printf("setlk wr on rdonly: %d\n", lock(f2, F_SETLK, F_WRLCK, 0, 1));
  unlink("lockfile");
  return 0;
}
