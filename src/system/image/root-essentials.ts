/**
 * What a root needs beyond the packages' files, as a Debian system has it
 * after base-files, base-passwd and the maintainer scripts ran (the recipe
 * runs no maintainer scripts): users and groups, host name, the mount points
 * /dev, /proc, /sys, /tmp (mode 1777), and the links the scripts would make
 * (/bin/sh -> dash, as dash.postinst does; python3 -> python3.11), and
 * busybox init's inittab with the busybox applets the console uses.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// base-passwd's master files (/usr/share/base-passwd/{passwd,group}.master), trimmed.
const PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'bin:x:2:2:bin:/bin:/usr/sbin/nologin',
  'sys:x:3:3:sys:/dev:/usr/sbin/nologin',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
];
const GROUP = ['root:x:0:', 'daemon:x:1:', 'bin:x:2:', 'sys:x:3:', 'adm:x:4:', 'tty:x:5:', 'users:x:100:', 'nogroup:x:65534:'];

/** Directories and their modes (tmp is sticky and world-writable: FHS 3.0 §3.18). */
const DIRECTORIES: [string, number][] = [
  ['dev', 0o755], ['proc', 0o555], ['sys', 0o555], ['tmp', 0o1777], ['root', 0o700], ['home', 0o755],
  ['etc', 0o755], ['run', 0o755], ['mnt', 0o755], ['var', 0o755], ['var/tmp', 0o1777], ['opt', 0o755],
];

/** Symbolic links made only when their target exists: dash's and python's, and the busybox applets the console uses. */
const LINKS: [string, string][] = [
  ['usr/bin/sh', 'dash'],
  ['usr/bin/python3', 'python3.11'],
  ...['init', 'poweroff', 'reboot', 'halt'].map((name): [string, string] => [`usr/sbin/${name}`, '../bin/busybox']),
  ...['ash', 'vi', 'ps', 'top', 'free', 'clear', 'reset', 'hostname', 'mount', 'umount', 'uptime', 'dmesg', 'less', 'more', 'killall']
    .map((name): [string, string] => [`usr/bin/${name}`, 'busybox']),
];

/**
 * busybox init's table (busybox examples/inittab): a login shell on the
 * console, respawned when it exits; poweroff and reboot run the shutdown
 * actions and then reboot(2).
 */
const INITTAB = [
  '# /etc/inittab for busybox init: ID:RUNLEVELS:ACTION:PROCESS (empty ID = /dev/console).',
  '::respawn:-/bin/ash',
  '::ctrlaltdel:/sbin/reboot',
  '::shutdown:/bin/sync',
];

/** Login shells read /etc/profile: the prompt and the search path. */
const PROFILE = [
  "export PATH='/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'",
  "export PS1='\\u@\\h:\\w\\$ '",
  "export PAGER=less EDITOR=vi",
];

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Adds the essentials to `root`; files the packages already provide are left alone. */
export function addRootEssentials(root: string, hostname = 'ir0'): void {
  for (const [directory, mode] of DIRECTORIES) {
    const path = join(root, directory);
    mkdirSync(path, { recursive: true });
    chmodSync(path, mode); // mkdir's mode is filtered by the umask; chmod is not.
  }
  const files: [string, string][] = [
    ['etc/passwd', PASSWD.join('\n') + '\n'],
    ['etc/group', GROUP.join('\n') + '\n'],
    ['etc/hostname', hostname + '\n'],
    ['etc/hosts', `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n`],
    // glibc's built-in default is the same, but a file makes it explicit (nsswitch.conf(5)).
    ['etc/nsswitch.conf', 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n'],
    ['etc/inittab', INITTAB.join('\n') + '\n'],
    ['etc/profile', PROFILE.join('\n') + '\n'],
    ['etc/shells', '/bin/sh\n/bin/dash\n/bin/ash\n'],
  ];
  for (const [name, text] of files) {
    const path = join(root, name);
    if (!existsSync(path)) writeFileSync(path, text, { mode: 0o644 });
  }
  for (const [name, target] of LINKS) {
    const path = join(root, name);
    if (!exists(path) && existsSync(join(path, '..', target))) symlinkSync(target, path);
  }
}
