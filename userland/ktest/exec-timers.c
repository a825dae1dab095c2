/*
 * What timers survive execve (fs/exec.c): POSIX timers are deleted (exit_itimers),
 * setitimer's ITIMER_REAL is kept. The first image arms both and execs itself; the
 * new image says which signals still arrive.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms, usr1s;
static void on_alarm(int signal) { (void)signal; alarms++; }
static void on_usr1(int signal) { (void)signal; usr1s++; }

int main(int argc, char **argv) {
    if (argc > 1) {
        signal(SIGALRM, on_alarm);
        signal(SIGUSR1, on_usr1);
        struct timespec wait = {0, 300 * 1000 * 1000};
        while (nanosleep(&wait, &wait) != 0) {}
        printf("after exec: SIGALRM from the kept itimer %s, SIGUSR1 from the deleted POSIX timer %s\n",
               alarms ? "arrived" : "missing", usr1s ? "arrived" : "absent");
        timer_t probe;
        struct sigevent none = { .sigev_notify = SIGEV_NONE };
        /* The table starts empty again: the first id glibc hands out is the kernel's first. */
        printf("timer_create after exec: %d\n", timer_create(CLOCK_MONOTONIC, &none, &probe));
        return 0;
    }
    timer_t id;
    struct sigevent event;
    memset(&event, 0, sizeof event);
    event.sigev_notify = SIGEV_SIGNAL;
    event.sigev_signo = SIGUSR1;
    timer_create(CLOCK_MONOTONIC, &event, &id);
    struct itimerspec every = {{0, 20 * 1000 * 1000}, {0, 20 * 1000 * 1000}};
    timer_settime(id, 0, &every, NULL);
    struct itimerval once = {{0, 0}, {0, 100 * 1000}};
    setitimer(ITIMER_REAL, &once, NULL);
    fflush(stdout);
    execl(argv[0], argv[0], "exec", (char *)NULL);
    perror("execl");
    return 1;
}
