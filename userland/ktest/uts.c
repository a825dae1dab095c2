/*
 * The system's names: sethostname(2), setdomainname(2), uname(2) and
 * /proc/sys/kernel/{hostname,domainname}. Natively it must run in its own UTS
 * namespace (`unshare --uts`), so that it never renames the host; it prints
 * nothing before it has set the names itself, so both runs print the same.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *step) {
    struct utsname names;
    char host[128] = "";
    char proc[128] = "";
    uname(&names);
    gethostname(host, sizeof host);
    int fd = open("/proc/sys/kernel/hostname", O_RDONLY);
    if (fd >= 0) {
        ssize_t n = read(fd, proc, sizeof proc - 1);
        if (n > 0) proc[n] = 0;
        close(fd);
    }
    printf("%s: sysname=%s nodename=[%s] domainname=[%s] gethostname=[%s] proc=[%s]", step,
           names.sysname, names.nodename, names.domainname, host, proc);
    printf("\n");
}

static void result(const char *what, long value) {
    printf("%s = %ld errno=%s\n", what, value, value < 0 ? strerror(errno) : "-");
    errno = 0;
}

int main(void) {
    char longest[65];
    memset(longest, 'h', 64);
    longest[64] = 0;

    result("sethostname(ktest-host)", syscall(SYS_sethostname, "ktest-host", 10));
    result("setdomainname(example.test)", syscall(SYS_setdomainname, "example.test", 12));
    show("set");
    result("sethostname(len 65)", syscall(SYS_sethostname, longest, 65));
    result("sethostname(len -1)", syscall(SYS_sethostname, "x", -1));
    result("sethostname(bad pointer)", syscall(SYS_sethostname, (char *)16, 5));
    show("unchanged");
    result("sethostname(len 64)", syscall(SYS_sethostname, longest, 64));
    show("longest");
    result("sethostname(embedded NUL)", syscall(SYS_sethostname, "ab\0cd", 5));
    show("embedded");
    result("sethostname(len 0)", syscall(SYS_sethostname, "ignored", 0));
    show("empty");

    int fd = open("/proc/sys/kernel/hostname", O_WRONLY);
    if (fd >= 0) {
        result("write /proc/sys/kernel/hostname", write(fd, "from-proc\n", 10));
        close(fd);
    }
    show("proc");

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        /* An unprivileged caller: EPERM, checked before the length. */
        setuid(65534);
        result("sethostname as nobody", syscall(SYS_sethostname, "nobody", 6));
        result("sethostname as nobody (len 100)", syscall(SYS_sethostname, "nobody", 100));
        result("setdomainname as nobody", syscall(SYS_setdomainname, "nobody", 6));
        show("child");
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    show("after child");
    return 0;
}
