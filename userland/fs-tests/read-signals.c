/*
 * A read of a regular file is not interrupted by signals (Linux waits for the
 * disk uninterruptibly): while a child sends SIGUSR1 without pause to a handler
 * installed without SA_RESTART (on ir0 the child runs exactly while the reader
 * sleeps for the disk), reading FILE in 64 KiB chunks never fails with EINTR and
 * never comes back short before the end. Prints the byte count, an FNV-1a hash
 * of the data, the EINTR and short-read counts, and whether signals arrived (the
 * program waits for one after reading).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t signals;
static void on_signal(int signal) { (void)signal; signals++; }

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: read-signals FILE\n"); return 2; }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal; /* no SA_RESTART: an interruptible wait would end in EINTR */
    sigaction(SIGUSR1, &action, NULL);
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) { perror("open"); return 1; }
    off_t size = lseek(fd, 0, SEEK_END);
    lseek(fd, 0, SEEK_SET);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) for (;;) kill(parent, SIGUSR1);
    static unsigned char buffer[65536];
    unsigned hash = 2166136261u;
    long long total = 0;
    int interrupted = 0, short_reads = 0;
    for (;;) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) { interrupted++; continue; }
        if (n < 0) { perror("read"); return 1; }
        if (n == 0) break;
        if (n < (ssize_t)sizeof buffer && total + n < size) short_reads++;
        for (ssize_t i = 0; i < n; i++) hash = (hash ^ buffer[i]) * 16777619u;
        total += n;
    }
    while (signals == 0) pause();
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    printf("read %lld bytes, hash %08x, EINTR %d, short reads %d, signals arrived %s\n", total, hash, interrupted, short_reads, signals ? "yes" : "no");
    return 0;
}
