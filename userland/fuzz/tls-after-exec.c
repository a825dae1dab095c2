/* Reproducer found by the ELF fuzz: the parent forks a child that execs a
 * program without TLS (exit-raw: no set_thread_area) and waits; when the parent
 * runs again its %gs must still address its own TLS. On ir0 the switch back
 * (until fixed) loaded the parent's %gs selector while the GDT still held the child's empty
 * TLS entries, so %gs became null and the parent's next TLS access was a #GP
 * (Linux loads the TLS entries before the segment registers: __switch_to). */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  char *program = argc > 1 ? argv[1] : "/bin/exit-raw";
  pid_t child = fork();
  if (child == 0) {
    char *child_argv[] = { program, NULL };
    execv(program, child_argv);
    _exit(127);
  }
  int status;
  waitpid(child, &status, 0);
  printf("child status %d, parent alive\n", status);
  return 0;
}
