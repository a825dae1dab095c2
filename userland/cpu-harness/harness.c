/*
 * cpu-harness: runs single x86 instructions natively for the differential CPU
 * test (src/system/cpu-diff/). Reads `struct harness_case` records from stdin
 * until EOF and writes one `struct harness_result` per case (layout.h).
 *
 * Technique: the test state is entered through a signal frame. main() raises
 * SIGUSR1; the handler writes the case's registers, EFLAGS, segments and x87
 * image into the ucontext and returns, so sigreturn loads them and the
 * instruction runs at CODE_ENTRY. The int3 filler after it (SIGTRAP) or a fault
 * (SIGSEGV/SIGBUS/SIGILL/SIGFPE) lands in the same handler, which records the
 * ucontext and the data region and siglongjmps back to main(). All handlers run
 * on an alternate stack so the test's ESP (inside the data region) is never
 * written by the kernel.
 */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "layout.h"

/* Read by the entry stub before any C code runs: glibc keeps its TLS in GS. */
uint16_t harness_host_gs __attribute__((used));

enum { IDLE, ARMING, RUNNING };
static volatile int phase = IDLE;
static struct harness_case current;
static struct harness_result result;
static sigjmp_buf resume;
static uint8_t expected[DATA_BYTES];

/*
 * Every signal enters here first: reload glibc's GS (the test may have loaded
 * another selector) and clear EFLAGS.AC (Linux runs user code with CR0.AM set,
 * so a test that set AC would make the handler's own unaligned accesses fault).
 * The kernel already cleared DF and TF and loaded DS/ES for the handler.
 */
void harness_signal_entry(int, siginfo_t *, void *);
__asm__(".text\n"
        ".globl harness_signal_entry\n"
        "harness_signal_entry:\n"
        "  pushfl\n"
        "  andl $0xfffbffff, (%esp)\n"
        "  popfl\n"
        "  movw harness_host_gs, %ax\n"
        "  movw %ax, %gs\n"
        "  jmp harness_signal_handler\n");

/*
 * sigreturn takes only AC, OF, DF, TF, SF, ZF, AF, PF, CF and RF from the
 * frame (FIX_EFLAGS in arch/x86/kernel/signal_32.c); other user-writable bits
 * (ID, NT) keep their current value, which a previous case's popf may have
 * set. Clear them so every case starts with ID = NT = 0.
 */
static void clear_sticky_flags(void) {
  __asm__ volatile("pushfl\n andl $0xffdfbfff, (%%esp)\n popfl" ::: "memory", "cc");
}

static void fail(const char *message) {
  write(2, message, strlen(message));
  _exit(3);
}

