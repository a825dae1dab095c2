/*
 * Real-time signals queue (kernel/signal.c __send_signal, legacy_queue): every
 * sigqueue/kill of a real-time signal is delivered, in order, each with its own
 * value; a standard signal sent twice while blocked arrives once, with the first
 * siginfo. Lower numbers first. sigtimedwait takes one instance at a time.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int order[64], values[64], codes[64], seen;

static void handler(int signal, siginfo_t *info, void *context) {
    (void)context;
    if (seen < 64) {
        order[seen] = signal;
        values[seen] = info->si_value.sival_int;
        codes[seen] = info->si_code;
        seen++;
    }
}

static void send(int signal, int value) {
    union sigval v = { .sival_int = value };
    if (sigqueue(getpid(), signal, v) != 0) perror("sigqueue");
}

int main(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = handler;
    action.sa_flags = SA_SIGINFO;
    sigset_t set;
    sigemptyset(&set);
    int signals[] = { SIGUSR1, SIGRTMIN, SIGRTMIN + 1, SIGRTMAX };
    for (unsigned i = 0; i < sizeof signals / sizeof *signals; i++) {
        sigaction(signals[i], &action, NULL);
        sigaddset(&set, signals[i]);
    }
    sigprocmask(SIG_BLOCK, &set, NULL);

    send(SIGRTMIN + 1, 21);
    send(SIGRTMIN, 1);
    send(SIGRTMAX, 99);
    send(SIGRTMIN, 2);
    send(SIGUSR1, 10);
    send(SIGUSR1, 11);
    send(SIGRTMIN + 1, 22);
    send(SIGRTMIN, 3);
    kill(getpid(), SIGRTMIN);

    sigset_t pending;
    sigpending(&pending);
    printf("pending: usr1 %d rtmin %d rtmin+1 %d rtmax %d\n", sigismember(&pending, SIGUSR1),
           sigismember(&pending, SIGRTMIN), sigismember(&pending, SIGRTMIN + 1), sigismember(&pending, SIGRTMAX));

    /* sigtimedwait takes one instance: SIGRTMIN stays pending after the first. */
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, SIGRTMIN);
    struct timespec none = { 0, 0 };
    siginfo_t info;
    int got = sigtimedwait(&only, &info, &none);
    printf("sigtimedwait: signal rtmin+%d value %d\n", got - SIGRTMIN, info.si_value.sival_int);
    sigpending(&pending);
    printf("rtmin still pending: %d\n", sigismember(&pending, SIGRTMIN));

    sigprocmask(SIG_UNBLOCK, &set, NULL);
    for (int i = 0; i < seen; i++) {
        const char *name = order[i] == SIGUSR1 ? "usr1" : order[i] == SIGRTMAX ? "rtmax" : order[i] == SIGRTMIN ? "rtmin" : "rtmin+1";
        printf("delivered %d: %s value %d code %s\n", i, name, codes[i] == SI_USER ? 0 : values[i],
               codes[i] == SI_QUEUE ? "SI_QUEUE" : codes[i] == SI_USER ? "SI_USER" : "other");
    }
    printf("%d deliveries\n", seen);
    return 0;
}
