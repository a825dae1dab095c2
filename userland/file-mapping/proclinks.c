/*
 * /proc/PID/fd/N, cwd, exe and root as magic links, printed for comparison with Linux:
 * readlink names ("pipe:[INO]", " (deleted)"), and open() of a link reopens the object itself
 * (an unlinked file, a pipe's ends, a directory), not a path.
 * Usage: proclinks DIR [DEVICE TYPE] — with DEVICE and TYPE, mounts DEVICE on DIR first (in ir0).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *directory;

/* readlink of /proc/self/fd/N (or another proc link), with the test directory shown as DIR. */
static void show_link(const char *what, const char *link) {
  char target[4096];
  ssize_t length = readlink(link, target, sizeof target - 1);
  if (length < 0) { printf("%s: readlink errno %s\n", what, strerror(errno)); return; }
  target[length] = 0;
  size_t prefix = strlen(directory);
  if (strncmp(target, directory, prefix) == 0) printf("%s: DIR%s\n", what, target + prefix);
  else printf("%s: %s\n", what, target);
}

static const char *fd_link(int fd) {
  static char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  return path;
}

static void same_inode(const char *what, int a, int b) {
  struct stat first, second;
  fstat(a, &first);
  fstat(b, &second);
  printf("%s: %s\n", what, first.st_ino == second.st_ino && first.st_dev == second.st_dev ? "same inode" : "different inodes");
}

static void show_read(const char *what, int fd) {
  char buffer[64];
  ssize_t got = read(fd, buffer, sizeof buffer - 1);
  if (got < 0) { printf("%s: read errno %s\n", what, strerror(errno)); return; }
  buffer[got] = 0;
  printf("%s: %zd \"%s\"\n", what, got, buffer);
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  setvbuf(stdout, NULL, _IONBF, 0);
  directory = argv[1];
  if (argc >= 4) {
    mkdir(argv[1], 0755);
    if (mount(argv[2], argv[1], argv[3], 0, NULL) < 0) { perror("mount"); return 1; }
  }
  if (chdir(directory) < 0) { perror("chdir"); return 1; }

  /* A regular file: its name, then after unlink " (deleted)"; open of the link reopens it. */
  int file = open("linked.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
  write(file, "file data", 9);
  show_link("fd of a file", fd_link(file));
  struct stat status;
  lstat(fd_link(file), &status);
  printf("lstat: link %d, mode %o\n", S_ISLNK(status.st_mode), status.st_mode & 0777);
  stat(fd_link(file), &status);
  printf("stat: regular %d, size %ld\n", S_ISREG(status.st_mode), (long)status.st_size);
  unlink("linked.txt");
  show_link("fd of an unlinked file", fd_link(file));
  int again = open(fd_link(file), O_RDWR);
  printf("reopen of the unlinked file: %s\n", again < 0 ? strerror(errno) : "ok");
  same_inode("reopened", file, again);
  show_read("read through the new open file (own offset)", again);
  write(again, "+more", 5);
  lseek(file, 0, SEEK_SET);
  show_read("read through the first", file);
  int nofollow = open(fd_link(file), O_RDONLY | O_NOFOLLOW);
  printf("O_NOFOLLOW: %s\n", nofollow < 0 ? strerror(errno) : "opened");
  close(again);
  close(file);

  /* A pipe: "pipe:[ino]"; opening its ends by /proc makes new readers and writers. */
  int ends[2];
  pipe(ends);
  char name[64];
  snprintf(name, sizeof name, "pipe:[%lu]", ({ struct stat s; fstat(ends[0], &s); (unsigned long)s.st_ino; }));
  char target[64] = "";
  readlink(fd_link(ends[0]), target, sizeof target - 1);
  printf("pipe link names its inode: %s\n", strcmp(target, name) == 0 ? "yes" : target);
  int writer = open(fd_link(ends[1]), O_WRONLY);
  int reader = open(fd_link(ends[0]), O_RDONLY);
  printf("reopen of the pipe ends: %s %s\n", writer < 0 ? strerror(errno) : "ok", reader < 0 ? strerror(errno) : "ok");
  same_inode("reopened write end", writer, ends[1]);
  write(writer, "via proc", 8);
  show_read("read end sees the reopened writer", ends[0]);
  write(ends[1], "original", 8);
  show_read("reopened reader sees the original writer", reader);
  close(ends[1]);
  write(writer, "still", 5);
  show_read("after closing one writer", reader);
  close(writer);
  show_read("after closing both writers (end of file)", reader);
  close(reader);
  close(ends[0]);

  /* cwd, root, exe, and a directory fd. */
  show_link("cwd", "/proc/self/cwd");
  show_link("root", "/proc/self/root");
  int made = open("/proc/self/cwd/through-cwd.txt", O_CREAT | O_WRONLY, 0600);
  printf("create through /proc/self/cwd: %s\n", made < 0 ? strerror(errno) : "ok");
  close(made);
  printf("it is in the directory: %s\n", access("through-cwd.txt", F_OK) == 0 ? "yes" : "no");
  unlink("through-cwd.txt");
  int dot = open(".", O_RDONLY | O_DIRECTORY);
  int reopened = open(fd_link(dot), O_RDONLY | O_DIRECTORY);
  same_inode("directory fd reopened", dot, reopened);
  close(reopened);
  close(dot);
  char exe[4096];
  ssize_t length = readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[length > 0 ? length : 0] = 0;
  printf("exe ends in /proclinks: %s\n", length > 10 && strcmp(exe + length - 10, "/proclinks") == 0 ? "yes" : exe);
  int program = open("/proc/self/exe", O_RDONLY);
  char magic[4] = { 0 };
  read(program, magic, 4);
  printf("exe opens the program: %s\n", memcmp(magic, "\177ELF", 4) == 0 ? "yes" : "no");
  close(program);
  printf("done\n");
  return 0;
}
