/*
 * lockstep-tracer: runs an i386 program under ptrace and serves the lockstep
 * driver (src/system/lockstep/) over stdin/stdout with a binary protocol.
 *
 *   lockstep-tracer [--stdin FILE] [--stdout FILE] -- PROGRAM ARGS...
 *
 * The child runs with ASLR disabled (personality ADDR_NO_RANDOMIZE) and stops
 * at its first instruction after execve. Each request is one command byte and
 * little-endian u32 arguments; each response is i32 status, u32 length, then
 * `length` payload bytes. The commands are listed in main() and documented in
 * src/system/lockstep/tracer-client.ts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include <asm/ldt.h>

#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif
#define SYSCALL_INFO_ENTRY 1
#define SYSCALL_INFO_EXIT 2

enum { EVENT_SYSCALL_ENTRY = 1, EVENT_SYSCALL_EXIT = 2, EVENT_SIGNAL = 3, EVENT_EXITED = 4,
       EVENT_KILLED = 5, EVENT_TRAP = 6 };

static pid_t child;
static int memory_fd = -1;
static int child_gone;

static void die(const char *what) {
  fprintf(stderr, "lockstep-tracer: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void read_exact(void *buffer, size_t length) {
  uint8_t *p = buffer;
  while (length > 0) {
    ssize_t n = read(0, p, length);
    if (n == 0) exit(0); /* the driver went away */
    if (n < 0) { if (errno == EINTR) continue; die("read request"); }
    p += n; length -= (size_t)n;
  }
}

static void write_exact(const void *buffer, size_t length) {
  const uint8_t *p = buffer;
  while (length > 0) {
    ssize_t n = write(1, p, length);
    if (n < 0) { if (errno == EINTR) continue; die("write response"); }
    p += n; length -= (size_t)n;
  }
}

static void respond(int32_t status, const void *payload, uint32_t length) {
  uint32_t header[2] = { (uint32_t)status, length };
  write_exact(header, sizeof header);
  if (length > 0) write_exact(payload, length);
}

static uint32_t read_u32(void) {
  uint32_t value;
  read_exact(&value, 4);
  return value;
}

static void open_memory(void) {
  char path[64];
  if (memory_fd >= 0) close(memory_fd);
  snprintf(path, sizeof path, "/proc/%d/mem", (int)child);
  memory_fd = open(path, O_RDWR);
  if (memory_fd < 0) die("open /proc/pid/mem");
}

/* Waits for the next stop of the child and classifies it. */
static void wait_and_report(void) {
  int status;
  if (waitpid(child, &status, __WALL) < 0) die("waitpid");
  uint32_t event[2] = { 0, 0 };
  if (WIFEXITED(status)) {
    event[0] = EVENT_EXITED; event[1] = (uint32_t)WEXITSTATUS(status); child_gone = 1;
  } else if (WIFSIGNALED(status)) {
    event[0] = EVENT_KILLED; event[1] = (uint32_t)WTERMSIG(status); child_gone = 1;
  } else if (WIFSTOPPED(status) && WSTOPSIG(status) == (SIGTRAP | 0x80)) {
    uint8_t info[88];
    memset(info, 0, sizeof info);
    if (ptrace(PTRACE_GET_SYSCALL_INFO, child, (void *)sizeof info, info) < 0) die("PTRACE_GET_SYSCALL_INFO");
    event[0] = info[0] == SYSCALL_INFO_ENTRY ? EVENT_SYSCALL_ENTRY : EVENT_SYSCALL_EXIT;
  } else if (WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP) {
    event[0] = EVENT_TRAP; event[1] = (uint32_t)(status >> 16);
    if (event[1] == PTRACE_EVENT_EXEC) open_memory(); /* the old /proc/PID/mem still names the old mm */
  } else if (WIFSTOPPED(status)) {
    event[0] = EVENT_SIGNAL; event[1] = (uint32_t)WSTOPSIG(status);
  }
  respond(0, event, sizeof event);
}

static void resume(enum __ptrace_request request) {
  uint32_t signal = read_u32();
  if (child_gone) { respond(-ESRCH, NULL, 0); return; }
  if (ptrace(request, child, NULL, (void *)(uintptr_t)signal) < 0) { respond(-errno, NULL, 0); return; }
  wait_and_report();
}

/* Registers in the driver's order: eax ecx edx ebx esp ebp esi edi eip eflags orig_eax es cs ss ds fs gs,
 * then three TLS descriptors (struct user_desc, entry_number = ~0 when absent). */
