/*
 * MAP_SHARED and MAP_PRIVATE file mappings against read(2), write(2), fork, ftruncate, mprotect
 * and msync, printed so that the run on ir0 can be compared with the same binary on Linux.
 * Usage: mapping DIR [DEVICE TYPE | --remove] — with DEVICE and TYPE, mounts DEVICE on DIR first
 * (in ir0); with --remove, deletes its files at the end (a leak check on a RAM filesystem).
 * Leaves final.dat (written through a mapping, msync'ed) and lazy.dat (written through a
 * mapping, never msync'ed or unmapped: exit writes it back) for the host to read off the disk.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
static sigjmp_buf jump;
static volatile int caught, caught_code;

static void on_fault(int signal, siginfo_t *info, void *context) {
  (void)context;
  caught = signal;
  caught_code = info->si_code;
  siglongjmp(jump, 1);
}

/* Reads or writes one byte; prints what happened (the byte read, or the signal and si_code). */
static void probe(const char *what, volatile char *address, int write) {
  caught = 0;
  if (sigsetjmp(jump, 1) == 0) {
    if (write) *address = 'W';
    int value = *address;
    printf("%s: ok, byte %d\n", what, value);
  } else {
    printf("%s: %s si_code %d\n", what, caught == SIGBUS ? "SIGBUS" : caught == SIGSEGV ? "SIGSEGV" : "other", caught_code);
  }
}

static void show(const char *what, const char *bytes, int length) {
  printf("%s: \"", what);
  for (int i = 0; i < length; i++) putchar(bytes[i] >= 32 && bytes[i] < 127 ? bytes[i] : '.');
  printf("\"\n");
}

static void show_file(const char *what, int fd, off_t offset, int length) {
  char buffer[64];
  ssize_t got = pread(fd, buffer, length, offset);
  if (got < 0) { printf("%s: pread errno %d\n", what, errno); return; }
  show(what, buffer, (int)got);
}

static void result(const char *what, long value) {
  printf("%s: %ld%s%s\n", what, value, value < 0 ? " errno " : "", value < 0 ? strerror(errno) : "");
}

/* An mmap result: "ok" or the errno (addresses differ between runs). */
static void mapped(const char *what, void *address) {
  if (address == MAP_FAILED) printf("%s: errno %s\n", what, strerror(errno));
  else printf("%s: ok\n", what);
}

/* The maps line of the mapping at `address`: its inode number and the end of its name, checked. */
static void maps_line(const char *what, void *address, unsigned long ino) {
  FILE *maps = fopen("/proc/self/maps", "r");
  char line[512];
  unsigned long start;
  while (maps && fgets(line, sizeof line, maps)) {
    if (sscanf(line, "%lx-", &start) != 1 || start != (unsigned long)address) continue;
    unsigned long inode = 0;
    char permissions[8];
    sscanf(line, "%*x-%*x %7s %*x %*x:%*x %lu", permissions, &inode);
    char *name = strchr(line, '/');
    char *slash = name ? strrchr(name, '/') : NULL;
    printf("%s: %s, inode %s, name ends \"%s", what, permissions, inode == ino ? "matches" : "differs", slash ? slash : "(none)\n");
  }
  if (maps) fclose(maps);
}

static unsigned checksum(const char *name) {
  int fd = open(name, O_RDONLY);
  unsigned sum = 0;
  char buffer[4096];
  ssize_t got;
  while ((got = read(fd, buffer, sizeof buffer)) > 0) for (ssize_t i = 0; i < got; i++) sum = sum * 31 + (unsigned char)buffer[i];
  close(fd);
  return sum;
}

