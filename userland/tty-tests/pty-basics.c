/* A pty driven from its master: default termios, canonical editing and echo,
 * raw mode, output processing, window size and queue ioctls. Prints what it
 * sees; run natively and on ir0, the outputs must be equal. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static int master, slave;

static void show(const char *label, const char *data, int n) {
  printf("%s [%d]:", label, n);
  for (int i = 0; i < n; i++) printf(" %02x", (unsigned char)data[i]);
  printf("\n");
}

/* Everything the master can read now (the slave's output and echoes). */
static void drain(const char *label) {
  char buffer[512];
  /* Linux moves pty data to the other side's line discipline from a work queue: let it settle. */
  usleep(50000);
  int flags = fcntl(master, F_GETFL);
  fcntl(master, F_SETFL, flags | O_NONBLOCK);
  int n = read(master, buffer, sizeof buffer);
  fcntl(master, F_SETFL, flags);
  if (n < 0) { printf("%s: errno %d\n", label, errno); return; }
  show(label, buffer, n);
}

static void type_line(const char *label, const char *keys, int count) {
  char buffer[256];
  write(master, keys, strlen(keys));
  drain("  echo");
  for (int i = 0; i < count; i++) {
    int n = read(slave, buffer, sizeof buffer);
    printf("%s read %d: ", label, n);
    show("", buffer, n < 0 ? 0 : n);
  }
}

static void dump_termios(const char *label, int fd) {
  struct termios t;
  if (tcgetattr(fd, &t) < 0) { printf("%s: tcgetattr errno %d\n", label, errno); return; }
  printf("%s: iflag %o oflag %o cflag %o lflag %o ispeed %d ospeed %d cc", label, t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag,
    (int)cfgetispeed(&t), (int)cfgetospeed(&t));
  for (int i = 0; i < 19; i++) printf(" %d", t.c_cc[i]);
  printf("\n");
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) { printf("openpt failed: %d\n", errno); return 1; }
  slave = open(ptsname(master), O_RDWR | O_NOCTTY);
  if (slave < 0) { printf("open slave failed: %d\n", errno); return 1; }
  printf("isatty master %d slave %d\n", isatty(master), isatty(slave));
  dump_termios("slave", slave);
  dump_termios("master", master);
  struct winsize size;
  ioctl(slave, TIOCGWINSZ, &size);
  printf("winsize %d %d\n", size.ws_row, size.ws_col);
  size.ws_row = 33; size.ws_col = 101;
  printf("set winsize on master %d\n", ioctl(master, TIOCSWINSZ, &size));
  memset(&size, 0, sizeof size);
  ioctl(slave, TIOCGWINSZ, &size);
  printf("slave winsize %d %d\n", size.ws_row, size.ws_col);
  int pgrp = 0;
  int result = ioctl(slave, TIOCGPGRP, &pgrp);
  printf("tcgetpgrp on a non-controlling tty: %d errno %d\n", result, errno);

  /* Canonical mode: erase, kill, word erase, literal next, reprint, EOF, control echo. */
  type_line("erase", "abc\x7f" "d\n", 1);
  type_line("kill", "hello\x15" "bye\n", 1);
  type_line("werase", "one two  \x17three\n", 1);
  type_line("lnext", "a\x16\x7f" "b\n", 1);
  type_line("reprint", "xy\x12z\n", 1);
  type_line("ctrl echo", "\x01\x1b\t\n", 1);
  type_line("eof", "xy\x04", 1);
  type_line("eof alone", "\x04", 1);
  type_line("cr", "one\rtwo\r", 2);
  int available = -1;
  write(master, "abc\ndef", 7);
  drain("  echo");
  ioctl(slave, FIONREAD, &available);
  printf("FIONREAD canonical %d\n", available);
  tcflush(slave, TCIFLUSH);
  ioctl(slave, FIONREAD, &available);
  printf("FIONREAD after flush %d\n", available);

  /* Output processing. */
  write(slave, "a\nb\r\n\tc\n", 8);
  drain("opost");
  struct termios t;
  tcgetattr(slave, &t);
  t.c_oflag |= OCRNL;
  tcsetattr(slave, TCSANOW, &t);
  write(slave, "x\ry\n", 4);
  drain("ocrnl");
  t.c_oflag &= ~OPOST;
  tcsetattr(slave, TCSANOW, &t);
  write(slave, "x\ry\n", 4);
  drain("no opost");

  /* Raw mode: VMIN/VTIME. */
  tcgetattr(slave, &t);
  cfmakeraw(&t);
  t.c_cc[VMIN] = 0; t.c_cc[VTIME] = 0;
  tcsetattr(slave, TCSANOW, &t);
  char buffer[64];
  printf("raw empty read %d\n", (int)read(slave, buffer, sizeof buffer));
  write(master, "hello\r", 6);
  drain("  raw echo");
  int n = read(slave, buffer, 3);
  show("raw read 3", buffer, n);
  n = read(slave, buffer, sizeof buffer);
  show("raw read rest", buffer, n);
  t.c_cc[VMIN] = 0; t.c_cc[VTIME] = 1;
  tcsetattr(slave, TCSANOW, &t);
  printf("raw VTIME timeout read %d\n", (int)read(slave, buffer, sizeof buffer));
  t.c_cc[VMIN] = 1; t.c_cc[VTIME] = 0;
  tcsetattr(slave, TCSANOW, &t);
  write(master, "\x03\x1a", 2);
  n = read(slave, buffer, sizeof buffer);
  show("raw control bytes", buffer, n);

  /* Back to canonical with echo off: the pending input. */
  tcgetattr(slave, &t);
  t.c_lflag |= ICANON | ISIG | IEXTEN;
  t.c_lflag &= ~ECHO;
  t.c_lflag |= ECHONL;
  tcsetattr(slave, TCSANOW, &t);
  type_line("echonl", "secret\n", 1);
  result = ioctl(slave, TIOCGPTN, &n);
  printf("TIOCGPTN on slave: %d errno %d\n", result, errno);
  result = ioctl(slave, 0x54ff, 0);
  printf("unknown ioctl: %d errno %d\n", result, errno);

  /* Hangup: closing the master ends slave reads and fails writes. */
  close(master);
  printf("slave read after master close %d\n", (int)read(slave, buffer, sizeof buffer));
  errno = 0;
  result = write(slave, "x", 1);
  printf("slave write after master close %d errno %d\n", result, errno);
  return 0;
}
