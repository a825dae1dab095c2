/**
 * Runs a program natively on the host inside an image, as the reference for
 * ir0: in private mount and pid namespaces (unshare(1); as root, or in a user
 * namespace otherwise) the image is bind-mounted read-only, /tmp and /dev get
 * fresh tmpfs mounts (with the host's null, zero, full, random, urandom, tty),
 * /proc is mounted for the new pid namespace, and the program starts as pid 1
 * with `unshare --root` (a chroot) and the i686 personality — as it does
 * under `ir0 run`. The image directory is never modified.
 */
import { spawnSync } from 'node:child_process';
import { runProcess, type ProcessOutput } from './process-output.js';

export interface NativeRunOptions {
  root: string;
  stdin?: string | Buffer;
  /** The complete environment, as "NAME=value" strings. */
  env: readonly string[];
  /** Working directory inside the image. */
  cwd: string;
  timeoutMilliseconds: number;
}

const SETUP = `
set -e
root=$1; shift
mount --bind "$root" "$root"
mount -o remount,bind,ro "$root"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
mount -t proc proc "$root/proc"
mount -t tmpfs -o mode=755 tmpfs "$root/dev"
for device in null zero full random urandom tty; do
  : > "$root/dev/$device"
  mount --bind "/dev/$device" "$root/dev/$device"
done
exec "$@"
`;

let namespaceFlags: string[] | null | undefined;

/** unshare's flags that work on this host, or null when namespaces are not permitted. */
export function nativeNamespaceFlags(): string[] | null {
  if (namespaceFlags !== undefined) return namespaceFlags;
  const base = ['--mount', '--pid', '--fork', '--kill-child'];
  const candidates = process.getuid?.() === 0 ? [base, ['--user', '--map-root-user', ...base]] : [['--user', '--map-root-user', ...base]];
  namespaceFlags = null;
  for (const flags of candidates) {
    const probe = spawnSync('unshare', [...flags, '--', 'sh', '-c', 'mount -t tmpfs tmpfs /mnt && mount -t proc proc /proc'],
      { stdio: 'ignore', timeout: 10_000 });
    if (probe.status === 0) {
      namespaceFlags = flags;
      break;
    }
  }
  return namespaceFlags;
}

/** Why native runs are impossible here, or null when they work. */
export function nativeUnavailableReason(): string | null {
  return nativeNamespaceFlags() === null
    ? 'unshare cannot create mount and pid namespaces on this host (needs root or unprivileged user namespaces)'
    : null;
}

export function runNative(program: string, args: readonly string[], options: NativeRunOptions): Promise<ProcessOutput> {
  const flags = nativeNamespaceFlags();
  if (flags === null) throw new Error(nativeUnavailableReason() ?? 'no namespaces');
  // env -i, setarch and unshare --root run on the host before the chroot; env
  // stops taking NAME=value assignments at the first word without '='.
  // setarch i686 gives the 32-bit personality (uname -m says i686, as on ir0).
  const command = ['env', '-i', ...options.env, 'setarch', 'i686', 'unshare', `--root=${options.root}`, `--wd=${options.cwd}`, '--', program, ...args];
  return runProcess({
    command: 'unshare',
    args: [...flags, '--', 'sh', '-c', SETUP, 'ir0-native', options.root, ...command],
    stdin: options.stdin,
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    timeoutMilliseconds: options.timeoutMilliseconds,
  });
}
