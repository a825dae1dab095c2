/*
 * fpu-check: runs one x87 instruction per input line on the real FPU and
 * prints the state after it, for the differential test src/machine/cpu/fpu/x87.test.ts.
 *
 * Input line:  <fnsave image, 108 bytes hex> <eflags hex> <memory, 112 bytes hex> <instruction bytes hex>
 * Output line: <fnsave image after, 108 bytes hex> <eflags hex> <eax hex> <memory after hex> <vector>
 *
 * The instruction is copied to CODE_ADDRESS followed by `ret` and called with
 * eax = DATA_ADDRESS, so memory forms use ModRM [eax]. The state is set with
 * frstor and read back with fnsave (both no-wait, Intel SDM 1 §8.1.10). If the
 * instruction raises #MF (SIGFPE) the state printed is the one the kernel saved
 * in the signal frame and vector is 16.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#define CODE_ADDRESS 0x10000000u
#define DATA_ADDRESS 0x20000000u
#define MEMORY_SIZE 112

struct run_state {
    uint8_t fpu_in[108];
    uint8_t fpu_out[108];
    uint32_t eflags_in, eflags_out, eax_out;
};

static sigjmp_buf fault_jump;
static uint8_t fault_image[108];

static void on_sigfpe(int signal_number, siginfo_t *info, void *context) {
    (void)signal_number; (void)info;
    ucontext_t *uc = context;
    /* i386 mcontext: fpregs points to the fnsave-format _libc_fpstate (cw, sw, tag, ipoff,
     * cssel, dataoff, datasel as 32-bit words, then 8 registers of 10 bytes). */
    memcpy(fault_image, uc->uc_mcontext.fpregs, 108);
    siglongjmp(fault_jump, 1);
}

static void run(struct run_state *s) {
    __asm__ volatile(
        "pushl %%ebx\n\t"
        "pushl %%ebp\n\t"
        "movl %0, %%ebx\n\t"
        "frstor (%%ebx)\n\t"
        "pushl 216(%%ebx)\n\t"
        "popfl\n\t"
        "movl $0x20000000, %%eax\n\t"
        "movl $0x10000000, %%ecx\n\t"
        "call *%%ecx\n\t"
        "pushfl\n\t"
        "popl 220(%%ebx)\n\t"
        "movl %%eax, 224(%%ebx)\n\t"
        "fnsave 108(%%ebx)\n\t"
        "fninit\n\t"
        "popl %%ebp\n\t"
        "popl %%ebx\n\t"
        : : "r"(s) : "eax", "ecx", "edx", "esi", "edi", "memory", "cc");
}

static int hex_value(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static size_t parse_hex(const char *text, uint8_t *out, size_t limit) {
    size_t n = 0;
    while (n < limit && hex_value(text[0]) >= 0 && hex_value(text[1]) >= 0) {
        out[n++] = (uint8_t)(hex_value(text[0]) * 16 + hex_value(text[1]));
        text += 2;
    }
    return n;
}

static void print_hex(const uint8_t *bytes, size_t n) {
    for (size_t i = 0; i < n; i++) printf("%02x", bytes[i]);
}

int main(void) {
    uint8_t *code = mmap((void *)CODE_ADDRESS, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    uint8_t *data = mmap((void *)DATA_ADDRESS, 4096, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (code == MAP_FAILED || data == MAP_FAILED) { perror("mmap"); return 1; }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_sigfpe;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGFPE, &action, NULL);

    static char line[4096];
    static struct run_state state;
    while (fgets(line, sizeof line, stdin)) {
        char image_hex[300], eflags_hex[16], memory_hex[300], code_hex[64];
        if (sscanf(line, "%299s %15s %299s %63s", image_hex, eflags_hex, memory_hex, code_hex) != 4) {
            printf("bad input\n");
            continue;
        }
        memset(&state, 0, sizeof state);
        parse_hex(image_hex, state.fpu_in, 108);
        state.eflags_in = (uint32_t)strtoul(eflags_hex, NULL, 16);
        memset(data, 0, MEMORY_SIZE);
        parse_hex(memory_hex, data, MEMORY_SIZE);
        size_t code_length = parse_hex(code_hex, code, 15);
        code[code_length] = 0xc3;
        volatile int vector = 0;
        if (sigsetjmp(fault_jump, 1) == 0) {
            run(&state);
        } else {
            vector = 16;
            memcpy(state.fpu_out, fault_image, 108);
            __asm__ volatile("fninit");
        }
        print_hex(state.fpu_out, 108);
        printf(" %08x %08x ", state.eflags_out, state.eax_out);
        print_hex(data, MEMORY_SIZE);
        printf(" %d\n", vector);
    }
    return 0;
}