/* A file of `size` bytes written only through a shared mapping. */
static void write_through_mapping(const char *name, int size, int sync) {
  int fd = open(name, O_CREAT | O_RDWR | O_TRUNC, 0644);
  ftruncate(fd, size);
  char *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  for (int i = 0, at = 0; at < size; i++) at += snprintf(map + at, size - at, "%s line %d\n", name, i);
  if (sync) {
    result("msync MS_SYNC", msync(map, size, MS_SYNC));
    munmap(map, size);
  }
  close(fd);
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc >= 4) {
    mkdir(argv[1], 0755);
    if (mount(argv[2], argv[1], argv[3], 0, NULL) < 0) { perror("mount"); return 1; }
  }
  if (chdir(argv[1]) < 0) { perror("chdir"); return 1; }
  if (access("/proc/self", F_OK) != 0) mount("proc", "/proc", "proc", 0, NULL);
  struct sigaction action = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO };
  sigaction(SIGBUS, &action, NULL);
  sigaction(SIGSEGV, &action, NULL);

  /* A file of three pages and 100 bytes. */
  int fd = open("shared.dat", O_CREAT | O_RDWR | O_TRUNC, 0644);
  char pattern[3 * PAGE + 100];
  for (int i = 0; i < (int)sizeof pattern; i++) pattern[i] = 'a' + i % 26;
  write(fd, pattern, sizeof pattern);
  char *map = mmap(NULL, 5 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (map == MAP_FAILED) { perror("mmap"); return 1; }
  show("mapping at 0", map, 8);
  show("mapping at the end", map + sizeof pattern - 4, 8);

  /* fork: the child's stores reach the parent's mapping and the file. */
  if (fork() == 0) { memcpy(map + 10, "child", 5); _exit(0); }
  wait(NULL);
  show("parent's mapping after the child's store", map + 10, 5);
  show_file("read() after the child's store", fd, 10, 5);

  /* The parent's stores reach a child waiting on a pipe. */
  int channel[2];
  pipe(channel);
  if (fork() == 0) {
    char go;
    read(channel[0], &go, 1);
    show("child sees the parent's later store", map + 400, 5);
    _exit(0);
  }
  memcpy(map + 400, "p2c!!", 5);
  write(channel[1], "x", 1);
  wait(NULL);

  /* Another process mapping the file by itself (open + mmap) sees and makes stores. */
  memcpy(map + 5000, "parent", 6);
  if (fork() == 0) {
    int own = open("shared.dat", O_RDWR);
    char *view = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, own, 0);
    show("independent mapping sees", view + 5000, 6);
    memcpy(view + 6000, "indep", 5);
    _exit(0);
  }
  wait(NULL);
  show("parent sees the independent store", map + 6000, 5);

  /* write() is seen by the mapping; two mappings in one process alias. */
  pwrite(fd, "pwrite", 6, 8000);
  show("mapping after pwrite", map + 8000, 6);
  char *alias = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  memcpy(alias + 20, "alias", 5);
  show("first mapping sees the alias's store", map + 20, 5);
  munmap(alias, PAGE);

  /* MAP_PRIVATE follows the file until its first store to a page, then keeps its copy. */
  char *private = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  show("private mapping", private + 100, 5);
  pwrite(fd, "later", 5, 100);
  show("private mapping after pwrite (not yet written)", private + 100, 5);
  memcpy(private + 200, "mine!", 5);
  show_file("file after the private store", fd, 200, 5);
  show("shared mapping after the private store", map + 200, 5);
  pwrite(fd, "again", 5, 100);
  show("private page after its store and a pwrite", private + 100, 5);
  memcpy(map + PAGE + 60, "shr", 3);
  show("private untouched page sees a shared store", private + PAGE + 60, 3);
  show("private third page", private + 2 * PAGE, 3);
  memcpy(private + 2 * PAGE + 8, "cow", 3);

  /* mprotect of a shared file mapping. */
  result("mprotect read-only", mprotect(map, PAGE, PROT_READ));
  probe("store to the read-only page", map + 1, 1);
  result("mprotect read-write", mprotect(map, PAGE, PROT_READ | PROT_WRITE));
  memcpy(map, "mprot", 5);
  show_file("read() after mprotect and store", fd, 0, 5);
  int readonly = open("shared.dat", O_RDONLY);
  mapped("mmap shared writable of an O_RDONLY fd", mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, readonly, 0));
  char *view = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, readonly, 0);
  show("read-only shared view", view, 5);
  result("mprotect it writable", mprotect(view, PAGE, PROT_READ | PROT_WRITE));
  int appending = open("shared.dat", O_RDWR | O_APPEND);
  char *appended = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, appending, 0);
  mapped("mmap shared writable of an O_APPEND fd", appended);
  munmap(appended, PAGE);
  appended = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, appending, 0);
  result("mprotect its read-only map writable", mprotect(appended, PAGE, PROT_READ | PROT_WRITE));
  munmap(appended, PAGE);
  close(appending);
  char *copy = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, readonly, 0);
  copy[0] = 'X';
  show("private writable map of an O_RDONLY fd", copy, 5);
  show("shared view after it", view, 5);

  /* msync. */
  result("msync MS_SYNC", msync(map, 5 * PAGE, MS_SYNC));
  result("msync MS_ASYNC", msync(map, PAGE, MS_ASYNC));
  result("msync both flags", msync(map, PAGE, MS_SYNC | MS_ASYNC));
  result("msync unaligned", msync(map + 1, PAGE, MS_SYNC));
  char *hole = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(hole, PAGE);
  result("msync of an unmapped range", msync(hole, PAGE, MS_SYNC));

  /* Past the end of the file: SIGBUS; truncate cuts mappings, extending brings zeros. */
  probe("read of the page past the end", map + 4 * PAGE, 0);
  probe("read in the last page past the end", map + 3 * PAGE + 200, 0);
  result("ftruncate to 4106", ftruncate(fd, PAGE + 10));
  probe("read of a page cut by ftruncate", map + 2 * PAGE, 0);
  probe("store to a page cut by ftruncate", map + 2 * PAGE, 1);
  probe("private mapping's cut page (read before)", private + 2 * PAGE, 0);
  probe("private mapping's cut page (copied before)", private + 2 * PAGE + 8, 0);
  probe("private mapping's end page past the end", private + PAGE + 100, 0);
  probe("read past the end in the end page", map + PAGE + 20, 0);
  show("bytes before the end", map + PAGE + 5, 5);
  result("ftruncate to 3 pages", ftruncate(fd, 3 * PAGE));
  probe("read of the page after extending", map + 2 * PAGE, 0);
  probe("read of the end page's old tail", map + PAGE + 20, 0);
  struct stat status;
  fstat(fd, &status);
  result("size", status.st_size);
  printf("checksum of shared.dat: %u\n", checksum("shared.dat"));

  /* An unlinked file stays while mapped. */
  int gone = open("gone.dat", O_CREAT | O_RDWR | O_TRUNC, 0644);
  write(gone, pattern, 2 * PAGE);
  struct stat gone_status;
  fstat(gone, &gone_status);
  unsigned long gone_ino = gone_status.st_ino;
  char *ghost = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gone, 0);
  unlink("gone.dat");
  close(gone);
  memcpy(ghost + PAGE, "ghost", 5);
  show("mapping of an unlinked, closed file", ghost + PAGE - 2, 9);
  maps_line("its /proc/self/maps line", ghost, gone_ino);
  munmap(ghost, 2 * PAGE);

  write_through_mapping("final.dat", 10000, 1);
  write_through_mapping("lazy.dat", 20000, 0);
  printf("checksum of final.dat: %u\n", checksum("final.dat"));
  printf("checksum of lazy.dat: %u\n", checksum("lazy.dat"));
  close(fd);
  close(readonly);
  if (argc == 3 && strcmp(argv[2], "--remove") == 0) {
    unlink("shared.dat");
    unlink("final.dat");
    unlink("lazy.dat");
  }
  printf("done\n");
  return 0;
}