static void get_registers(void) {
  struct user_regs_struct r;
  if (ptrace(PTRACE_GETREGS, child, NULL, &r) < 0) { respond(-errno, NULL, 0); return; }
  uint32_t out[17 + 12];
  uint32_t regs[17] = { (uint32_t)r.eax, (uint32_t)r.ecx, (uint32_t)r.edx, (uint32_t)r.ebx, (uint32_t)r.esp,
    (uint32_t)r.ebp, (uint32_t)r.esi, (uint32_t)r.edi, (uint32_t)r.eip, (uint32_t)r.eflags, (uint32_t)r.orig_eax,
    (uint32_t)r.xes, (uint32_t)r.xcs, (uint32_t)r.xss, (uint32_t)r.xds, (uint32_t)r.xfs, (uint32_t)r.xgs };
  memcpy(out, regs, sizeof regs);
  /* The TLS slots are GDT 12..14 under a 64-bit kernel, 6..8 under a 32-bit one. */
  int first = 12;
  struct user_desc probe;
  if (ptrace(PTRACE_GET_THREAD_AREA, child, (void *)12, &probe) < 0) first = 6;
  for (int i = 0; i < 3; i++) {
    struct user_desc d;
    memset(&d, 0, sizeof d);
    if (ptrace(PTRACE_GET_THREAD_AREA, child, (void *)(uintptr_t)(first + i), &d) < 0) d.entry_number = ~0u;
    memcpy(&out[17 + i * 4], &d, 16);
  }
  respond(0, out, sizeof out);
}

static void set_registers(void) {
  uint32_t in[17];
  read_exact(in, sizeof in);
  struct user_regs_struct r;
  if (ptrace(PTRACE_GETREGS, child, NULL, &r) < 0) { respond(-errno, NULL, 0); return; }
  r.eax = in[0]; r.ecx = in[1]; r.edx = in[2]; r.ebx = in[3]; r.esp = in[4]; r.ebp = in[5];
  r.esi = in[6]; r.edi = in[7]; r.eip = in[8]; r.eflags = in[9]; r.orig_eax = in[10];
  if (ptrace(PTRACE_SETREGS, child, NULL, &r) < 0) { respond(-errno, NULL, 0); return; }
  respond(0, NULL, 0);
}

/* The x87 state in the 108-byte fnsave layout (struct user_i387_struct). */
static void get_fpu(void) {
  struct user_fpregs_struct f;
  if (ptrace(PTRACE_GETFPREGS, child, NULL, &f) < 0) { respond(-errno, NULL, 0); return; }
  respond(0, &f, sizeof f);
}

static void read_memory(void) {
  uint32_t address = read_u32(), length = read_u32();
  uint8_t *buffer = calloc(1, length ? length : 1);
  if (buffer == NULL) die("calloc");
  uint32_t done = 0;
  while (done < length) {
    ssize_t n = pread(memory_fd, buffer + done, length - done, (off_t)address + done);
    if (n <= 0) break;
    done += (uint32_t)n;
  }
  respond((int32_t)done, buffer, length);
  free(buffer);
}

static void write_memory(void) {
  uint32_t address = read_u32(), length = read_u32();
  uint8_t *buffer = malloc(length ? length : 1);
  if (buffer == NULL) die("malloc");
  read_exact(buffer, length);
  ssize_t n = pwrite(memory_fd, buffer, length, (off_t)address);
  respond(n < 0 ? -errno : (int32_t)n, NULL, 0);
  free(buffer);
}

/* What the trace command must not step over: the driver handles these itself. */
enum { KIND_OTHER = 0, KIND_SPECIAL = 1, KIND_REP_STRING = 2 };
static int is_prefix(uint8_t b) {
  return b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65 || b == 0x66 || b == 0x67 ||
         b == 0xf0 || b == 0xf2 || b == 0xf3;
}
static int classify(const uint8_t *code, int *x87) {
  int i = 0, rep = 0;
  while (i < 14 && is_prefix(code[i])) { if (code[i] == 0xf2 || code[i] == 0xf3) rep = 1; i++; }
  uint8_t op = code[i], next = code[i + 1];
  *x87 = (op >= 0xd8 && op <= 0xdf) || op == 0x9b;
  if (op == 0xcc) return KIND_SPECIAL;                                   /* a planted breakpoint */
  if (op == 0xcd && next == 0x80) return KIND_SPECIAL;                   /* int 0x80 */
  if (op == 0x0f && (next == 0x34 || next == 0x05 || next == 0xa2 || next == 0x31)) return KIND_SPECIAL;
  if (rep && ((op >= 0x6c && op <= 0x6f) || (op >= 0xa4 && op <= 0xa7) || (op >= 0xaa && op <= 0xaf))) return KIND_REP_STRING;
  return KIND_OTHER;
}

