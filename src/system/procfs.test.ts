/**
 * procfs against reality: one script reads /proc files in ir0 and natively (the real
 * kernel, in a pid namespace with its own /proc) in the default image, and the shapes must
 * agree — status and meminfo keys in the same order, 52 stat fields, 7 statm fields, the
 * uptime/loadavg/maps/mountinfo line formats, readlink /proc/self/exe, python's listing of
 * /proc/self/fd. Then busybox ps, top, free, uptime, mount and df run in ir0 and what they
 * print is checked against the pids and memory figures ir0 itself reports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eImage, runIr0, runNative, IR0_DEFAULT_ENVIRONMENT } from './e2e/index.js';

const image = await e2eImage();
const skip = image.skip;
const env = IR0_DEFAULT_ENVIRONMENT;

/** Sections of a script's output, split at lines "--- name". */
function sections(output: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of output.split(/^--- /m).slice(1)) {
    const newline = part.indexOf('\n');
    found.set(part.slice(0, newline), part.slice(newline + 1));
  }
  return found;
}

const SHAPES_SCRIPT = `
echo '--- status'; cat /proc/self/status
echo '--- meminfo'; cat /proc/meminfo
echo '--- stat'; cat /proc/self/stat
echo '--- statm'; cat /proc/self/statm
echo '--- uptime'; cat /proc/uptime
echo '--- loadavg'; cat /proc/loadavg
echo '--- maps'; cat /proc/self/maps
echo '--- mountinfo'; cat /proc/self/mountinfo
echo '--- mounts'; cat /proc/mounts
echo '--- exe'; readlink /proc/self/exe
echo '--- cmdline'; cat /proc/self/cmdline | tr '\\0' ' '; echo
echo '--- fd'; ls /proc/self/fd
echo '--- procstat'; busybox cut -d' ' -f1 /proc/stat | busybox sed 's/[0-9]*$//' | busybox sort -u
echo '--- sleeper'; sleep 5 & sleep 0.5; busybox cut -d' ' -f3,35 /proc/$!/stat; busybox grep -E '^(State|Threads)' /proc/$!/status; kill $!; wait $!
echo '--- ps'; busybox ps -o ppid,comm,args
echo '--- python'; python3 -c "import os; print(sorted(os.listdir('/proc/self/fd')), os.readlink('/proc/self/cwd'), os.getpid() == int(os.readlink('/proc/self')))"
`;

const keys = (text: string): string[] => text.split('\n').filter(Boolean).map((line) => line.slice(0, line.indexOf(':')));
const MAPS_LINE = /^[0-9a-f]{8}-[0-9a-f]{8} [r-][w-][x-][ps] [0-9a-f]{8} [0-9a-f]{2}:[0-9a-f]{2} \d+ ( +\S.*)?$/;
const MOUNTINFO_LINE = /^\d+ \d+ \d+:\d+ \S+ \S+ \S+( \S+)* - \S+ \S+ \S+$/;

test('procfs files have the real kernel\'s shapes (keys, field counts, line formats)', { skip, timeout: 240_000 }, async () => {
  const root = image.root!;
  const [native, ir0] = await Promise.all([
    runNative('/bin/sh', ['-c', SHAPES_SCRIPT], { root, env, cwd: '/', timeoutMilliseconds: 60_000 }),
    runIr0('/bin/sh', ['-c', SHAPES_SCRIPT], { root, env, cwd: '/', timeoutMilliseconds: 180_000 }),
  ]);
  assert.equal(ir0.status, 0, ir0.stderr + ir0.kernelLog);
  assert.equal(native.status, 0, native.stderr);
  const real = sections(native.stdout), ours = sections(ir0.stdout);
  assert.deepEqual(keys(ours.get('status')!), keys(real.get('status')!), 'status keys');
  assert.deepEqual(keys(ours.get('meminfo')!), keys(real.get('meminfo')!), 'meminfo keys');
  for (const [name, count] of [['stat', 52], ['statm', 7]] as const) {
    assert.equal(real.get(name)!.trim().split(' ').length, count, `native ${name}`);
    assert.equal(ours.get(name)!.trim().split(' ').length, count, `ir0 ${name}`);
  }
  const stat = ours.get('stat')!.trim().split(' ');
  assert.equal(stat[1], '(cat)');
  assert.equal(stat[2], 'R');
  for (const name of ['uptime', 'loadavg']) {
    const format = name === 'uptime' ? /^\d+\.\d\d \d+\.\d\d\n$/ : /^\d+\.\d\d \d+\.\d\d \d+\.\d\d \d+\/\d+ \d+\n$/;
    assert.match(real.get(name)!, format, `native ${name}`);
    assert.match(ours.get(name)!, format, `ir0 ${name}`);
  }
  for (const [label, output] of [['native', real], ['ir0', ours]] as const) {
    for (const line of output.get('maps')!.split('\n').filter(Boolean)) assert.match(line, MAPS_LINE, `${label} maps`);
    for (const line of output.get('mountinfo')!.split('\n').filter(Boolean)) assert.match(line, MOUNTINFO_LINE, `${label} mountinfo`);
    for (const line of output.get('mounts')!.split('\n').filter(Boolean)) assert.equal(line.split(' ').length, 6, `${label} mounts`);
  }
  // i386 pads maps names to column 49 (25 + 6 * sizeof(void *) - 1); the host's 64-bit kernel to 73.
  const named = ours.get('maps')!.split('\n').find((line) => line.endsWith('[stack]'))!;
  assert.equal(named.indexOf('['), 49, named);
  assert.match(ours.get('mounts')!, /^proc \/proc proc rw,nosuid,nodev,noexec,relatime 0 0$/m);
  // Process listings agree but for pid numbers (the native side's setup used some) and states (whether the shell already
  // waits when ps looks is up to the scheduler): parents, names, arguments.
  for (const name of ['exe', 'cmdline', 'procstat', 'sleeper', 'ps']) assert.equal(ours.get(name), real.get(name), name);
  // The native side inherits the test runner's descriptors (numbers past 9); the program's own are 0-3.
  const ownFds = (text: string): string => text.replace(/'(\d+)', /g, (all, fd: string) => (Number(fd) > 9 ? '' : all))
    .split('\n').filter((line) => !/^\d{2,}$/.test(line)).join('\n');
  for (const name of ['fd', 'python']) assert.equal(ownFds(ours.get(name)!), ownFds(real.get(name)!), name);
});

