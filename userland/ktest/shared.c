/* Shared mappings: MAP_SHARED|MAP_ANONYMOUS across fork, MAP_SHARED file writes seen by read(2),
   an unlinked file kept alive by its mapping, and MAP_PRIVATE isolation from the file. */
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int *counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  *counter = 1;
  for (int i = 0; i < 3; i++) {
    pid_t child = fork();
    if (child == 0) { *counter += 10; _exit(0); }
    waitpid(child, NULL, 0);
  }
  printf("shared anonymous counter: %d\n", *counter);
  char path[] = "/tmp/ktest-shared-XXXXXX";
  int fd = mkstemp(path);
  ftruncate(fd, 8192);
  char *file = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  strcpy(file + 4096, "written through the mapping");
  char buffer[64] = { 0 };
  pread(fd, buffer, 27, 4096);
  printf("read(2) sees: %s\n", buffer);
  pwrite(fd, "WRITTEN", 7, 4096);
  printf("mapping sees: %.27s\n", file + 4096);
  char *private_map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  private_map[4096] = 'X';
  pread(fd, buffer, 7, 4096);
  printf("private write not in file: %.7s / %.7s\n", buffer, private_map + 4096);
  munmap(private_map, 8192);
  unlink(path);
  close(fd);
  strcpy(file, "still mapped after unlink");
  printf("%s\n", file);
  pid_t child = fork();
  if (child == 0) { strcpy(file, "child wrote the shared file"); _exit(0); }
  waitpid(child, NULL, 0);
  printf("%s\n", file);
  munmap(file, 8192);
  munmap(counter, 4096);
  return 0;
}
