/* mount(2)/umount2(2)/statfs64: tmpfs mounts on a directory, files hidden and shown again, ".." across a
 * mount root, MS_RDONLY remount (EROFS), EBUSY for a busy mount, bind mounts, flags in statfs, errors for
 * bad types and targets, sync/syncfs/fsync. Run as root in a private mount namespace. Usage: mounts DIR */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#define R(what, expr) printf("%-36s %d\n", what, (expr) < 0 ? -errno : 0)
#define TMPFS_MAGIC 0x01021994

static void show_statfs(const char *what, const char *path) {
  struct statfs64 s;
  if (statfs64(path, &s) < 0) { printf("%-36s errno %d\n", what, errno); return; }
  printf("%-36s tmpfs %d bsize %ld namelen %ld flags %#lx\n", what, s.f_type == TMPFS_MAGIC, (long)s.f_bsize, (long)s.f_namelen, (long)s.f_flags & 0x3f);
}

int main(int argc, char **argv) {
  if (argc < 2 || chdir(argv[1]) < 0) return 2;
  setvbuf(stdout, NULL, _IONBF, 0);
  mkdir("m", 0755);
  int fd = open("m/under", O_CREAT | O_WRONLY, 0644); close(fd);
  R("mount tmpfs", mount("none", "m", "tmpfs", 0, "size=1m"));
  R("under hidden", access("m/under", F_OK));
  show_statfs("statfs m", "m");
  R("create in mount", (fd = open("m/f", O_CREAT | O_RDWR, 0644)));
  R("write", write(fd, "hello", 5));
  R("fsync", fsync(fd));
  R("fdatasync", fdatasync(fd));
  R("syncfs", syncfs(fd));
  sync();
  R("umount busy", umount("m"));
  close(fd);
  mkdir("m/sub", 0755);
  R("chdir m/sub", chdir("m/sub"));
  struct stat here, up;
  stat("../..", &up);
  stat(".", &here);
  printf("%-36s %d\n", ".. crosses mount", access("../../m/under", F_OK) < 0 ? -errno : 0);
  R("umount while cwd inside", umount2("../../m", 0));
  chdir("../..");
  R("remount ro", mount(NULL, "m", NULL, MS_REMOUNT | MS_RDONLY, NULL));
  show_statfs("statfs ro", "m");
  R("create on ro", open("m/g", O_CREAT | O_WRONLY, 0644));
  R("open rw on ro", open("m/f", O_RDWR));
  R("open ro on ro", (fd = open("m/f", O_RDONLY)));
  close(fd);
  R("mkdir on ro", mkdir("m/d", 0755));
  R("unlink on ro", unlink("m/f"));
  R("chmod on ro", chmod("m/f", 0600));
  R("access W on ro", access("m/f", W_OK));
  R("remount rw", mount(NULL, "m", NULL, MS_REMOUNT, NULL));
  R("create after rw", (fd = open("m/g", O_CREAT | O_WRONLY, 0644)));
  close(fd);
  mkdir("b", 0755);
  R("bind m onto b", mount("m", "b", NULL, MS_BIND, NULL));
  R("bind sees file", access("b/g", F_OK));
  R("umount bind", umount("b"));
  R("bind gone", access("b/g", F_OK));
  R("mount nosuid,nodev,noexec", mount("none", "b", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL));
  show_statfs("statfs nosuid,nodev,noexec", "b");
  fd = open("b/x", O_CREAT | O_WRONLY, 0755); write(fd, "#!/bin/sh\n", 10); close(fd);
  R("exec on noexec", execl("b/x", "x", (char *)0));
  R("umount b", umount2("b", 0));
  R("umount m", umount("m"));
  R("under visible again", access("m/under", F_OK));
  R("umount not a mount", umount("m"));
  R("mount bad type", mount("none", "m", "nosuchfs", 0, NULL));
  R("mount on missing dir", mount("none", "missing", "tmpfs", 0, NULL));
  R("mount on a file", mount("none", "m/under", "tmpfs", 0, NULL));
  R("umount2 bad flags", umount2("m", 0x100));
  R("ext2 from a regular file", mount("m/under", "m", "ext2", 0, NULL));
  unlink("m/under"); rmdir("m"); rmdir("b");
  return 0;
}
