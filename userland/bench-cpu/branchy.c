/*
 * Branch-heavy benchmark: a bytecode interpreter (switch dispatch) running a
 * Collatz-length program, recursive n-queens counting, and naive recursive
 * Fibonacci. All three are dominated by conditional and indirect branches,
 * calls and returns. Prints one checksum per part.
 */
#include "runtime.h"

const u32 bench_default_scale = 75;

/* The interpreter's instruction set: a tiny accumulator machine with 8 registers. */
enum { OP_LOADI, OP_MOV, OP_ADD, OP_ADDI, OP_SHR1, OP_MUL3ADD1, OP_JZ_EVEN, OP_JNE, OP_JMP, OP_ANDI, OP_HALT };

typedef struct {
  u8 op, a, b;
  i32 immediate;
} Instruction;

/* r0 = n; r1 = steps; loop: if r0 == 1 halt; if even r0 >>= 1 else r0 = 3 r0 + 1; r1++. */
static const Instruction collatz_program[] = {
    {OP_LOADI, 1, 0, 0},      /* 0: r1 = 0 */
    {OP_LOADI, 2, 0, 1},      /* 1: r2 = 1 */
    {OP_JNE, 0, 2, 4},        /* 2: if r0 != r2 goto 4 */
    {OP_HALT, 0, 0, 0},       /* 3 */
    {OP_JZ_EVEN, 0, 0, 7},    /* 4: if r0 even goto 7 */
    {OP_MUL3ADD1, 0, 0, 0},   /* 5: r0 = 3 r0 + 1 */
    {OP_JMP, 0, 0, 8},        /* 6 */
    {OP_SHR1, 0, 0, 0},       /* 7: r0 >>= 1 */
    {OP_ADDI, 1, 0, 1},       /* 8: r1++ */
    {OP_JMP, 0, 0, 2},        /* 9 */
};

static u32 interpret(const Instruction *program, u32 input) {
  u32 registers[8] = {input, 0, 0, 0, 0, 0, 0, 0};
  u32 pc = 0;
  for (;;) {
    const Instruction *instruction = &program[pc++];
    switch (instruction->op) {
      case OP_LOADI: registers[instruction->a] = (u32)instruction->immediate; break;
      case OP_MOV: registers[instruction->a] = registers[instruction->b]; break;
      case OP_ADD: registers[instruction->a] += registers[instruction->b]; break;
      case OP_ADDI: registers[instruction->a] += (u32)instruction->immediate; break;
      case OP_SHR1: registers[instruction->a] >>= 1; break;
      case OP_MUL3ADD1: registers[instruction->a] = registers[instruction->a] * 3 + 1; break;
      case OP_JZ_EVEN: if ((registers[instruction->a] & 1) == 0) pc = (u32)instruction->immediate; break;
      case OP_JNE: if (registers[instruction->a] != registers[instruction->b]) pc = (u32)instruction->immediate; break;
      case OP_JMP: pc = (u32)instruction->immediate; break;
      case OP_ANDI: registers[instruction->a] &= (u32)instruction->immediate; break;
      case OP_HALT: return registers[1];
      default: return 0xffffffffu;
    }
  }
}

static u32 queens(u32 size, u32 row, u32 columns, u32 diagonals, u32 anti_diagonals) {
  if (row == size) return 1;
  u32 count = 0;
  for (u32 column = 0; column < size; column++) {
    u32 diagonal = row + column, anti_diagonal = row + size - column;
    if ((columns >> column) & 1) continue;
    if ((diagonals >> diagonal) & 1) continue;
    if ((anti_diagonals >> anti_diagonal) & 1) continue;
    count += queens(size, row + 1, columns | (1u << column), diagonals | (1u << diagonal),
                    anti_diagonals | (1u << anti_diagonal));
  }
  return count;
}

static u32 fibonacci(u32 n) { return n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2); }

void bench_main(u32 scale) {
  u32 interpreter_sum = 0, queens_sum = 0, fibonacci_sum = 0;
  for (u32 round = 0; round < scale; round++) {
    for (u32 n = 1; n <= 3000; n++) interpreter_sum = interpreter_sum * 7 + interpret(collatz_program, n + round);
    queens_sum = queens_sum * 3 + queens(8 + (round & 1), 0, 0, 0, 0);
    fibonacci_sum += fibonacci(20 + (round & 3));
  }
  print_checksum32("interpreter", interpreter_sum);
  print_checksum32("queens", queens_sum);
  print_checksum32("fibonacci", fibonacci_sum);
}