static uint32_t checksum(const uint8_t *bytes, size_t length) {
  uint32_t hash = 2166136261u;
  for (size_t i = 0; i < length; i++) hash = (hash ^ bytes[i]) * 16777619u;
  return hash;
}

static void put_registers(uint32_t *out, const struct user_regs_struct *r) {
  uint32_t regs[17] = { (uint32_t)r->eax, (uint32_t)r->ecx, (uint32_t)r->edx, (uint32_t)r->ebx, (uint32_t)r->esp,
    (uint32_t)r->ebp, (uint32_t)r->esi, (uint32_t)r->edi, (uint32_t)r->eip, (uint32_t)r->eflags, (uint32_t)r->orig_eax,
    (uint32_t)r->xes, (uint32_t)r->xcs, (uint32_t)r->xss, (uint32_t)r->xds, (uint32_t)r->xfs, (uint32_t)r->xgs };
  memcpy(out, regs, sizeof regs);
}

/*
 * 't' MAX_STEPS PAGE_COUNT PAGE...: single-steps up to MAX_STEPS instructions
 * without a round trip per step, stopping before an instruction the driver
 * handles itself (syscall entry, cpuid, rdtsc, a breakpoint). A rep string
 * instruction is stepped until eip moves and counts once. Payload: u32 count,
 * u32 stop (0 limit, 1 special instruction, 2 other stop + event kind, value),
 * then per instruction: u32 mask, 17 registers, the 108-byte x87 state if
 * mask bit 31 (an x87 instruction), and each watched page whose bit is set
 * (its contents changed, or first record).
 */
static void trace_steps(void) {
  uint32_t max_steps = read_u32(), page_count = read_u32();
  uint32_t pages[8], sums[8];
  if (page_count > 8) page_count = 8;
  for (uint32_t i = 0; i < page_count; i++) pages[i] = read_u32();
  size_t capacity = 1 << 20, used = 16;
  uint8_t *out = malloc(capacity);
  uint8_t page[4096];
  uint32_t count = 0, stop = 0, event[2] = { 0, 0 };
  if (out == NULL) die("malloc");
  while (count < max_steps) {
    struct user_regs_struct r;
    uint8_t code[16];
    memset(code, 0, sizeof code);
    if (ptrace(PTRACE_GETREGS, child, NULL, &r) < 0) die("PTRACE_GETREGS");
    if (pread(memory_fd, code, sizeof code, (off_t)(uint32_t)r.eip) <= 0) { stop = 2; break; }
    int x87;
    int kind = classify(code, &x87);
    if (kind == KIND_SPECIAL) { stop = 1; break; }
    uint32_t start_eip = (uint32_t)r.eip;
    int status;
    for (;;) {
      if (ptrace(PTRACE_SINGLESTEP, child, NULL, NULL) < 0) die("PTRACE_SINGLESTEP");
      if (waitpid(child, &status, __WALL) < 0) die("waitpid");
      if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP) break;
      if (kind != KIND_REP_STRING) break;
      if (ptrace(PTRACE_GETREGS, child, NULL, &r) < 0) die("PTRACE_GETREGS");
      if ((uint32_t)r.eip != start_eip) break;
    }
    if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP) {
      stop = 2;
      if (WIFEXITED(status)) { event[0] = EVENT_EXITED; event[1] = (uint32_t)WEXITSTATUS(status); child_gone = 1; }
      else if (WIFSIGNALED(status)) { event[0] = EVENT_KILLED; event[1] = (uint32_t)WTERMSIG(status); child_gone = 1; }
      else { event[0] = EVENT_SIGNAL; event[1] = (uint32_t)WSTOPSIG(status); }
      break;
    }
    if (ptrace(PTRACE_GETREGS, child, NULL, &r) < 0) die("PTRACE_GETREGS");
    size_t need = 4 + 68 + 108 + page_count * 4096;
    if (used + need > capacity) { capacity *= 2; out = realloc(out, capacity); if (out == NULL) die("realloc"); }
    uint32_t mask = x87 ? 0x80000000u : 0;
    size_t mask_at = used;
    used += 4;
    put_registers((uint32_t *)(out + used), &r);
    used += 68;
    if (x87) {
      struct user_fpregs_struct f;
      if (ptrace(PTRACE_GETFPREGS, child, NULL, &f) < 0) die("PTRACE_GETFPREGS");
      memcpy(out + used, &f, 108);
      used += 108;
    }
    for (uint32_t i = 0; i < page_count; i++) {
      memset(page, 0, sizeof page);
      if (pread(memory_fd, page, sizeof page, (off_t)pages[i]) < 0) continue;
      uint32_t sum = checksum(page, sizeof page);
      if (count == 0 || sum != sums[i]) {
        sums[i] = sum;
        mask |= 1u << i;
        memcpy(out + used, page, sizeof page);
        used += sizeof page;
      }
    }
    memcpy(out + mask_at, &mask, 4);
    count++;
  }
  uint32_t header[4] = { count, stop, event[0], event[1] };
  memcpy(out, header, sizeof header);
  respond(0, out, (uint32_t)used);
  free(out);
}

