/*
 * The tiny freestanding runtime of the CPU benchmarks: _start, write, exit and a
 * printf-free number printer. Only int 0x80 write(4) and exit_group(252) are used,
 * so the programs run on ir0's bare runner (no kernel) as well as on Linux.
 * Each program defines bench_main(scale) and prints its checksum lines.
 */
#ifndef BENCH_RUNTIME_H
#define BENCH_RUNTIME_H

typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;
typedef unsigned char u8;
typedef unsigned int size_t;

/* Implemented by each benchmark; scale 1 is the tiny test size, the default is the bench size. */
void bench_main(u32 scale);
/* The scale used when argv[1] is absent; defined by each benchmark. */
extern const u32 bench_default_scale;

void print_str(const char *text);
void print_u32(u32 value);
void print_hex32(u32 value);
void print_hex64(u64 value);
/* Prints "label=0x<hex>\n": the checksum line format every benchmark uses. */
void print_checksum32(const char *label, u32 value);
void print_checksum64(const char *label, u64 value);
void sys_exit(int status) __attribute__((noreturn));

void *memcpy(void *destination, const void *source, size_t length);
void *memset(void *destination, int value, size_t length);

/* xorshift32 (Marsaglia 2003): the deterministic input generator of every benchmark. */
static inline u32 xorshift32(u32 *state) {
  u32 x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

#endif