static uint32_t xorshift32(uint32_t *state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

/* The data region a case starts from: xorshift32 words from the seed, then the patches. */
static void build_expected(void) {
  uint32_t state = current.seed ? current.seed : 0x9e3779b9u;
  for (uint32_t i = 0; i < DATA_BYTES; i += 4) {
    uint32_t word = xorshift32(&state);
    memcpy(expected + i, &word, 4);
  }
  for (unsigned i = 0; i < current.patch_count && i < MAX_PATCHES; i++) {
    uint32_t offset = current.patches[i].offset;
    if (offset <= DATA_BYTES - 4) memcpy(expected + offset, &current.patches[i].value, 4);
  }
}

static void load_data_region(void) {
  uint8_t *read_only = (uint8_t *)(DATA_BASE + DATA_RW_PAGES * 4096u);
  if (mprotect(read_only, 4096, PROT_READ | PROT_WRITE)) fail("mprotect rw\n");
  memcpy((void *)DATA_BASE, expected, DATA_BYTES);
  if (mprotect(read_only, 4096, PROT_READ)) fail("mprotect ro\n");
}

static void load_code(void) {
  uint8_t *entry = (uint8_t *)CODE_ENTRY;
  memset(entry - 32, 0xcc, 64);
  memcpy(entry, current.code, current.code_length <= MAX_CODE ? current.code_length : MAX_CODE);
}

/* Offset of the fxsave area in the i386 frame's struct _fpstate_32 (after the fsave header, status and magic). */
#define FXSAVE_OFFSET 112
#define XSTATE_BV_OFFSET (FXSAVE_OFFSET + 512)
#define SW_RESERVED_OFFSET (FXSAVE_OFFSET + 464)

static void arm(ucontext_t *uc) {
  greg_t *g = uc->uc_mcontext.gregs;
  g[REG_EAX] = current.gpr[0];
  g[REG_ECX] = current.gpr[1];
  g[REG_EDX] = current.gpr[2];
  g[REG_EBX] = current.gpr[3];
  g[REG_ESP] = current.gpr[4];
  g[REG_EBP] = current.gpr[5];
  g[REG_ESI] = current.gpr[6];
  g[REG_EDI] = current.gpr[7];
  g[REG_EIP] = CODE_ENTRY;
  g[REG_EFL] = current.eflags;
  g[REG_FS] = current.fs;
  g[REG_GS] = current.gs;
  /*
   * On an x86-64 kernel the ia32 sigreturn rebuilds the x87 state from the
   * fsave-format header (convert_to_fxsr), so writing the fnsave image there is
   * enough; the xsave header must mark x87 and SSE as present, or XRSTOR
   * would load their init state instead.
   */
  uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;
  if (!fp) fail("no fpstate in the signal frame\n");
  memcpy(fp, current.fpu, FNSAVE_BYTES);
  uint32_t magic1;
  memcpy(&magic1, fp + SW_RESERVED_OFFSET, 4);
  if (magic1 == 0x46505853u) {
    uint64_t xstate_bv;
    memcpy(&xstate_bv, fp + XSTATE_BV_OFFSET, 8);
    xstate_bv |= 3;
    memcpy(fp + XSTATE_BV_OFFSET, &xstate_bv, 8);
  }
}

static void record(int signo, siginfo_t *info, ucontext_t *uc) {
  greg_t *g = uc->uc_mcontext.gregs;
  result.magic = RESULT_MAGIC;
  result.gpr[0] = g[REG_EAX];
  result.gpr[1] = g[REG_ECX];
  result.gpr[2] = g[REG_EDX];
  result.gpr[3] = g[REG_EBX];
  result.gpr[4] = g[REG_ESP];
  result.gpr[5] = g[REG_EBP];
  result.gpr[6] = g[REG_ESI];
  result.gpr[7] = g[REG_EDI];
  result.eip = g[REG_EIP];
  result.eflags = g[REG_EFL];
  result.es = g[REG_ES];
  result.ds = g[REG_DS];
  result.fs = g[REG_FS];
  result.gs = g[REG_GS];
  result.signo = signo;
  result.si_code = info->si_code;
  result.trapno = g[REG_TRAPNO];
  result.err = g[REG_ERR];
  result.cr2 = uc->uc_mcontext.cr2;
  memcpy(result.fpu, uc->uc_mcontext.fpregs, FNSAVE_BYTES);

  const uint8_t *region = (const uint8_t *)DATA_BASE;
  uint32_t hash = 0x811c9dc5u, count = 0;
  for (uint32_t i = 0; i < DATA_BYTES; i++) {
    hash = (hash ^ region[i]) * 0x01000193u;
    if (region[i] != expected[i]) {
      if (count < MAX_DIFFS) result.diffs[count] = i | (uint32_t)region[i] << 24;
      count++;
    }
  }
  for (uint32_t i = count; i < MAX_DIFFS; i++) result.diffs[i] = 0;
  result.diff_count = count;
  result.region_hash = hash;
}

void harness_signal_handler(int signo, siginfo_t *info, void *context) __attribute__((used));
void harness_signal_handler(int signo, siginfo_t *info, void *context) {
  ucontext_t *uc = context;
  if (phase == ARMING && signo == SIGUSR1) {
    arm(uc);
    phase = RUNNING;
    return;
  }
  if (phase == RUNNING) {
    record(signo, info, uc);
    /* The watchdog: the instruction did not stop (a generator bug, e.g. a jump to itself). */
    if (signo == SIGALRM) result.trapno = 0xffffffffu;
    phase = IDLE;
    siglongjmp(resume, 1);
  }
  fail("cpu-harness: unexpected signal in the harness itself\n");
}

static void setup(struct harness_hello *hello) {
  if (mmap((void *)CODE_BASE, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != (void *)CODE_BASE)
    fail("cannot map the code page\n");
  memset((void *)CODE_BASE, 0xcc, 4096);
  if (mmap((void *)DATA_BASE, DATA_BYTES, PROT_READ | PROT_WRITE,
           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != (void *)DATA_BASE)
    fail("cannot map the data region\n");

  struct user_desc tls = {
      .entry_number = (unsigned)-1, .base_addr = TLS_BASE, .limit = 0xfffff, .seg_32bit = 1,
      .contents = 0, .read_exec_only = 0, .limit_in_pages = 1, .seg_not_present = 0, .useable = 1,
  };
  if (syscall(SYS_set_thread_area, &tls) != 0) fail("set_thread_area failed\n");
  hello->tls_entry = tls.entry_number;

  __asm__ volatile("movw %%gs, %0" : "=r"(harness_host_gs));

  static uint8_t alternate_stack[256 * 1024] __attribute__((aligned(16)));
  stack_t ss = {.ss_sp = alternate_stack, .ss_size = sizeof alternate_stack, .ss_flags = 0};
  if (sigaltstack(&ss, NULL)) fail("sigaltstack failed\n");
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = harness_signal_entry;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&action.sa_mask);
  const int signals[] = {SIGUSR1, SIGTRAP, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGALRM};
  for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++)
    if (sigaction(signals[i], &action, NULL)) fail("sigaction failed\n");
}

int main(void) {
  static char input_buffer[1 << 16], output_buffer[1 << 16];
  setvbuf(stdin, input_buffer, _IOFBF, sizeof input_buffer);
  setvbuf(stdout, output_buffer, _IOFBF, sizeof output_buffer);
  struct harness_hello hello = {HELLO_MAGIC, 0, sizeof(struct harness_case), sizeof(struct harness_result)};
  setup(&hello);
  fwrite(&hello, sizeof hello, 1, stdout);

  while (fread(&current, sizeof current, 1, stdin) == 1) {
    if (current.magic != CASE_MAGIC) fail("cpu-harness: bad case record\n");
    build_expected();
    load_data_region();
    load_code();
    if (sigsetjmp(resume, 1) == 0) {
      phase = ARMING;
      alarm(2);
      clear_sticky_flags();
      raise(SIGUSR1);
      fail("cpu-harness: the test state was not entered\n");
    }
    alarm(0);
    fwrite(&result, sizeof result, 1, stdout);
  }
  fflush(stdout);
  return 0;
}
