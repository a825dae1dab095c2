/* Arguments, environment and the auxiliary vector as a static program sees them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char **argv, char **envp) {
  printf("argc=%d\n", argc);
  for (int i = 1; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
  printf("KTEST=%s\n", getenv("KTEST") ? getenv("KTEST") : "(unset)");
  printf("pagesz=%lu clktck=%lu secure=%lu\n", getauxval(AT_PAGESZ), getauxval(AT_CLKTCK), getauxval(AT_SECURE));
  printf("platform=%s\n", (const char *)getauxval(AT_PLATFORM));
  printf("phent=%lu phnum_nonzero=%d entry_nonzero=%d\n", getauxval(AT_PHENT), getauxval(AT_PHNUM) > 0, getauxval(AT_ENTRY) != 0);
  printf("execfn_ends_with_args=%d\n", strstr((const char *)getauxval(AT_EXECFN), "args") != NULL);
  printf("stack_aligned=%d\n", ((unsigned long)argv - 4) % 16 == 0);
  (void)envp;
  return 7;
}
