/*
 * alu-check: runs the host CPU's intricate integer instructions (add..neg,
 * shifts, rotates, shld/shrd, mul/imul, div/idiv, BCD, bt*, bsf/bsr) over edge
 * cases and seeded random inputs and prints one line per case:
 *
 *   <op> <size> <a> <b> <c> <flagsIn> <result> <high> <flagsOut>      (hex)
 *   <op> <size> <a> <b> <c> <flagsIn> DE                              (#DE raised)
 *
 * Usage: alu-check [seed] [randomCasesPerOp]. Input flags are set with popf and
 * output flags read with pushf; only the arithmetic flags (0x8d5) are printed.
 * The operand meaning of a, b, c and result/high per op is in
 * src/machine/cpu/alu/alu.test.ts, which compares these lines with ir0.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { uint32_t r, h, f; } out_t;
typedef void (*op_fn)(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o);

#define ARITH 0x8d5u
#define FIN "push %[fin]\n\tpopf\n\t"
#define FOUT "\n\tpushf\n\tpop %[f]"

/* ---- add/adc/sub/sbb/and/or/xor/cmp: r = a op b ---- */
#define BIN(name, m) \
  static void name##8(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint8_t x = a, y = b; uint32_t f; (void)c; \
    __asm__ volatile(FIN m "b %b[y], %b[x]" FOUT : [x] "+q"(x), [f] "=&r"(f) : [y] "q"(y), [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; } \
  static void name##16(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint16_t x = a, y = b; uint32_t f; (void)c; \
    __asm__ volatile(FIN m "w %w[y], %w[x]" FOUT : [x] "+r"(x), [f] "=&r"(f) : [y] "r"(y), [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; } \
  static void name##32(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t x = a, y = b; uint32_t f; (void)c; \
    __asm__ volatile(FIN m "l %[y], %[x]" FOUT : [x] "+r"(x), [f] "=&r"(f) : [y] "r"(y), [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; }
BIN(add, "add") BIN(adc, "adc") BIN(sub, "sub") BIN(sbb, "sbb")
BIN(and, "and") BIN(or, "or") BIN(xor, "xor")

/* ---- inc/dec/neg: r = op a ---- */
#define UN(name, m) \
  static void name##8(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint8_t x = a; uint32_t f; (void)b; (void)c; \
    __asm__ volatile(FIN m "b %b[x]" FOUT : [x] "+q"(x), [f] "=&r"(f) : [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; } \
  static void name##16(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint16_t x = a; uint32_t f; (void)b; (void)c; \
    __asm__ volatile(FIN m "w %w[x]" FOUT : [x] "+r"(x), [f] "=&r"(f) : [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; } \
  static void name##32(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t x = a; uint32_t f; (void)b; (void)c; \
    __asm__ volatile(FIN m "l %[x]" FOUT : [x] "+r"(x), [f] "=&r"(f) : [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; }
UN(inc, "inc") UN(dec, "dec") UN(neg, "neg")

/* ---- shifts and rotates by CL: r = a op (b & 0xff) ---- */
#define SH(name, m) \
  static void name##8(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint8_t x = a; uint32_t f, n = b & 0xff; (void)c; \
    __asm__ volatile(FIN m "b %%cl, %b[x]" FOUT : [x] "+q"(x), [f] "=&r"(f) : [n] "c"(n), [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; } \
  static void name##16(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint16_t x = a; uint32_t f, n = b & 0xff; (void)c; \
    __asm__ volatile(FIN m "w %%cl, %w[x]" FOUT : [x] "+r"(x), [f] "=&r"(f) : [n] "c"(n), [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; } \
  static void name##32(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t x = a; uint32_t f, n = b & 0xff; (void)c; \
    __asm__ volatile(FIN m "l %%cl, %[x]" FOUT : [x] "+r"(x), [f] "=&r"(f) : [n] "c"(n), [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; }
SH(rol, "rol") SH(ror, "ror") SH(rcl, "rcl") SH(rcr, "rcr")
SH(shl, "shl") SH(shr, "shr") SH(sar, "sar")

/* ---- shld/shrd by CL: r = a (dest), b (source), c & 0xff (count) ---- */
#define DSH(name, m) \
  static void name##16(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint16_t x = a, y = b; uint32_t f, n = c & 0xff; \
    __asm__ volatile(FIN m "w %%cl, %w[y], %w[x]" FOUT : [x] "+r"(x), [f] "=&r"(f) : [y] "r"(y), [n] "c"(n), [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; } \
  static void name##32(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t x = a, y = b; uint32_t f, n = c & 0xff; \
    __asm__ volatile(FIN m "l %%cl, %[y], %[x]" FOUT : [x] "+r"(x), [f] "=&r"(f) : [y] "r"(y), [n] "c"(n), [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; }
DSH(shld, "shld") DSH(shrd, "shrd")

/* ---- one-operand mul/imul: accumulator a times b; r = low half, h = high half ---- */
#define MUL1(name, m) \
  static void name##8(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t x = a & 0xff, f; uint8_t y = b; (void)c; \
    __asm__ volatile(FIN m "b %b[y]" FOUT : [x] "+a"(x), [f] "=&r"(f) : [y] "q"(y), [fin] "r"(fin) : "cc"); \
    o->r = x & 0xff; o->h = (x >> 8) & 0xff; o->f = f; } \
  static void name##16(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t x = a & 0xffff, d = 0, f; uint16_t y = b; (void)c; \
    __asm__ volatile(FIN m "w %w[y]" FOUT : [x] "+a"(x), [d] "+d"(d), [f] "=&r"(f) : [y] "r"(y), [fin] "r"(fin) : "cc"); \
    o->r = x & 0xffff; o->h = d & 0xffff; o->f = f; } \
  static void name##32(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t x = a, d, f, y = b; (void)c; \
    __asm__ volatile(FIN m "l %[y]" FOUT : [x] "+a"(x), [d] "=&d"(d), [f] "=&r"(f) : [y] "r"(y), [fin] "r"(fin) : "cc"); \
    o->r = x; o->h = d; o->f = f; }
MUL1(mul, "mul") MUL1(imul1_, "imul")

/* ---- two-operand imul: r = truncated a * b ---- */
static void imul2_16(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) {
  uint16_t x = a, y = b; uint32_t f; (void)c;
  __asm__ volatile(FIN "imulw %w[y], %w[x]" FOUT : [x] "+r"(x), [f] "=&r"(f) : [y] "r"(y), [fin] "r"(fin) : "cc");
  o->r = x; o->f = f;
}
static void imul2_32(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) {
  uint32_t x = a, y = b, f; (void)c;
  __asm__ volatile(FIN "imull %[y], %[x]" FOUT : [x] "+r"(x), [f] "=&r"(f) : [y] "r"(y), [fin] "r"(fin) : "cc");
  o->r = x; o->f = f;
}

/* ---- three-operand imul: r = truncated a * imm (b = the immediate, one function each) ---- */
#define IMUL3(tag, imm) \
  static void imul3_##tag##16(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint16_t x, y = a; uint32_t f; (void)b; (void)c; \
    __asm__ volatile(FIN "imulw $((" #imm ") & 0xffff), %w[y], %w[x]" FOUT : [x] "=&r"(x), [f] "=&r"(f) : [y] "r"(y), [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; } \
  static void imul3_##tag##32(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t x, y = a, f; (void)b; (void)c; \
    __asm__ volatile(FIN "imull $" #imm ", %[y], %[x]" FOUT : [x] "=&r"(x), [f] "=&r"(f) : [y] "r"(y), [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; }
IMUL3(m128, -128) IMUL3(m1, -1) IMUL3(0, 0) IMUL3(3, 3) IMUL3(127, 127) IMUL3(x7fff, 0x7fff) IMUL3(m32768, -32768)
IMUL3(x12345, 0x12345) IMUL3(x7fffffff, 0x7fffffff) IMUL3(m2147483648, -2147483648)

/* ---- div/idiv: dividend c:a (high:low halves), divisor b; r = quotient, h = remainder ---- */
static sigjmp_buf fault_jump;
static void on_sigfpe(int signo) { (void)signo; siglongjmp(fault_jump, 1); }
#define DIV(name, m) \
  static void name##8(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t x = (a & 0xff) | ((c & 0xff) << 8), f; uint8_t y = b; \
    __asm__ volatile(FIN m "b %b[y]" FOUT : [x] "+a"(x), [f] "=&r"(f) : [y] "q"(y), [fin] "r"(fin) : "cc"); \
    o->r = x & 0xff; o->h = (x >> 8) & 0xff; o->f = f; } \
  static void name##16(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t x = a & 0xffff, d = c & 0xffff, f; uint16_t y = b; \
    __asm__ volatile(FIN m "w %w[y]" FOUT : [x] "+a"(x), [d] "+d"(d), [f] "=&r"(f) : [y] "r"(y), [fin] "r"(fin) : "cc"); \
    o->r = x & 0xffff; o->h = d & 0xffff; o->f = f; } \
  static void name##32(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t x = a, d = c, f, y = b; \
    __asm__ volatile(FIN m "l %[y]" FOUT : [x] "+a"(x), [d] "+d"(d), [f] "=&r"(f) : [y] "r"(y), [fin] "r"(fin) : "cc"); \
    o->r = x; o->h = d; o->f = f; }
DIV(div, "div") DIV(idiv, "idiv")

/* ---- BCD on AX = a: r = new AX ---- */
#define BCD(name, insn) \
  static void name##8(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t x = a & 0xffff, f; (void)b; (void)c; \
    __asm__ volatile(FIN insn FOUT : [x] "+a"(x), [f] "=&r"(f) : [fin] "r"(fin) : "cc"); \
    o->r = x & 0xffff; o->f = f; }
BCD(daa, "daa") BCD(das, "das") BCD(aaa, "aaa") BCD(aas, "aas")
/* aam/aad take an imm8 base; each base is its own function. */
#define AAMD(base) \
  BCD(aam_##base, ".byte 0xd4, " #base) \
  BCD(aad_##base, ".byte 0xd5, " #base)
AAMD(0) AAMD(1) AAMD(2) AAMD(7) AAMD(10) AAMD(16) AAMD(100) AAMD(255)

/* ---- bt/bts/btr/btc register form: r = new a, bit index b ---- */
#define BT(name, m) \
  static void name##16(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint16_t x = a, y = b; uint32_t f; (void)c; \
    __asm__ volatile(FIN m "w %w[y], %w[x]" FOUT : [x] "+r"(x), [f] "=&r"(f) : [y] "r"(y), [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; } \
  static void name##32(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t x = a, y = b, f; (void)c; \
    __asm__ volatile(FIN m "l %[y], %[x]" FOUT : [x] "+r"(x), [f] "=&r"(f) : [y] "r"(y), [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; }
BT(bt, "bt") BT(bts, "bts") BT(btr, "btr") BT(btc, "btc")

/*
 * bt* memory form with a register bit offset b (signed) on a buffer whose byte i
 * holds pattern(i); r = index of the changed byte relative to the base
 * (0xffffffff if none), h = its new value.
 */
#define MEMBUF 1024
static uint8_t membuf[MEMBUF];
static uint8_t pattern(int i) { return (uint8_t)(i * 37 + 11); }
static void mem_reset(void) { for (int i = 0; i < MEMBUF; i++) membuf[i] = pattern(i - MEMBUF / 2); }
static void mem_result(out_t *o) {
  o->r = 0xffffffffu; o->h = 0;
  for (int i = 0; i < MEMBUF; i++)
    if (membuf[i] != pattern(i - MEMBUF / 2)) { o->r = (uint32_t)(i - MEMBUF / 2); o->h = membuf[i]; return; }
}
#define BTM(name, m) \
  static void name##m16(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint16_t y = b; uint32_t f; uint8_t *p = membuf + MEMBUF / 2; (void)a; (void)c; mem_reset(); \
    __asm__ volatile(FIN m "w %w[y], (%[p])" FOUT : [f] "=&r"(f) : [y] "r"(y), [p] "r"(p), [fin] "r"(fin) : "cc", "memory"); \
    mem_result(o); o->f = f; } \
  static void name##m32(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t y = b, f; uint8_t *p = membuf + MEMBUF / 2; (void)a; (void)c; mem_reset(); \
    __asm__ volatile(FIN m "l %[y], (%[p])" FOUT : [f] "=&r"(f) : [y] "r"(y), [p] "r"(p), [fin] "r"(fin) : "cc", "memory"); \
    mem_result(o); o->f = f; }
BTM(bt, "bt") BTM(bts, "bts") BTM(btr, "btr") BTM(btc, "btc")

/* bt* with an immediate bit offset b (one function each): register form r = new a; memory form as above. */
#define BTI(name, m, imm) \
  static void name##i##imm##_16(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint16_t x = a; uint32_t f; (void)b; (void)c; \
    __asm__ volatile(FIN m "w $" #imm ", %w[x]" FOUT : [x] "+r"(x), [f] "=&r"(f) : [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; } \
  static void name##i##imm##_32(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t x = a, f; (void)b; (void)c; \
    __asm__ volatile(FIN m "l $" #imm ", %[x]" FOUT : [x] "+r"(x), [f] "=&r"(f) : [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; } \
  static void name##mi##imm##_16(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t f; uint8_t *p = membuf + MEMBUF / 2; (void)a; (void)b; (void)c; mem_reset(); \
    __asm__ volatile(FIN m "w $" #imm ", (%[p])" FOUT : [f] "=&r"(f) : [p] "r"(p), [fin] "r"(fin) : "cc", "memory"); \
    mem_result(o); o->f = f; } \
  static void name##mi##imm##_32(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t f; uint8_t *p = membuf + MEMBUF / 2; (void)a; (void)b; (void)c; mem_reset(); \
    __asm__ volatile(FIN m "l $" #imm ", (%[p])" FOUT : [f] "=&r"(f) : [p] "r"(p), [fin] "r"(fin) : "cc", "memory"); \
    mem_result(o); o->f = f; }
#define BTI_ALL(imm) BTI(bt, "bt", imm) BTI(bts, "bts", imm) BTI(btr, "btr", imm) BTI(btc, "btc", imm)
BTI_ALL(0) BTI_ALL(5) BTI_ALL(15) BTI_ALL(16) BTI_ALL(31) BTI_ALL(32) BTI_ALL(37) BTI_ALL(255)

/* ---- bsf/bsr: destination a (kept when the source is 0), source b ---- */
#define BS(name, m) \
  static void name##16(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint16_t x = a, y = b; uint32_t f; (void)c; \
    __asm__ volatile(FIN m "w %w[y], %w[x]" FOUT : [x] "+r"(x), [f] "=&r"(f) : [y] "r"(y), [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; } \
  static void name##32(uint32_t a, uint32_t b, uint32_t c, uint32_t fin, out_t *o) { \
    uint32_t x = a, y = b, f; (void)c; \
    __asm__ volatile(FIN m "l %[y], %[x]" FOUT : [x] "+r"(x), [f] "=&r"(f) : [y] "r"(y), [fin] "r"(fin) : "cc"); \
    o->r = x; o->f = f; }
BS(bsf, "bsf") BS(bsr, "bsr")

/* ---- the case generator ---- */
static uint32_t rng_state;
static uint32_t rnd(void) { /* xorshift32 */
  uint32_t x = rng_state; x ^= x << 13; x ^= x >> 17; x ^= x << 5; return rng_state = x;
}
static const uint32_t edges[] = {
  0, 1, 2, 3, 0x0f, 0x10, 0x7e, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x100, 0x7ffe, 0x7fff, 0x8000, 0x8001,
  0xfffe, 0xffff, 0x10000, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff,
  0x12345678, 0xedcba987,
};
#define NEDGES (sizeof edges / sizeof edges[0])
static uint32_t mask_of(int size) { return size == 32 ? 0xffffffffu : (1u << size) - 1; }
/* A random operand biased towards interesting values. */
static uint32_t rnd_value(void) {
  uint32_t k = rnd() % 8;
  if (k < 4) return rnd();
  if (k == 4) return edges[rnd() % NEDGES] + (rnd() % 5) - 2;
  if (k == 5) return rnd() % 64;
  if (k == 6) return 1u << (rnd() % 32);
  return (uint32_t)-(int32_t)(rnd() % 64);
}
static uint32_t rnd_flags(void) { return rnd() & ARITH; }

static void emit(const char *name, int size, op_fn fn, uint32_t a, uint32_t b, uint32_t c, uint32_t fin) {
  out_t o = {0, 0, 0};
  fin = (fin & ARITH) | 0x202; /* reserved bit 1, IF (popf in ring 3 keeps IF anyway) */
  if (sigsetjmp(fault_jump, 1)) {
    printf("%s %d %x %x %x %x DE\n", name, size, a, b, c, fin & ARITH);
    return;
  }
  fn(a, b, c, fin, &o);
  printf("%s %d %x %x %x %x %x %x %x\n", name, size, a, b, c, fin & ARITH, o.r, o.h, o.f & ARITH);
}

enum kind { BINARY, UNARY, SHIFT, DSHIFT, MULDIV, BCD, AAMD, BITIDX, BITMEM, BITSCAN, IMMEDIATE, BITMEMIMM };
struct op { const char *name; int size; enum kind kind; op_fn fn; uint32_t imm; };
#define SIZES3(n, k) { #n, 8, k, n##8, 0 }, { #n, 16, k, n##16, 0 }, { #n, 32, k, n##32, 0 }
#define SIZES2(n, k) { #n, 16, k, n##16, 0 }, { #n, 32, k, n##32, 0 }
#define AAMD_OPS(b) { "aam", 8, AAMD, aam_##b##8, b }, { "aad", 8, AAMD, aad_##b##8, b }
/* imul r, r/m, imm: printed as imul3 with b = the immediate (sign-extended to 32 bits). */
#define IMUL3_OPS(tag, imm) { "imul3", 16, IMMEDIATE, imul3_##tag##16, (uint32_t)(imm) }, \
  { "imul3", 32, IMMEDIATE, imul3_##tag##32, (uint32_t)(imm) }
/* bt* r/m, imm8: printed as bti/btsi/... (register) and btmi/btsmi/... (memory) with b = the immediate. */
#define BTI_OP(name, imm) { #name "i", 16, IMMEDIATE, name##i##imm##_16, imm }, { #name "i", 32, IMMEDIATE, name##i##imm##_32, imm }, \
  { #name "mi", 16, BITMEMIMM, name##mi##imm##_16, imm }, { #name "mi", 32, BITMEMIMM, name##mi##imm##_32, imm }
#define BTI_OPS(imm) BTI_OP(bt, imm), BTI_OP(bts, imm), BTI_OP(btr, imm), BTI_OP(btc, imm)
static const struct op ops[] = {
  SIZES3(add, BINARY), SIZES3(adc, BINARY), SIZES3(sub, BINARY), SIZES3(sbb, BINARY),
  SIZES3(and, BINARY), SIZES3(or, BINARY), SIZES3(xor, BINARY),
  SIZES3(inc, UNARY), SIZES3(dec, UNARY), SIZES3(neg, UNARY),
  SIZES3(rol, SHIFT), SIZES3(ror, SHIFT), SIZES3(rcl, SHIFT), SIZES3(rcr, SHIFT),
  SIZES3(shl, SHIFT), SIZES3(shr, SHIFT), SIZES3(sar, SHIFT),
  SIZES2(shld, DSHIFT), SIZES2(shrd, DSHIFT),
  SIZES3(mul, BINARY), { "imul1", 8, BINARY, imul1_8, 0 }, { "imul1", 16, BINARY, imul1_16, 0 },
  { "imul1", 32, BINARY, imul1_32, 0 }, { "imul2", 16, BINARY, imul2_16, 0 }, { "imul2", 32, BINARY, imul2_32, 0 },
  SIZES3(div, MULDIV), SIZES3(idiv, MULDIV),
  { "daa", 8, BCD, daa8, 0 }, { "das", 8, BCD, das8, 0 }, { "aaa", 8, BCD, aaa8, 0 }, { "aas", 8, BCD, aas8, 0 },
  AAMD_OPS(0), AAMD_OPS(1), AAMD_OPS(2), AAMD_OPS(7), AAMD_OPS(10), AAMD_OPS(16), AAMD_OPS(100), AAMD_OPS(255),
  SIZES2(bt, BITIDX), SIZES2(bts, BITIDX), SIZES2(btr, BITIDX), SIZES2(btc, BITIDX),
  { "btm", 16, BITMEM, btm16, 0 }, { "btm", 32, BITMEM, btm32, 0 }, { "btsm", 16, BITMEM, btsm16, 0 },
  { "btsm", 32, BITMEM, btsm32, 0 }, { "btrm", 16, BITMEM, btrm16, 0 }, { "btrm", 32, BITMEM, btrm32, 0 },
  { "btcm", 16, BITMEM, btcm16, 0 }, { "btcm", 32, BITMEM, btcm32, 0 },
  SIZES2(bsf, BITSCAN), SIZES2(bsr, BITSCAN),
  IMUL3_OPS(m128, -128), IMUL3_OPS(m1, -1), IMUL3_OPS(0, 0), IMUL3_OPS(3, 3), IMUL3_OPS(127, 127),
  IMUL3_OPS(x7fff, 0x7fff), IMUL3_OPS(m32768, -32768), IMUL3_OPS(x12345, 0x12345),
  IMUL3_OPS(x7fffffff, 0x7fffffff), IMUL3_OPS(m2147483648, 0x80000000u),
  BTI_OPS(0), BTI_OPS(5), BTI_OPS(15), BTI_OPS(16), BTI_OPS(31), BTI_OPS(32), BTI_OPS(37), BTI_OPS(255),
};

static void generate(const struct op *op, int random_cases) {
  const char *n = op->name; int s = op->size; op_fn fn = op->fn; uint32_t m = mask_of(s);
  switch (op->kind) {
  case BINARY: case BITSCAN:
    for (unsigned i = 0; i < NEDGES; i++)
      for (unsigned j = 0; j < NEDGES; j++)
        for (uint32_t cf = 0; cf < 2; cf++) emit(n, s, fn, edges[i] & m, edges[j] & m, 0, (rnd_flags() & ~1u) | cf);
    for (int k = 0; k < random_cases; k++) emit(n, s, fn, rnd_value() & m, rnd_value() & m, 0, rnd_flags());
    break;
  case UNARY:
    for (unsigned i = 0; i < NEDGES; i++)
      for (uint32_t f = 0; f < 4; f++) emit(n, s, fn, edges[i] & m, 0, 0, (rnd_flags() & ~0x11u) | (f & 1) | (f & 2) << 3);
    for (int k = 0; k < random_cases; k++) emit(n, s, fn, rnd_value() & m, 0, 0, rnd_flags());
    break;
  case SHIFT:
    for (unsigned i = 0; i < NEDGES; i++)
      for (uint32_t count = 0; count < 34; count++)
        for (uint32_t cf = 0; cf < 2; cf++) emit(n, s, fn, edges[i] & m, count, 0, (rnd_flags() & ~1u) | cf);
    for (int k = 0; k < random_cases; k++) emit(n, s, fn, rnd_value() & m, rnd() & 0xff, 0, rnd_flags());
    break;
  case DSHIFT:
    for (unsigned i = 0; i < NEDGES; i += 3)
      for (unsigned j = 0; j < NEDGES; j += 5)
        for (uint32_t count = 0; count < 34; count++)
          emit(n, s, fn, edges[i] & m, edges[j] & m, count, rnd_flags());
    for (int k = 0; k < random_cases; k++) emit(n, s, fn, rnd_value() & m, rnd_value() & m, rnd() & 0xff, rnd_flags());
    break;
  case MULDIV: /* dividend high:low = c:a, divisor b; bias towards quotients that fit */
    for (unsigned i = 0; i < NEDGES; i++)
      for (unsigned j = 0; j < NEDGES; j++)
        for (unsigned h = 0; h < 4; h++) {
          uint32_t high = h == 0 ? 0 : h == 1 ? m : h == 2 ? (edges[j] & m) >> 1 : rnd() % ((edges[j] & m) | 1);
          emit(n, s, fn, edges[i] & m, edges[j] & m, high & m, rnd_flags());
        }
    for (int k = 0; k < random_cases; k++) {
      uint32_t divisor = rnd_value() & m, high = rnd() & m;
      if (k % 2 == 0 && divisor != 0) high %= divisor; /* unsigned quotient fits */
      if (k % 4 == 1) high = (rnd() & 1) ? 0 : m;     /* small signed dividend */
      emit(n, s, fn, rnd_value() & m, divisor, high, rnd_flags());
    }
    break;
  case BCD: /* every AL with every AF/CF; AH from a few values */
    for (uint32_t al = 0; al < 256; al++)
      for (uint32_t f = 0; f < 4; f++)
        for (uint32_t h = 0; h < 3; h++) {
          uint32_t ah = h == 0 ? 0 : h == 1 ? 0xff : rnd() & 0xff;
          emit(n, s, fn, ah << 8 | al, 0, 0, (rnd_flags() & ~0x11u) | (f & 1) | (f & 2) << 3);
        }
    break;
  case AAMD:
    for (uint32_t al = 0; al < 256; al++)
      for (uint32_t h = 0; h < 3; h++) {
        uint32_t ah = h == 0 ? 0 : h == 1 ? 0xff : rnd() & 0xff;
        emit(n, s, fn, ah << 8 | al, 0, op->imm, rnd_flags());
      }
    break;
  case BITIDX:
    for (unsigned i = 0; i < NEDGES; i++)
      for (uint32_t index = 0; index < 40; index++) emit(n, s, fn, edges[i] & m, index, 0, rnd_flags());
    for (int k = 0; k < random_cases; k++) emit(n, s, fn, rnd_value() & m, rnd_value() & m, 0, rnd_flags());
    break;
  case IMMEDIATE: /* the immediate is part of the instruction; b reports it */
    for (unsigned i = 0; i < NEDGES; i++) emit(n, s, fn, edges[i] & m, op->imm, 0, rnd_flags());
    for (int k = 0; k < random_cases / 10; k++) emit(n, s, fn, rnd_value() & m, op->imm, 0, rnd_flags());
    break;
  case BITMEMIMM:
    for (int k = 0; k < 4; k++) emit(n, s, fn, 0, op->imm, 0, rnd_flags());
    break;
  case BITMEM: /* signed bit offsets that stay inside the buffer */
    for (int offset = -(MEMBUF / 2) * 8; offset < (MEMBUF / 2 - 4) * 8; offset += 1 + (offset > -64 && offset < 64 ? 0 : 6))
      emit(n, s, fn, 0, (uint32_t)offset & m, 0, rnd_flags());
    break;
  }
}

int main(int argc, char **argv) {
  uint32_t seed = argc > 1 ? (uint32_t)strtoul(argv[1], 0, 0) : 1;
  int random_cases = argc > 2 ? atoi(argv[2]) : 2000;
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_sigfpe;
  sigaction(SIGFPE, &action, 0);
  rng_state = seed ? seed : 1;
  for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) generate(&ops[i], random_cases);
  return 0;
}
