/**
 * The serial console end to end inside one process: a machine whose COM1
 * backend is this test, the kernel's 8250 driver under the TTY layer as
 * /dev/console (console=ttyS0), and Debian's static busybox sh reading typed
 * lines from it. The expected output is busybox's own, run natively.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeCpio, S_IFDIR, S_IFREG } from '../kernel/index.js';
import { createSystem } from './system.js';
import { defaultImageRoot } from './image/index.js';

const BUSYBOX = path.join(defaultImageRoot(), 'usr', 'bin', 'busybox');

function initramfs(): Uint8Array {
  const entry = (name: string, mode: number, data = new Uint8Array(0)) => ({ name, mode, uid: 0, gid: 0, mtime: 0, data, rdevMajor: 0, rdevMinor: 0, ino: 0, nlink: 1 });
  return writeCpio([entry('bin', S_IFDIR | 0o755), entry('bin/busybox', S_IFREG | 0o755, fs.readFileSync(BUSYBOX)), entry('dev', S_IFDIR | 0o755)]);
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
        connect: (receive) => { deliver = receive; },
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