const TOOLS_SCRIPT = `
echo "--- shell"; echo $$
echo '--- ps'; (sleep 0.2; exec ps -o pid,ppid,stat,vsz,rss,comm)
echo '--- psall'; ps
echo '--- top'; top -b -n 1
echo '--- free'; free
echo '--- uptime'; uptime
echo '--- mount'; mount
echo '--- df'; df -a /proc
echo '--- meminfo'; cat /proc/meminfo
echo '--- child'; sleep 2 & child=$!; sleep 0.5; cat /proc/$child/stat; cat /proc/$child/status | grep -E '^(Name|State|PPid|VmSize|VmRSS)'; kill $child; wait $child
echo '--- gone'; ls /proc/$child 2>&1 || echo "gone $?"
echo '--- fd'; ls -l /proc/self/fd 3</dev/null
`;

test('busybox ps, top, free, uptime, mount and df in ir0 print the figures procfs gives', { skip, timeout: 240_000 }, async () => {
  const ir0 = await runIr0('/bin/busybox', ['sh', '-c', TOOLS_SCRIPT], { root: image.root!, env, cwd: '/', timeoutMilliseconds: 180_000 });
  assert.equal(ir0.status, 0, ir0.stdout + ir0.stderr + ir0.kernelLog);
  const out = sections(ir0.stdout);
  const shell = Number(out.get('shell')!.trim());
  // ps -o: a header, the shell (ppid 0, sleeping in wait) and ps itself (its child, running). ps starts after a
  // pause in a subshell it then replaces, so that the shell already waits, whatever the scheduler does meanwhile.
  const ps = out.get('ps')!.trim().split('\n');
  assert.match(ps[0]!, /^\s*PID\s+PPID\s+STAT\s+VSZ\s+RSS\s+COMMAND$/);
  const rows = ps.slice(1).map((line) => line.trim().split(/\s+/));
  const shellRow = rows.find((row) => Number(row[0]) === shell)!;
  assert.deepEqual([shellRow[1], shellRow[2]], ['0', 'S']);
  const psRow = rows.find((row) => row[5] === 'ps')!;
  assert.deepEqual([Number(psRow[1]), psRow[2]], [shell, 'R']);
  assert.ok(Number(psRow[3]) > 0 && Number(psRow[4]) > 0 && Number(psRow[4]) <= Number(psRow[3]), psRow.join(' '));
  assert.match(out.get('psall')!, new RegExp(`^\\s*${shell} root\\s+`, 'm'));
  // free and top report meminfo's figures.
  const meminfo = new Map(out.get('meminfo')!.trim().split('\n').map((line) => {
    const [key, value] = line.split(/:\s+/);
    return [key!, Number.parseInt(value!, 10)];
  }));
  const memory = out.get('free')!.split('\n').find((line) => line.startsWith('Mem:'))!.trim().split(/\s+/).map(Number);
  assert.equal(memory[1], meminfo.get('MemTotal'));
  assert.ok(Math.abs(memory[3]! - meminfo.get('MemFree')!) < 256, `free ${memory[3]} vs MemFree ${meminfo.get('MemFree')}`);
  // busybox free takes total/free from sysinfo(2) and buff/cache from /proc/meminfo (Buffers + Cached + SReclaimable).
  assert.equal(memory[5], meminfo.get('Buffers')! + meminfo.get('Cached')! + meminfo.get('SReclaimable')!);
  const top = out.get('top')!;
  assert.match(top, /^Mem: \d+K used, \d+K free, \d+K shrd, \d+K buff, \d+K cached$/m);
  assert.match(top, /^Load average: \d+\.\d\d \d+\.\d\d \d+\.\d\d \d+\/\d+ \d+$/m);
  assert.match(top, new RegExp(`^\\s*${shell}\\s+0 root\\s+S\\s`, 'm'));
  assert.match(out.get('uptime')!, /up .*load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d$/m);
  assert.match(out.get('mount')!, /^proc on \/proc type proc \(rw,nosuid,nodev,noexec,relatime\)$/m);
  assert.match(out.get('df')!, /^proc\s+0\s+0\s+0\s+0% \/proc$/m);
  // A child seen through /proc/PID while it sleeps, then gone once reaped.
  const child = out.get('child')!.split('\n');
  const childStat = child[0]!.split(' ');
  assert.equal(childStat.length, 52);
  assert.deepEqual([childStat[1], childStat[2], childStat[3]], ['(sleep)', 'S', String(shell)]);
  assert.match(child.slice(1).join('\n'), new RegExp(`Name:\\tsleep\\nState:\\tS \\(sleeping\\)\\nPPid:\\t${shell}\\nVmSize:\\s+\\d+ kB\\nVmRSS:\\s+\\d+ kB`));
  assert.match(out.get('gone')!, /No such file or directory[\s\S]*gone 1/);
  // fd 3 is /dev/null (as given), 0-2 the console, each link's mode showing how it is open.
  assert.match(out.get('fd')!, /^lr-x------ .* 3 -> \/dev\/null$/m);
  assert.match(out.get('fd')!, /^lrwx------ .* 0 -> \S+$/m);
});
