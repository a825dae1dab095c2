/*
 * Integer benchmark: table-driven CRC-32 (IEEE 802.3 polynomial, reflected) over a
 * 64 KiB buffer, a multiply-rotate hash (MurmurHash3's 32-bit mixer), and an
 * in-place quicksort of 8192 words. Each scale unit regenerates the data, so the
 * work grows linearly with the scale. Prints one checksum per part.
 */
#include "runtime.h"

const u32 bench_default_scale = 300;

#define BUFFER_WORDS 16384
#define SORT_WORDS 8192

static u32 crc_table[256];
static u32 buffer[BUFFER_WORDS];
static u32 sort_array[SORT_WORDS];

static void crc_init(void) {
  for (u32 n = 0; n < 256; n++) {
    u32 c = n;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[n] = c;
  }
}

static u32 crc32(const u8 *data, u32 length) {
  u32 crc = 0xffffffffu;
  for (u32 i = 0; i < length; i++) crc = crc_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

static u32 rotate_left(u32 value, int count) { return (value << count) | (value >> (32 - count)); }

static u32 murmur_hash(const u32 *words, u32 count, u32 seed) {
  u32 h = seed;
  for (u32 i = 0; i < count; i++) {
    u32 k = words[i] * 0xcc9e2d51u;
    k = rotate_left(k, 15) * 0x1b873593u;
    h ^= k;
    h = rotate_left(h, 13) * 5 + 0xe6546b64u;
  }
  h ^= count * 4;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  return h ^ (h >> 16);
}

static void quicksort(u32 *items, i32 low, i32 high) {
  while (low < high) {
    u32 pivot = items[low + (high - low) / 2];
    i32 i = low, j = high;
    while (i <= j) {
      while (items[i] < pivot) i++;
      while (items[j] > pivot) j--;
      if (i <= j) {
        u32 swap = items[i];
        items[i++] = items[j];
        items[j--] = swap;
      }
    }
    /* Recurse into the smaller side to bound the stack depth. */
    if (j - low < high - i) {
      quicksort(items, low, j);
      low = i;
    } else {
      quicksort(items, i, high);
      high = j;
    }
  }
}

void bench_main(u32 scale) {
  u32 state = 0x12345678u;
  u32 crc_sum = 0, hash_sum = 0, sort_sum = 0;
  crc_init();
  for (u32 round = 0; round < scale; round++) {
    for (u32 i = 0; i < BUFFER_WORDS; i++) buffer[i] = xorshift32(&state);
    crc_sum = crc_sum * 31 + crc32((const u8 *)buffer, sizeof buffer);
    hash_sum ^= murmur_hash(buffer, BUFFER_WORDS, round);
    for (u32 i = 0; i < SORT_WORDS; i++) sort_array[i] = xorshift32(&state) % 100000u;
    quicksort(sort_array, 0, SORT_WORDS - 1);
    for (u32 i = 0; i < SORT_WORDS; i += 97) sort_sum = sort_sum * 33 + sort_array[i];
    for (u32 i = 1; i < SORT_WORDS; i++)
      if (sort_array[i - 1] > sort_array[i]) sort_sum = 0xbad;
  }
  print_checksum32("crc32", crc_sum);
  print_checksum32("murmur", hash_sum);
  print_checksum32("sort", sort_sum);
}
