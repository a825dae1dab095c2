/* Found by sysfuzz: pwrite64 at a negative 64-bit offset fails with EINVAL on
 * Linux (man 2 pwrite: "offset is negative"); ir0 answered EFBIG. Also writes one
 * byte at 175 GiB (sparse; the host's file system may refuse with EFBIG), kept
 * when an argument is given (fuzz-clean must remove it). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
  (void)argv;
  int fd = open("/tmp/pwrite-negative", O_RDWR | O_CREAT | O_TRUNC, 0644);
  /* i386 pwrite64(fd, buf, count, offset low, offset high): offset 0xfffff9ac00000028. */
  long result = syscall(SYS_pwrite64, fd, "x", 1, 0xb7ffa0a2, 0x28);
  printf("pwrite64 at 175 GiB: %ld %s\n", result, result < 0 ? strerror(errno) : "");
  result = syscall(SYS_pwrite64, fd, "x", 1, 0x28, 0xfffff9ac);
  printf("pwrite64 at a negative offset: %ld %s\n", result, result < 0 ? strerror(errno) : "");
  close(fd);
  if (argc < 2) unlink("/tmp/pwrite-negative");
  return 0;
}