static void read_proc_file(void) {
  uint32_t which = read_u32();
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/%s", (int)child, which == 0 ? "maps" : "status");
  int fd = open(path, O_RDONLY);
  if (fd < 0) { respond(-errno, NULL, 0); return; }
  size_t capacity = 65536, used = 0;
  char *text = malloc(capacity);
  for (;;) {
    if (used == capacity) { capacity *= 2; text = realloc(text, capacity); }
    if (text == NULL) die("realloc");
    ssize_t n = read(fd, text + used, capacity - used);
    if (n <= 0) break;
    used += (size_t)n;
  }
  close(fd);
  respond(0, text, (uint32_t)used);
  free(text);
}

static void start_child(char **argv, const char *stdin_path, const char *stdout_path) {
  child = fork();
  if (child < 0) die("fork");
  if (child == 0) {
    int in = open(stdin_path, O_RDONLY);
    int out = stdout_path ? open(stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0644) : dup(2);
    if (in < 0 || out < 0) die("open child stdio");
    dup2(in, 0); dup2(out, 1);
    close(in); close(out);
    personality((unsigned long)personality(0xffffffff) | ADDR_NO_RANDOMIZE);
    if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0) die("PTRACE_TRACEME");
    execv(argv[0], argv);
    fprintf(stderr, "lockstep-tracer: execv %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  int status;
  if (waitpid(child, &status, 0) < 0) die("waitpid");
  if (!WIFSTOPPED(status)) { respond(-ENOEXEC, NULL, 0); exit(1); }
  if (ptrace(PTRACE_SETOPTIONS, child, NULL, (void *)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACEEXEC)) < 0)
    die("PTRACE_SETOPTIONS");
  open_memory();
  respond((int32_t)child, NULL, 0);
}

int main(int argc, char **argv) {
  const char *stdin_path = "/dev/null", *stdout_path = NULL;
  int i = 1;
  for (; i < argc; i++) {
    if (strcmp(argv[i], "--stdin") == 0 && i + 1 < argc) stdin_path = argv[++i];
    else if (strcmp(argv[i], "--stdout") == 0 && i + 1 < argc) stdout_path = argv[++i];
    else if (strcmp(argv[i], "--") == 0) { i++; break; }
    else break;
  }
  if (i >= argc) {
    fprintf(stderr, "usage: lockstep-tracer [--stdin FILE] [--stdout FILE] -- PROGRAM ARGS...\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  start_child(argv + i, stdin_path, stdout_path);
  for (;;) {
    uint8_t command;
    read_exact(&command, 1);
    switch (command) {
      case 'c': resume(PTRACE_SYSCALL); break;
      case 's': resume(PTRACE_SINGLESTEP); break;
      case 'r': get_registers(); break;
      case 'w': set_registers(); break;
      case 'g': get_fpu(); break;
      case 't': trace_steps(); break;
      case 'm': read_memory(); break;
      case 'p': write_memory(); break;
      case 'f': read_proc_file(); break;
      case 'k': {
        uint32_t signal_number = read_u32();
        respond(kill(child, (int)signal_number) < 0 ? -errno : 0, NULL, 0);
        break;
      }
      case 'q':
        if (!child_gone) { kill(child, SIGKILL); waitpid(child, NULL, __WALL); }
        respond(0, NULL, 0);
        return 0;
      default:
        fprintf(stderr, "lockstep-tracer: unknown command %d\n", command);
        return 1;
    }
  }
}
