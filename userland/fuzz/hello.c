/* The program run after fuzzing: it must start and print normally. */
#include <stdio.h>
int main(void) { printf("hello after fuzz\n"); return 0; }
