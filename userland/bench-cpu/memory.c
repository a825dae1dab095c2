/*
 * Memory benchmark over a 12 MiB working set in .bss: a naive transpose of a
 * 1024x1024 word matrix (stride-4 KiB reads touch a new page each time), a
 * pointer chase through a random cyclic permutation of 1 Mi words (Sattolo's
 * algorithm: one cycle, so every load misses the soft TLB's locality), and
 * word/byte copy loops plus rep movs through memcpy. Prints one checksum per part.
 * Scales below 4 (the CI test) use a 256x256 matrix and a 64 Ki-word chase.
 */
#include "runtime.h"

const u32 bench_default_scale = 12;

#define MAX_SIDE 1024
#define MAX_CHASE_WORDS (1024 * 1024)

static u32 matrix[MAX_SIDE * MAX_SIDE];
static u32 transposed[MAX_SIDE * MAX_SIDE];
static u32 chase[MAX_CHASE_WORDS];
static u32 side = MAX_SIDE, chase_words = MAX_CHASE_WORDS;
#define SIDE side
#define CHASE_WORDS chase_words

static void transpose(void) {
  for (u32 row = 0; row < SIDE; row++)
    for (u32 column = 0; column < SIDE; column++) transposed[column * SIDE + row] = matrix[row * SIDE + column];
}

static u32 sum_diagonal_band(const u32 *m) {
  u32 sum = 0;
  for (u32 i = 0; i < SIDE; i++) sum = sum * 31 + m[i * SIDE + ((i * 7) & (SIDE - 1))];
  return sum;
}

void bench_main(u32 scale) {
  u32 state = 0x9e3779b9u;
  u32 transpose_sum = 0, chase_sum = 0, copy_sum = 0;
  if (scale < 4) {
    side = 256;
    chase_words = 64 * 1024;
  }

  for (u32 i = 0; i < SIDE * SIDE; i++) matrix[i] = i ^ (i >> 7);
  /* Sattolo's shuffle: chase[] becomes a single cycle through all indices. */
  for (u32 i = 0; i < CHASE_WORDS; i++) chase[i] = i;
  for (u32 i = CHASE_WORDS - 1; i > 0; i--) {
    u32 j = (u32)(((u64)xorshift32(&state) * i) >> 32); /* uniform in [0, i) */
    u32 swap = chase[i];
    chase[i] = chase[j];
    chase[j] = swap;
  }

  for (u32 round = 0; round < scale; round++) {
    transpose();
    transpose_sum = transpose_sum * 17 + sum_diagonal_band(transposed);
    matrix[round & (SIDE * SIDE - 1)] += transposed[round];

    u32 position = round;
    for (u32 step = 0; step < CHASE_WORDS / 2; step++) {
      position = chase[position];
      chase_sum += position;
    }

    /* Word copy, byte copy with a shift (unaligned), then rep movsb via memcpy. */
    for (u32 i = 0; i < SIDE * SIDE; i++) transposed[i] = matrix[i] + round;
    u8 *bytes = (u8 *)transposed;
    const u8 *source = (const u8 *)matrix;
    for (u32 i = 0; i < SIDE * SIDE; i++) bytes[i + 1] = (u8)(source[i] ^ (u8)round);
    memcpy(matrix + SIDE, transposed + 3, sizeof(u32) * SIDE * (SIDE / 16));
    copy_sum = copy_sum * 29 + sum_diagonal_band(transposed) + sum_diagonal_band(matrix);
  }
  print_checksum32("transpose", transpose_sum);
  print_checksum32("chase", chase_sum);
  print_checksum32("copy", copy_sum);
}
