/*
 * fs-workload DIR [SCALE_PERCENT]: the filesystem write workload of issue 4,
 * run in ir0 on an ext2 disk and natively in a host directory; the results must
 * be identical (e2fsck clean, debugfs rdump equal to the native tree).
 * create, append, overwrite, truncate (down and up), rename (within and across
 * directories, over a file), link, unlink, mkdir, rmdir, symlink (fast and
 * slow); files from 0 bytes to 64 MiB with holes; 10,000 small files in one
 * directory with a third deleted. SCALE_PERCENT (default 100) shrinks the big
 * file and the file count for quick runs. Contents are a deterministic pattern
 * (pattern(seed, offset)), so a checker can recompute any file.
 * After each fsync it prints "fsynced PATH SIZE" — the crash test's promise list.
 * --vfat (anywhere after DIR): for a FAT directory, which has no hard or symbolic
 * links. link and symlink must then fail with EPERM (Linux's vfat) or, natively
 * in a host directory that has links, are undone at once, so both trees agree.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *root;
static int scale = 100;
static int vfat;

static void die(const char *what, const char *path) {
  printf("FAIL %s %s: %s\n", what, path, strerror(errno));
  exit(1);
}

static char *at(const char *name) {
  static char buffers[4][4096];
  static int next;
  char *out = buffers[next++ & 3];
  snprintf(out, 4096, "%s/%s", root, name);
  return out;
}

static unsigned char pattern(unsigned seed, unsigned long long offset) {
  unsigned x = seed * 2654435761u ^ (unsigned)(offset >> 12) * 40503u;
  x ^= x >> 13;
  return (unsigned char)(x + (unsigned)offset * 7u);
}

static void fill(unsigned char *buffer, size_t length, unsigned seed, unsigned long long offset) {
  for (size_t i = 0; i < length; i++) buffer[i] = pattern(seed, offset + i);
}

static unsigned char block[1 << 16];

/* Writes [offset, offset + length) of pattern `seed` into an open file. */
static void write_range(int fd, const char *path, unsigned seed, unsigned long long offset, unsigned long long length) {
  while (length > 0) {
    size_t chunk = length < sizeof block ? (size_t)length : sizeof block;
    fill(block, chunk, seed, offset);
    ssize_t done = pwrite(fd, block, chunk, (off_t)offset);
    if (done != (ssize_t)chunk) die("pwrite", path);
    offset += chunk;
    length -= chunk;
  }
}

static void write_file(const char *name, unsigned seed, unsigned long long offset, unsigned long long length, int flags) {
  const char *path = at(name);
  int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);
  if (fd < 0) die("open", path);
  write_range(fd, path, seed, offset, length);
  if (close(fd) != 0) die("close", path);
}

static void synced(const char *name) {
  const char *path = at(name);
  int fd = open(path, O_RDONLY);
  if (fd < 0) die("open", path);
  if (fsync(fd) != 0) die("fsync", path);
  struct stat st;
  fstat(fd, &st);
  close(fd);
  printf("fsynced %s %lld\n", name, (long long)st.st_size);
  fflush(stdout);
}

#define CHECK(call, path) do { if ((call) != 0) die(#call, path); } while (0)

