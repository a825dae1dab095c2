/**
 * The serial console end to end inside one process: a machine whose COM1
 * backend is this test, the kernel's 8250 driver under the TTY layer as
 * /dev/console (console=ttyS0), and Debian's static busybox sh reading typed
 * lines from it. The expected output is busybox's own, run natively; a 1 MiB
 * paste is compared with the same paste into a Linux pty.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeCpio, S_IFDIR, S_IFREG } from '../kernel/index.js';
import { createSystem } from './system.js';
import { defaultImageRoot } from './image/index.js';

const BUSYBOX = path.join(defaultImageRoot(), 'usr', 'bin', 'busybox');

function initramfs(): Uint8Array {
  const entry = (name: string, mode: number, data = new Uint8Array(0)) => ({ name, mode, uid: 0, gid: 0, mtime: 0, data, rdevMajor: 0, rdevMinor: 0, ino: 0, nlink: 1 });
  return writeCpio([entry('bin', S_IFDIR | 0o755), entry('bin/busybox', S_IFREG | 0o755, fs.readFileSync(BUSYBOX)), entry('dev', S_IFDIR | 0o755), entry('tmp', S_IFDIR | 0o1777)]);
}

test('a shell on ttyS0: typed lines in through the UART, output back with ONLCR, the line discipline echoing', { skip: fs.existsSync(BUSYBOX) ? false : 'no image (ir0 image build)' }, () => {
  const script = 'echo $((6*7)); printf "%s\\n" one two | busybox wc -l\nexit 3\n';
  const output: number[] = [];
  let typed = false;
  let deliver: (bytes: Uint8Array) => void = () => undefined;
  const system = createSystem({
    memoryMiB: 32, cmdline: 'console=ttyS0 loglevel=3', initramfs: initramfs(), bootEpoch: 0,
    console: { isTerminal: false, windowSize: () => ({ rows: 24, columns: 80 }), read: () => new Uint8Array(0), write: () => undefined },
    backends: {
      serial: [{
        write: (bytes) => output.push(...bytes),
        connect: (receive) => { deliver = (bytes) => { receive(bytes); }; },
        // Typed once the shell has printed its prompt (it reads the line then).
        poll: () => { if (!typed && output.includes(0x23)) { typed = true; deliver(new TextEncoder().encode(script)); } },
      }],
    },
  });
  if (typeof system === 'string') throw new Error(system);
  const result = system.run('/bin/busybox', ['sh', '-i'], ['PS1=# ', 'PATH=/bin'], 2_000_000_000);
  assert.equal(result.error, null);
  assert.equal(result.status, 3 << 8);
  const text = new TextDecoder().decode(Uint8Array.from(output));
  const native = execFileSync(BUSYBOX, ['sh', '-c', 'echo $((6*7)); printf "%s\\n" one two | busybox wc -l'], { encoding: 'utf8' });
  // The terminal shows the echoed input line, then the output with each \n turned into \r\n (OPOST | ONLCR).
  assert.ok(text.includes(native.replace(/\n/g, '\r\n')), `output: ${JSON.stringify(text)}`);
  assert.ok(text.includes('echo $((6*7)); printf'), 'the typed line was echoed');
});

/** What a Linux pty gives for `script` with `input` typed at it: everything the terminal shows (echo and output). */
function nativePtyTranscript(script: string, input: Uint8Array, directory: string): Buffer {
  // The writer alternates with reads of the echo, as a terminal emulator does; the kernel's flow control holds it back.
  const program = [
    'import os, pty, select, sys',
    'data = open(sys.argv[2], "rb").read()',
    'pid, fd = pty.fork()',
    'if pid == 0: os.chdir(sys.argv[3]); os.execv(sys.argv[4], ["sh", "-c", sys.argv[1]])',
    'out = bytearray(); done = 0',
    'while True:',
    '  r, w, _ = select.select([fd], [fd] if done < len(data) else [], [], 20)',
    '  if not r and not w: break',
    '  if w: done += os.write(fd, data[done:done + 4096])',
    '  if r:',
    '    try: chunk = os.read(fd, 65536)',
    '    except OSError: break',
    '    if not chunk: break',
    '    out += chunk',
    'os.waitpid(pid, 0)',
    'sys.stdout.buffer.write(out)',
  ].join('\n');
  const inputFile = path.join(directory, 'input');
  fs.writeFileSync(inputFile, input);
  return execFileSync('python3', ['-c', program, script, inputFile, directory, BUSYBOX], { maxBuffer: 64 << 20, timeout: 60_000 });
}

