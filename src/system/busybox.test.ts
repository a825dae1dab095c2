/**
 * Debian's busybox-static on ir0 against the same binary on the host: one
 * shell script of applets and shell features (arithmetic, functions, loops,
 * pipes, redirections, subshells, command substitution, traps, kill,
 * background jobs, sort, sed, awk, grep, find, tar, gzip, sha256sum, xargs)
 * must print the same bytes and exit with the same status. Skipped when the
 * Debian package has not been fetched (`npx ir0 debian`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSystem } from './system.js';
import { S_IFDIR, S_IFLNK, S_IFREG, writeCpio } from '../kernel/index.js';
import { memoryConsole } from './memory-console.js';

const busybox = path.resolve(import.meta.dirname, '../../.cache/debian/root/usr/bin/busybox');
const applets = ['sh', 'echo', 'ls', 'cat', 'sort', 'sed', 'awk', 'grep', 'find', 'tar', 'gzip', 'gunzip', 'sha256sum', 'md5sum',
  'xargs', 'wc', 'head', 'tail', 'tr', 'cut', 'uniq', 'mkdir', 'rm', 'cp', 'mv', 'seq', 'expr', 'printf', 'test', 'true', 'false',
  'sleep', 'basename', 'dirname', 'od', 'env', 'kill', 'mktemp', 'rmdir', 'touch', 'chmod', 'ln', 'readlink', 'tee', 'yes', 'rev'];

export const SCRIPT = `
echo "arith $((6*7)) $((100/7)) $((2**10)) $(( (3+4)*5 % 6 ))"
f() { echo "func $1 $#"; return 3; }
f a b c; echo "ret $?"
for i in 1 2 3; do printf '%s-' $i; done; echo
i=0; while [ $i -lt 50 ]; do i=$((i+1)); done; echo "while $i"
x=$(echo sub | tr a-z A-Z); echo "cmdsub $x"
(echo subshell; exit 4); echo "subshell status $?"
seq 1 200 | sort -rn | head -3 | xargs echo top
echo "hello world foo" | awk '{print $2, NF}'
seq 1 10 | awk '{ s += $1 } END { print "sum", s }'
echo "abc" | sed 's/b/X/'
printf 'b\\na\\nc\\na\\n' | sort | uniq -c | sed 's/^ *//'
d=$(mktemp -d)
mkdir -p $d/d1/d2 && echo data > $d/d1/f && cp $d/d1/f $d/g && mv $d/g $d/h && ln -s h $d/link
(cd $d && find . | sort)
readlink $d/link
cat $d/h | wc -c
seq 1 1000 | gzip | gunzip | tail -1
echo abc | sha256sum
echo abc | md5sum
(cd $d && tar cf - d1 | tar tf -)
echo "a:b:c" | cut -d: -f2
basename /x/y/z.txt .txt; dirname /x/y/z
expr 3 + 4
test -d $d && echo isdir
case foo in f*) echo case-ok;; esac
echo redirect > $d/r && cat < $d/r && echo more >> $d/r && wc -l < $d/r
echo to-stderr 1>&2 2>/dev/null
yes | head -3
echo hello | rev
touch $d/t && chmod 600 $d/t && ls -l $d/t | cut -c1-10
echo tee | tee $d/tee >/dev/null; cat $d/tee
ls $d | sort
rm -r $d
sh -c 'kill -TERM $$'; echo "killed status $?"
sleep 1 & wait $!; echo "bg waited $?"
trap 'echo trapped' EXIT
false || echo "or-ok"
exit 3
`;

test('busybox sh script: ir0 equals native', { skip: !fs.existsSync(busybox) && 'busybox-static not fetched' }, () => {
  const host = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-busybox-'));
  try {
    fs.mkdirSync(path.join(host, 'bin'));
    fs.copyFileSync(busybox, path.join(host, 'bin/busybox'));
    for (const applet of applets) fs.symlinkSync('busybox', path.join(host, 'bin', applet));
    const native = spawnSync(path.join(host, 'bin/sh'), ['-c', SCRIPT], { env: { PATH: path.join(host, 'bin') } });
    const base = { uid: 0, gid: 0, rdevMajor: 0, rdevMinor: 0, ino: 0, nlink: 1, mtime: 0 };
    const archive = writeCpio([
      { ...base, name: 'bin', mode: S_IFDIR | 0o755, data: new Uint8Array(0) },
      { ...base, name: 'bin/busybox', mode: S_IFREG | 0o755, data: fs.readFileSync(busybox) },
      ...applets.map((applet) => ({ ...base, name: `bin/${applet}`, mode: S_IFLNK | 0o777, data: new TextEncoder().encode('busybox') })),
    ]);
    const stdout: number[] = [];
    const log: string[] = [];
    const system = createSystem({
      memoryMiB: 64, cmdline: 'loglevel=3', initramfs: archive, console: memoryConsole(stdout),
      stdio: [memoryConsole([]), memoryConsole(stdout), memoryConsole([])], bootEpoch: 1.7e18, logSink: (line) => log.push(line),
    });
    assert.ok(typeof system !== 'string');
    const result = system.run('/bin/sh', ['sh', '-c', SCRIPT], ['PATH=/bin'], 5_000_000_000);
    assert.equal(result.error, null);
    assert.equal(Buffer.from(stdout).toString(), native.stdout.toString(), log.join(''));
    assert.equal((result.status >> 8) & 0xff, native.status);
    assert.equal(result.freePagesAfter, result.freePagesBefore, 'leaked pages');
  } finally {
    fs.rmSync(host, { recursive: true, force: true });
  }
});