/* --vfat: a link call either fails with EPERM or, where links exist, its new name is removed again. */
static void link_or_eperm(int result, const char *what, const char *name) {
  if (!vfat) { if (result != 0) die(what, name); return; }
  if (result != 0) { if (errno != EPERM) die(what, name); return; }
  CHECK(unlink(at(name)), name);
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: fs-workload DIR [SCALE_PERCENT] [--vfat]\n"); return 2; }
  root = argv[1];
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--vfat") == 0) vfat = 1;
    else scale = atoi(argv[i]);
  }
  umask(022);
  CHECK(mkdir(at("w"), 0755), "w");
  CHECK(mkdir(at("w/a"), 0755), "w/a");
  CHECK(mkdir(at("w/a/b"), 0750), "w/a/b");
  write_file("w/empty", 0, 0, 0, 0);
  static const unsigned sizes[] = { 1, 511, 1023, 1024, 1025, 4095, 4096, 4097, 65536, 300000 };
  for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    char name[64];
    snprintf(name, sizeof name, "w/size-%u", sizes[i]);
    write_file(name, sizes[i], 0, sizes[i], 0);
  }
  synced("w/size-300000");
  /* Append. */
  write_file("w/append", 1, 0, 1000, 0);
  for (unsigned i = 0; i < 30; i++) {
    int fd = open(at("w/append"), O_WRONLY | O_APPEND);
    if (fd < 0) die("open", "w/append");
    fill(block, 777, 100 + i, 0);
    if (write(fd, block, 777) != 777) die("write", "w/append");
    close(fd);
  }
  synced("w/append");
  /* Overwrite in the middle, truncate down then up (the tail reads as zeros). */
  write_file("w/overwrite", 3, 0, 50000, 0);
  write_file("w/overwrite", 4, 12345, 10000, 0);
  write_file("w/shrink", 5, 0, 200000, 0);
  CHECK(truncate(at("w/shrink"), 5000), "w/shrink");
  CHECK(truncate(at("w/shrink"), 9000), "w/shrink");
  write_file("w/trunc-open", 6, 0, 70000, O_TRUNC);
  write_file("w/trunc-open", 7, 0, 100, O_TRUNC);
  /* Holes: a sparse file, and the big file (64 MiB at full scale) with a hole in the middle. */
  unsigned long long big = 64ull * 1024 * 1024 * scale / 100;
  write_file("w/sparse", 8, 10, 10, 0);
  write_file("w/sparse", 9, 5ull * 1024 * 1024, 100, 0);
  write_file("w/big", 10, 0, big / 2, 0);
  write_file("w/big", 11, big - big / 4, big / 4, 0);
  synced("w/big");
  /* Rename, link, unlink, symlink, mkdir, rmdir. */
  CHECK(rename(at("w/size-1"), at("w/a/moved")), "rename");
  CHECK(rename(at("w/size-511"), at("w/size-4095")), "rename over");
  CHECK(rename(at("w/a/b"), at("w/b-moved")), "rename dir");
  char longTarget[200];
  memset(longTarget, 'x', sizeof longTarget - 1);
  longTarget[sizeof longTarget - 1] = 0;
  if (vfat) {
    link_or_eperm(link(at("w/size-4096"), at("w/a/hard")), "link", "w/a/hard");
    link_or_eperm(symlink("size-4096", at("w/fast-link")), "symlink", "w/fast-link");
    link_or_eperm(symlink(longTarget, at("w/slow-link")), "symlink", "w/slow-link");
  } else {
    CHECK(link(at("w/size-4096"), at("w/a/hard")), "link");
    CHECK(link(at("w/size-4096"), at("w/hard2")), "link");
    CHECK(unlink(at("w/hard2")), "unlink");
    CHECK(symlink("size-4096", at("w/fast-link")), "symlink");
    CHECK(symlink(longTarget, at("w/slow-link")), "symlink");
  }
  CHECK(mkdir(at("w/gone"), 0755), "mkdir");
  write_file("w/gone/file", 12, 0, 100, 0);
  CHECK(unlink(at("w/gone/file")), "unlink");
  CHECK(rmdir(at("w/gone")), "rmdir");
  /* An unlinked file kept open: written and read after the unlink, gone at close. */
  int fd = open(at("w/open-unlinked"), O_RDWR | O_CREAT, 0600);
  if (fd < 0) die("open", "w/open-unlinked");
  CHECK(unlink(at("w/open-unlinked")), "unlink open");
  write_range(fd, "w/open-unlinked", 13, 0, 100000);
  if (pread(fd, block, 10, 50000) != 10) die("pread", "w/open-unlinked");
  close(fd);
  /* Many small files in one directory, a third deleted. */
  CHECK(mkdir(at("w/many"), 0755), "mkdir");
  unsigned count = 10000u * (unsigned)scale / 100;
  for (unsigned i = 0; i < count; i++) {
    char name[64];
    snprintf(name, sizeof name, "w/many/file-%05u", i);
    write_file(name, 1000 + i, 0, i % 100, 0);
  }
  for (unsigned i = 0; i < count; i += 3) {
    char name[64];
    snprintf(name, sizeof name, "w/many/file-%05u", i);
    CHECK(unlink(at(name)), name);
  }
  CHECK(chmod(at("w/size-1024"), 0600), "chmod");
  sync();
  printf("done\n");
  return 0;
}
