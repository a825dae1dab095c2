/* Run after sysfuzz: deletes every file and directory the fuzzer may have
 * created anywhere in the root (everything except /bin, /dev, /proc and /sys
 * and the top directories themselves; regular files and directories in /dev too), so that free pages after it equal free
 * pages before the fuzz run (the leak check). Prints how many entries it removed. */
#define _XOPEN_SOURCE 700
/* 64-bit stat: a fuzzed sparse file of 175 GiB made the 32-bit lstat fail with EOVERFLOW and nftw stop. */
#define _FILE_OFFSET_BITS 64
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int removed;

static int kept(const char *path) {
  static const char *trees[] = { "/bin", "/dev", "/proc", "/sys" };
  for (unsigned i = 0; i < sizeof trees / sizeof trees[0]; i++) {
    size_t length = strlen(trees[i]);
    if (strncmp(path, trees[i], length) == 0 && (path[length] == '\0' || path[length] == '/')) return 1;
  }
  return strcmp(path, "/") == 0 || strcmp(path, "/tmp") == 0;
}

static int visit(const char *path, const struct stat *status, int type, struct FTW *where) {
  (void)where;
  /* A regular file or directory under /dev was put there by the fuzzer (rename over /dev/null, say). */
  int fuzzed_device = strncmp(path, "/dev/", 5) == 0 && (S_ISREG(status->st_mode) || type == FTW_DP);
  if (kept(path) && !fuzzed_device) return 0;
  if ((type == FTW_DP ? rmdir(path) : unlink(path)) == 0) removed++;
  else fprintf(stderr, "fuzz-clean: cannot remove %s\n", path);
  return 0;
}

int main(void) {
  /* FTW_DEPTH: children before their directory; FTW_PHYS: do not follow symbolic links. */
  nftw("/", visit, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
  printf("fuzz-clean: removed %d\n", removed);
  return 0;
}
