/*
 * The cpu-harness wire format and address layout. Mirrored by
 * src/system/cpu-diff/layout.ts: change both together. All fields little-endian.
 */
#ifndef CPU_HARNESS_LAYOUT_H
#define CPU_HARNESS_LAYOUT_H
#include <stdint.h>

/* One code page of int3 filler; the instruction goes at CODE_ENTRY. */
#define CODE_BASE 0x20000000u
#define CODE_ENTRY (CODE_BASE + 0x800u)
/* Data region: pages 0 and 1 read-write, page 2 read-only, page 3 unmapped (guard). */
#define DATA_BASE 0x30000000u
#define DATA_MAPPED_PAGES 3
#define DATA_RW_PAGES 2
#define DATA_BYTES (DATA_MAPPED_PAGES * 4096u)
/* The base of the TLS segment the harness creates with set_thread_area. */
#define TLS_BASE (DATA_BASE - 0x8000u)

#define CASE_MAGIC 0x45534143u   /* "CASE" */
#define RESULT_MAGIC 0x544c5352u /* "RSLT" */
#define HELLO_MAGIC 0x4f4c4548u  /* "HELO" */
#define MAX_CODE 16
#define MAX_PATCHES 16
#define MAX_DIFFS 64
#define FNSAVE_BYTES 108

struct harness_patch {
  uint32_t offset; /* from DATA_BASE; the dword at it is replaced */
  uint32_t value;
};

struct harness_case {
  uint32_t magic;
  uint32_t gpr[8]; /* eax ecx edx ebx esp ebp esi edi */
  uint32_t eflags;
  uint16_t fs, gs;
  uint32_t seed; /* fills the data region (xorshift32 words) */
  uint8_t code_length, patch_count, pad[2];
  uint8_t code[MAX_CODE];
  uint8_t fpu[FNSAVE_BYTES]; /* fnsave image loaded into the x87 */
  struct harness_patch patches[MAX_PATCHES];
};

struct harness_result {
  uint32_t magic;
  uint32_t gpr[8];
  uint32_t eip, eflags;
  uint16_t es, ds, fs, gs;
  uint32_t signo, si_code, trapno, err, cr2;
  uint8_t fpu[FNSAVE_BYTES];
  uint32_t diff_count; /* bytes of the data region that changed */
  uint32_t region_hash; /* FNV-1a of the whole mapped data region afterwards */
  uint32_t diffs[MAX_DIFFS]; /* offset | value << 24 for the first MAX_DIFFS changes */
};

struct harness_hello {
  uint32_t magic;
  uint32_t tls_entry; /* GDT index set_thread_area chose */
  uint32_t case_bytes, result_bytes;
};

#endif
