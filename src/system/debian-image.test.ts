/**
 * Debian's dynamically linked binaries (dash, coreutils, python3 from the
 * image in .cache/image/root) on ir0 against the same root run natively with
 * chroot(8): output must be identical. Skipped without the image or without
 * root (chroot needs it). python3 runs only with IR0_SLOW_TESTS=1 (minutes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSystem } from './system.js';
import { packDirectory } from './pack-root.js';
import { memoryConsole } from './memory-console.js';

const root = path.resolve(import.meta.dirname, '../../.cache/image/root');
const usable = fs.existsSync(path.join(root, 'bin/dash')) && fs.existsSync('/usr/sbin/chroot') && process.getuid?.() === 0;

const DASH_SCRIPT = `
d=$(mktemp -d); cd $d; mkdir sub; printf 'hello\\n' > a; cp a b; mv b c; printf 'x\\ny\\nz\\n' > lines
stat -c '%A %h %s %n' a c lines && ls -l a lines | cut -c1-10
wc lines; sort -r lines; rm c; ls; rmdir sub; ls -a; cd /; rm -r $d
for i in 1 2 3; do echo "dash $i $((i*i))"; done | tr a-z A-Z
f() { echo "args $#"; }; f 1 2 3
echo $(( 7 * 6 )) | tee /dev/null | wc -c
echo done
`;

const PYTHON_SCRIPT = `
import os, subprocess, signal, threading, tempfile, mmap, json, math
print(json.dumps({"sqrt2": round(math.sqrt(2), 6), "sum": sum(range(1000))}))
t = threading.Thread(target=lambda: print("thread ran")); t.start(); t.join()
with tempfile.TemporaryDirectory() as d:
    p = os.path.join(d, "f")
    with open(p, "wb") as f: f.write(b"hello mmap")
    with open(p, "r+b") as f: print(mmap.mmap(f.fileno(), 0)[:5])
print(subprocess.run(["/bin/echo", "from child"], capture_output=True).stdout)
signal.signal(signal.SIGALRM, lambda s, f: print("alarm", s))
signal.setitimer(signal.ITIMER_REAL, 0.01)
signal.pause()
`;

function compare(program: string, args: string[]): void {
  const native = spawnSync('/usr/sbin/chroot', [root, program, ...args], { env: { PATH: '/usr/bin:/bin' } });
  const stdout: number[] = [];
  const log: string[] = [];
  const system = createSystem({
    memoryMiB: 512, cmdline: 'loglevel=3', initramfs: packDirectory(root), console: memoryConsole(stdout),
    stdio: [memoryConsole([]), memoryConsole(stdout), memoryConsole([])], bootEpoch: 1.7e18, logSink: (line) => log.push(line),
  });
  assert.ok(typeof system !== 'string');
  const result = system.run(program, [program, ...args], ['PATH=/usr/bin:/bin'], 50_000_000_000);
  assert.equal(result.error, null);
  assert.equal(Buffer.from(stdout).toString(), native.stdout.toString(), log.join(''));
  assert.equal((result.status >> 8) & 0xff, native.status);
  assert.equal(result.freePagesAfter, result.freePagesBefore, 'leaked pages');
}

test('dash and coreutils (dynamically linked) equal native', { skip: !usable && 'no image or not root' }, () => {
  compare('/bin/dash', ['-c', DASH_SCRIPT]);
});

test('python3 equals native', { skip: (!usable || !process.env.IR0_SLOW_TESTS) && 'set IR0_SLOW_TESTS=1 (minutes)' }, () => {
  compare('/usr/bin/python3', ['-c', PYTHON_SCRIPT]);
});
