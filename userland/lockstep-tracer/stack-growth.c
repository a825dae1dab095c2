/*
 * A guest program for the lockstep test: recurses ~2.4 MB deep, so the stack
 * grows far below the 132 KiB Linux maps at exec, page fault by page fault,
 * and copies blocks with rep movs. Prints a checksum.
 */
#include <stdio.h>
#include <string.h>

static unsigned deep(unsigned n, const char *from) {
  char block[4096];
  memcpy(block, from, sizeof block);
  block[n % sizeof block] ^= (char)n;
  if (n == 0) return (unsigned char)block[7];
  return deep(n - 1, block) * 31u + (unsigned char)block[n % 251];
}

int main(void) {
  static char seed[4096];
  for (unsigned i = 0; i < sizeof seed; i++) seed[i] = (char)(i * 7);
  printf("%u\n", deep(600, seed));
  return 0;
}
