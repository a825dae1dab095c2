/* Malformed executables: each must fail execve with ENOEXEC (or EACCES), never crash the kernel. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void try_exec(const char *name, const unsigned char *bytes, size_t length) {
  char path[] = "/tmp/ktest-badelf";
  int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755);
  write(fd, bytes, length);
  close(fd);
  pid_t child = fork();
  if (child == 0) {
    char *argv[] = { path, NULL };
    execv(path, argv);
    printf("%s: %s\n", name, strerror(errno));
    _exit(0);
  }
  int status;
  waitpid(child, &status, 0);
  if (WIFSIGNALED(status)) printf("%s: killed by signal %d\n", name, WTERMSIG(status));
  unlink(path);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  unsigned char header[52 + 32] = { 0x7f, 'E', 'L', 'F', 1, 1, 1 };
  header[16] = 2; header[18] = 3; header[20] = 1;
  try_exec("empty", header, 0);
  try_exec("truncated header", header, 20);
  try_exec("no program headers", header, 52);
  header[28] = 52; header[42] = 32; header[44] = 1;
  header[52] = 1; header[56 + 12] = 0xff; header[56 + 13] = 0xff; /* p_filesz past the end of the file */
  try_exec("segment past end of file", header, sizeof header);
  memset(header + 52, 0, 32);
  header[44] = 200;
  try_exec("program headers past end", header, sizeof header);
  header[44] = 1; header[42] = 40;
  try_exec("bad phentsize", header, sizeof header);
  header[4] = 2;
  try_exec("64-bit class", header, sizeof header);
  try_exec("text file", (const unsigned char *)"just text\n", 10);
  return 0;
}