test('a 1 MiB paste through the UART into cat: every byte arrives, echo and result as on a Linux pty, the kernel stays responsive',
  { skip: fs.existsSync(BUSYBOX) ? false : 'no image (ir0 image build)' }, (t) => {
    // 16384 lines of 64 bytes, each ended by CR as a terminal sends Enter (ICRNL makes it NL), then ^D.
    const lines: string[] = [];
    for (let i = 0; i < 16384; i++) lines.push(`${String(i).padStart(8, '0')}${'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRS'.slice(0, 55)}\r`);
    const input = new TextEncoder().encode(`${lines.join('')}\x04`);
    const script = 'busybox cat > f; busybox wc -c f; busybox md5sum f';
    // What Linux echoes when it keeps up: each line as typed, its CR shown as CR LF (ICRNL, ECHO, ONLCR).
    const fullEcho = lines.map((line) => `${line.slice(0, -1)}\r\n`).join('');
    // A loaded host's pty drops echo (n_tty's echo buffer overflows while the pty master is not drained), never the data:
    // take the first native run whose echo is whole; if none is, Linux's own lines after the echo (count and md5).
    let native = '';
    for (let attempt = 0; attempt < 3 && !native.startsWith(fullEcho); attempt++) {
      const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-paste-'));
      try {
        native = nativePtyTranscript(script, input, directory).toString('latin1');
      } finally {
        fs.rmSync(directory, { recursive: true, force: true });
      }
    }
    const nativeTail = /\r\n(1048576 f\r\n[0-9a-f]{32} {2}f\r\n)$/.exec(native);
    assert.ok(nativeTail, 'the native reference stored every byte');
    const expected = native.startsWith(fullEcho) ? native : fullEcho + nativeTail[1]!;
    if (!native.startsWith(fullEcho)) t.diagnostic('the host pty dropped echo in 3 runs under load: comparing with its count and md5 after the full echo');

    const chunks: Uint8Array[] = [];
    let delivered = 0;
    let deliver: (bytes: Uint8Array) => number = () => 0;
    const system = createSystem({
      memoryMiB: 32, cmdline: 'console=ttyS0 loglevel=3 sched=cfs', initramfs: initramfs(), bootEpoch: 0, hostTime: true,
      console: { isTerminal: false, windowSize: () => ({ rows: 24, columns: 80 }), read: () => new Uint8Array(0), write: () => undefined },
      backends: {
        serial: [{
          write: (bytes) => chunks.push(bytes.slice()),
          connect: (receive) => { deliver = receive; },
          // The whole paste is offered at every poll; the line takes what it has room for (64 KiB on the wire).
          poll: () => { if (delivered < input.length) delivered += deliver(input.subarray(delivered)); },
        }],
      },
    });
    if (typeof system === 'string') throw new Error(system);
    // On the host clock (as ir0 boot runs), where the kernel's own work takes time too: a sleeper in the background
    // shows its line in the middle of the echo if timers and the scheduler keep running while the paste flows
    // (CFS: a woken sleeper preempts; the round-robin default lets a busy task finish its slices first).
    const result = system.run('/bin/busybox', ['sh', '-c', `cd /tmp; (busybox sleep 0.1; echo TICK) & ${script}; wait`], ['PATH=/bin'], 2_000_000_000);
    assert.equal(result.error, null);
    assert.equal(result.status, 0);
    const output = Buffer.concat(chunks).toString('latin1');
    const tick = output.indexOf('TICK\r\n');
    assert.ok(tick > 0 && tick < output.length - 100_000, `the sleeper woke during the paste (at byte ${tick} of ${output.length})`);
    assert.equal(output.slice(0, tick) + output.slice(tick + 6), expected, 'echo, count and md5 equal the Linux pty transcript');
  });

test('a line longer than the 4095-byte canonical buffer is cut as Linux cuts it (every byte echoed, the read line 4095 + newline)',
  { skip: fs.existsSync(BUSYBOX) ? false : 'no image (ir0 image build)' }, () => {
    const input = new TextEncoder().encode(`${'a'.repeat(5000)}\r${'b'.repeat(10)}\r\x04`);
    const script = 'busybox wc -c';
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-long-line-'));
    let native: Buffer;
    try {
      native = nativePtyTranscript(script, input, directory);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
    const chunks: Uint8Array[] = [];
    let delivered = 0;
    let deliver: (bytes: Uint8Array) => number = () => 0;
    const system = createSystem({
      memoryMiB: 32, cmdline: 'console=ttyS0 loglevel=3', initramfs: initramfs(), bootEpoch: 0,
      console: { isTerminal: false, windowSize: () => ({ rows: 24, columns: 80 }), read: () => new Uint8Array(0), write: () => undefined },
      backends: {
        serial: [{
          write: (bytes) => chunks.push(bytes.slice()),
          connect: (receive) => { deliver = receive; },
          poll: () => { if (delivered < input.length) delivered += deliver(input.subarray(delivered)); },
        }],
      },
    });
    if (typeof system === 'string') throw new Error(system);
    const result = system.run('/bin/busybox', ['sh', '-c', script], ['PATH=/bin'], 500_000_000);
    assert.equal(result.error, null);
    assert.equal(Buffer.concat(chunks).toString('latin1'), native.toString('latin1'));
  });
