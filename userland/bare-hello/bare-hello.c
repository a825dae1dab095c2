/*
 * bare-hello: the bare runner's smoke program. Freestanding static i386 (only
 * int 0x80 write and exit_group): prints its arguments, environment count,
 * stack alignment and selected auxv entries, touches .data and .bss, and exits
 * with a status derived from argc. Run natively and on ir0, outputs must match.
 */
typedef unsigned int u32;

static long sys3(long n, long a, long b, long c) {
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
  return r;
}

static void put(const char *s) {
  u32 n = 0;
  while (s[n]) n++;
  sys3(4, 1, (long)s, n);
}

static void putu(u32 v) {
  char b[12];
  int i = 11;
  b[i] = 0;
  do { b[--i] = (char)('0' + v % 10); v /= 10; } while (v);
  put(b + i);
}

static void puthex(u32 v) {
  char b[11] = "0x";
  for (int i = 0; i < 8; i++) b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
  b[10] = 0;
  put(b);
}

static u32 data_word = 0x12345678;
static unsigned char bss_area[65536];

static u32 auxv_get(u32 *auxv, u32 key) {
  for (; auxv[0] != 0; auxv += 2)
    if (auxv[0] == key) return auxv[1];
  return 0;
}

void start_c(u32 *sp) __attribute__((used, noreturn));
void start_c(u32 *sp) {
  u32 argc = sp[0];
  char **argv = (char **)(sp + 1);
  char **envp = argv + argc + 1;
  u32 envc = 0;
  while (envp[envc]) envc++;
  u32 *auxv = (u32 *)(envp + envc + 1);

  put("hello from bare-hello\n");
  put("argc="); putu(argc); put("\n");
  for (u32 i = 0; i < argc; i++) { put("argv["); putu(i); put("]="); put(argv[i]); put("\n"); }
  put("envc="); putu(envc); put("\n");
  put("esp%16="); putu((u32)sp % 16); put("\n");
  put("AT_PAGESZ="); putu(auxv_get(auxv, 6)); put("\n");
  put("AT_PHENT="); putu(auxv_get(auxv, 4)); put("\n");
  put("AT_PHNUM="); putu(auxv_get(auxv, 5)); put("\n");
  extern char _start[];
  put("AT_ENTRY is _start: "); put(auxv_get(auxv, 9) == (u32)_start ? "yes" : "no"); put("\n");
  u32 *phdr = (u32 *)auxv_get(auxv, 3);
  put("AT_PHDR[0].p_type="); putu(phdr ? phdr[0] : 0xffffffff); put("\n");
  put("AT_RANDOM present: "); put(auxv_get(auxv, 25) ? "yes" : "no"); put("\n");
  put("AT_PLATFORM="); put(auxv_get(auxv, 15) ? (const char *)auxv_get(auxv, 15) : "(none)"); put("\n");
  put("AT_EXECFN="); put(auxv_get(auxv, 31) ? (const char *)auxv_get(auxv, 31) : "(none)"); put("\n");

  u32 sum = 0;
  for (u32 i = 0; i < sizeof bss_area; i++) sum += bss_area[i];
  put("bss sum="); putu(sum); put("\n");
  for (u32 i = 0; i < sizeof bss_area; i++) bss_area[i] = (unsigned char)(i * 7 + data_word);
  for (u32 i = 0; i < sizeof bss_area; i += 3) sum = sum * 31 + bss_area[i];
  data_word ^= sum;
  put("checksum="); puthex(data_word); put("\n");
  sys3(252, (long)(argc + 40), 0, 0);
  for (;;) {}
}

/* _start: pass the initial esp (pointing at argc) to start_c. */
__asm__(".globl _start\n_start:\n  xorl %ebp, %ebp\n  movl %esp, %eax\n  andl $-16, %esp\n"
        "  subl $12, %esp\n  pushl %eax\n  call start_c\n  hlt\n");
