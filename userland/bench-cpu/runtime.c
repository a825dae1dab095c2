/*
 * Freestanding runtime for the CPU benchmarks (see runtime.h). _start reads argc/argv
 * from the initial stack as the i386 System V ABI lays it out (argc at [esp], argv
 * after it), parses the optional scale in argv[1], calls bench_main and exits.
 */
#include "runtime.h"

/* Linux i386 syscall numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
#define SYS_write 4
#define SYS_exit_group 252

static int sys_write(int fd, const void *buffer, u32 length) {
  int result;
  __asm__ volatile("int $0x80" : "=a"(result) : "0"(SYS_write), "b"(fd), "c"(buffer), "d"(length) : "memory");
  return result;
}

void sys_exit(int status) {
  for (;;) __asm__ volatile("int $0x80" : : "a"(SYS_exit_group), "b"(status) : "memory");
}

static u32 string_length(const char *text) {
  u32 length = 0;
  while (text[length] != 0) length++;
  return length;
}

void print_str(const char *text) { sys_write(1, text, string_length(text)); }

void print_u32(u32 value) {
  char digits[12];
  int position = 11;
  digits[position] = 0;
  do {
    digits[--position] = (char)('0' + value % 10);
    value /= 10;
  } while (value != 0);
  print_str(digits + position);
}

static void hex_digits(char *out, u32 value) {
  static const char alphabet[] = "0123456789abcdef";
  for (int i = 7; i >= 0; i--) {
    out[i] = alphabet[value & 15];
    value >>= 4;
  }
}

void print_hex32(u32 value) {
  char text[9];
  hex_digits(text, value);
  text[8] = 0;
  print_str(text);
}

void print_hex64(u64 value) {
  print_hex32((u32)(value >> 32));
  print_hex32((u32)value);
}

void print_checksum32(const char *label, u32 value) {
  print_str(label);
  print_str("=0x");
  print_hex32(value);
  print_str("\n");
}

void print_checksum64(const char *label, u64 value) {
  print_str(label);
  print_str("=0x");
  print_hex64(value);
  print_str("\n");
}

/* gcc may emit calls to these even with -ffreestanding (GCC manual, "C Dialect Options"). */
void *memcpy(void *destination, const void *source, size_t length) {
  void *d = destination;
  const void *s = source;
  __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(length) : : "memory");
  return destination;
}

void *memset(void *destination, int value, size_t length) {
  void *d = destination;
  __asm__ volatile("rep stosb" : "+D"(d), "+c"(length) : "a"(value) : "memory");
  return destination;
}

static u32 parse_u32(const char *text) {
  u32 value = 0;
  while (*text >= '0' && *text <= '9') value = value * 10 + (u32)(*text++ - '0');
  return value;
}

__attribute__((used)) static void start_c(u32 *initial_stack) {
  u32 argc = initial_stack[0];
  char **argv = (char **)(initial_stack + 1);
  u32 scale = bench_default_scale;
  if (argc > 1) {
    u32 parsed = parse_u32(argv[1]);
    if (parsed != 0) scale = parsed;
  }
  bench_main(scale);
  sys_exit(0);
}

/* The kernel enters with esp at argc; align the stack to 16 bytes for gcc's code. */
__asm__(
    ".text\n"
    ".globl _start\n"
    "_start:\n"
    "  xorl %ebp, %ebp\n"
    "  movl %esp, %eax\n"
    "  andl $-16, %esp\n"
    "  subl $12, %esp\n"
    "  pushl %eax\n"
    "  call start_c\n"
    "  hlt\n");
