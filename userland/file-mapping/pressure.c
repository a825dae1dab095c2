/*
 * A shared file mapping larger than the guest's free memory, read and written whole: the page
 * cache must write back and drop mapped pages under pressure instead of running out of memory.
 * Usage: pressure DIR [DEVICE TYPE] — with DEVICE and TYPE, mounts DEVICE on DIR first (in ir0).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define MIB (1 << 20)
#define SIZE (32 * MIB)

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  if (argc >= 4) {
    mkdir(argv[1], 0755);
    if (mount(argv[2], argv[1], argv[3], 0, NULL) < 0) { perror("mount"); return 1; }
  }
  if (chdir(argv[1]) < 0) { perror("chdir"); return 1; }
  int fd = open("big.dat", O_CREAT | O_RDWR | O_TRUNC, 0644);
  static char buffer[MIB];
  for (int i = 0; i < SIZE / MIB; i++) {
    memset(buffer, i, sizeof buffer);
    write(fd, buffer, sizeof buffer);
  }
  unsigned char *map = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (map == MAP_FAILED) { perror("mmap"); return 1; }
  unsigned long sum = 0;
  for (int at = 0; at < SIZE; at += 4096) sum += map[at];
  for (int at = 0; at < SIZE; at += 4096) map[at + 1] = (unsigned char)(at >> 20);
  for (int at = 0; at < SIZE; at += 4096) sum += map[at + 1];
  printf("sum through the mapping: %lu\n", sum);
  munmap(map, SIZE);
  unsigned char bytes[2];
  for (int i = 0; i < SIZE / MIB; i += 7) {
    pread(fd, bytes, 2, (off_t)i * MIB + 4096);
    printf("MiB %d: %d %d\n", i, bytes[0], bytes[1]);
  }
  close(fd);
  unlink("big.dat");
  return 0;
}
