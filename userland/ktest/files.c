/* Files: create, write, read, seek, stat, directories, rename, unlink, dup2, fcntl, errors. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void check(const char *what, int result) { printf("%s: %d%s%s\n", what, result < 0 ? -1 : result, result < 0 ? " " : "", result < 0 ? strerror(errno) : ""); }

int main(void) {
  char dir[] = "/tmp/ktest-files-XXXXXX";
  if (!mkdtemp(dir)) return 1;
  chdir(dir);
  int fd = open("a.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
  check("write", write(fd, "hello, world\n", 13));
  check("lseek", lseek(fd, 7, SEEK_SET));
  char buffer[64] = { 0 };
  check("read", read(fd, buffer, sizeof buffer - 1));
  printf("read back: %s", buffer);
  check("lseek past end", lseek(fd, 10000, SEEK_SET));
  check("write at 10000", write(fd, "!", 1));
  struct stat st;
  fstat(fd, &st);
  printf("size %lld regular %d mode %o\n", (long long)st.st_size, S_ISREG(st.st_mode), st.st_mode & 0777);
  check("pread", pread(fd, buffer, 5, 0));
  check("dup2", dup2(fd, 10));
  check("fcntl getfd", fcntl(10, F_GETFD));
  check("fcntl setfd", fcntl(10, F_SETFD, FD_CLOEXEC));
  check("fcntl getfd", fcntl(10, F_GETFD));
  check("close 10", close(10));
  check("close 10 again", close(10));
  close(fd);
  check("mkdir sub", mkdir("sub", 0755));
  check("mkdir sub again", mkdir("sub", 0755));
  check("rename", rename("a.txt", "sub/b.txt"));
  check("stat old", stat("a.txt", &st));
  check("stat new", stat("sub/b.txt", &st));
  check("symlink", symlink("sub/b.txt", "link"));
  char target[64] = { 0 };
  check("readlink", (int)readlink("link", target, sizeof target));
  printf("link -> %s\n", target);
  check("open via link", fd = open("link", O_RDONLY));
  close(fd);
  check("rmdir non-empty", rmdir("sub"));
  DIR *d = opendir("sub");
  struct dirent *entry;
  int count = 0;
  while ((entry = readdir(d))) if (entry->d_name[0] != '.') { printf("entry %s\n", entry->d_name); count++; }
  closedir(d);
  check("unlink", unlink("sub/b.txt"));
  check("unlink link", unlink("link"));
  check("rmdir", rmdir("sub"));
  check("open missing", open("nothing/here", O_RDONLY));
  check("open dir for write", open(".", O_WRONLY));
  char cwd[256];
  printf("cwd ends with dir: %d\n", getcwd(cwd, sizeof cwd) && strcmp(cwd, dir) == 0);
  chdir("/");
  check("rmdir temp", rmdir(dir));
  check("dev/null write", (int)write(open("/dev/null", O_WRONLY), "x", 1));
  int zero = open("/dev/zero", O_RDONLY);
  memset(buffer, 7, 8);
  read(zero, buffer, 8);
  printf("zero: %d %d\n", buffer[0], buffer[7]);
  return 0;
}
