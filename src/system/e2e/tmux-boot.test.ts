/**
 * E2E, as a new user would try it in a real terminal: tmux runs `ir0 boot`
 * (what scripts/run.sh runs once the checkout is set up) in a pane; the test
 * types with send-keys and reads the screen with capture-pane. Expected
 * values come from the host where they can (the image root's listing, a
 * pipeline run natively, a fresh Linux pty's `stty -a`). The default run is
 * the quick part; IR0_SLOW_TESTS=1 adds vi, python3's REPL, job control,
 * ps/top, a 1 MiB paste, `stty -a` and closing the terminal.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { e2eImage } from './e2e-image.js';

const ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const SLOW = process.env.IR0_SLOW_TESTS === '1';
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One tmux server (its own socket) with one pane running `ir0 boot`, and the files the pane's shell writes. */
class Pane {
  readonly socket: string;
  readonly directory = fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-tmux-'));
  private readonly session = 'ir0';

  constructor(name: string) {
    this.socket = `ir0-test-${name}-${process.pid}`;
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Starts the pane: records the host terminal's settings, boots, records its exit status and the settings again. */
  start(columns = 100, rows = 30, cmdline = 'console=ttyS0 loglevel=3'): void {
    const d = this.directory;
    // marker= is an unknown kernel option (ignored) that lets the test find this machine's host process.
    const script = `cd ${ROOT}; stty -g > ${d}/before; node bin/ir0.js boot --cmdline '${cmdline} marker=${this.socket}'; ` +
      `echo "EXITED:$?" > ${d}/status; stty -g > ${d}/after; echo HOST-SHELL-BACK; sleep 600`;
    this.tmux('new-session', '-d', '-s', this.session, '-x', String(columns), '-y', String(rows), 'sh', '-c', script);
  }

  keys(...keys: string[]): void { this.tmux('send-keys', '-t', this.session, ...keys); }
  /** Types `text` literally, then Enter. */
  line(text: string): void { this.tmux('send-keys', '-t', this.session, '-l', text); this.keys('Enter'); }
  /** The visible screen, or with `history` the scrollback too (output longer than the pane). */
  screen(history = false): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', this.session, ...(history ? ['-S', '-2000'] : []));
  }

  /** Waits until the screen matches; returns the screen. */
  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${screen}`);
      await sleep(200);
    }
  }

  /** Runs a shell command in the guest between two markers and returns what it printed. */
  async run(command: string, timeoutMs = 60_000): Promise<string> {
    const marker = `M${Math.floor(Math.random() * 1e9)}`;
    this.keys('C-u');
    // The marker echo must not change $? for the command: keep the status and restore it in a subshell exit.
    this.line(`s=$?; echo ${marker}-A; (exit $s); ${command}; echo ${marker}-B`);
    await this.waitFor(new RegExp(`^${marker}-B`, 'm'), timeoutMs);
    const screen = this.screen(true);
    const start = screen.search(new RegExp(`^${marker}-A`, 'm'));
    const end = screen.search(new RegExp(`^${marker}-B`, 'm'));
    return screen.slice(screen.indexOf('\n', start) + 1, end);
  }

  /** Waits until the machine runs a task named `comm` (asked with Ctrl-A c, the machine status line). */
  async taskRunning(comm: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const pattern = new RegExp(`\\[ir0\\] up .*\\b${comm}\\[\\d+\\]`);
    while (Date.now() < deadline) {
      this.keys('C-a', 'c');
      await sleep(500);
      if (pattern.test(this.screen())) return;
    }
    throw new Error(`no task ${comm} after ${timeoutMs} ms; screen:\n${this.screen()}`);
  }

  read(name: string): string | null {
    const file = path.join(this.directory, name);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : null;
  }

  kill(): void {
    try { this.tmux('kill-server'); } catch { /* already gone */ }
  }
}

const PROMPT = /root@ir0:[^\n]*# ?$/m;

async function booted(t: TestContext, name: string, cmdline?: string): Promise<Pane | null> {
  if (!hasTmux) { t.skip('tmux is not installed (scripts/setup.sh installs it)'); return null; }
  const image = await e2eImage();
  if (image.skip !== undefined) { t.skip(image.skip); return null; }
  const pane = new Pane(name);
  t.after(() => pane.kill());
  pane.start(100, 30, cmdline);
  await pane.waitFor(PROMPT, 120_000);
  return pane;
}

/** `stty -a` of a fresh Linux pty (python's pty.fork: the kernel's tty_std_termios). */
function nativeFreshStty(): string {
  const program = 'import pty,os,sys\npid,fd=pty.fork()\nif pid==0: os.execvp("stty",["stty","-a"])\nout=b""\n' +
    'while True:\n  try: d=os.read(fd,4096)\n  except OSError: break\n  if not d: break\n  out+=d\nos.waitpid(pid,0)\nsys.stdout.write(out.decode())';
  return execFileSync('python3', ['-c', program], { encoding: 'utf8' });
}

/** The settings of `stty -a` as a set: flags and name = value pairs, without the window size (the terminals differ). */
function sttySettings(text: string): Set<string> {
  const words = text.replace(/\s+/g, ' ').replace(/rows \d+; columns \d+;/, '').replace(/discard =/, 'flush =');
  return new Set(words.split(/;\s*|\s(?=[-a-z0-9]+(?:\s|$))/).map((w) => w.trim()).filter(Boolean));
}

test('ir0 boot in tmux: prompt, commands, Ctrl-C, resize, bad input, poweroff restores the terminal', { timeout: 600_000 }, async (t) => {
  const pane = await booted(t, 'main');
  if (!pane) return;

  await t.test('echo $((6*7))', async () => {
    assert.equal((await pane.run('echo $((6*7))')).trim(), '42');
  });

  await t.test('ls / lists the image root', async () => {
    const listed = (await pane.run('ls /')).split(/\s+/).filter(Boolean);
    const image = (await e2eImage()).root!;
    for (const entry of fs.readdirSync(image).filter((e) => !e.startsWith('.'))) assert.ok(listed.includes(entry), `ls / misses ${entry}: ${listed.join(' ')}`);
  });

  await t.test('cat /proc/meminfo', async () => {
    assert.match(await pane.run('cat /proc/meminfo'), /^MemTotal:\s+\d+ kB$/m);
  });

  await t.test('a pipeline gives what it gives natively', async () => {
    const pipeline = 'echo hello world from the pipeline | tr a-z A-Z | cut -c 3-14 | sort | wc -c';
    const native = execFileSync('sh', ['-c', pipeline], { encoding: 'utf8' }).trim();
    assert.equal((await pane.run(pipeline)).trim(), native);
  });

  await t.test('Ctrl-C interrupts sleep 100 and $? is 130', async () => {
    pane.line('sleep 100');
    await pane.taskRunning('sleep');
    pane.keys('C-c');
    assert.equal((await pane.run('echo status=$?')).trim(), 'status=130');
  });

  await t.test('resizing the terminal changes stty size', async () => {
    assert.equal((await pane.run('stty size')).trim(), '30 100');
    pane.tmux('resize-window', '-t', 'ir0', '-x', '120', '-y', '40');
    await sleep(1000);
    assert.equal((await pane.run('stty size')).trim(), '40 120');
  });

  await t.test('binary garbage and broken escape sequences do not hurt', async () => {
    // Bytes 0x02-0xff (no Ctrl-A: that is the host escape key), then escapes cut short.
    const garbage = Array.from({ length: 254 }, (_, i) => (i + 2).toString(16).padStart(2, '0'));
    pane.keys('-H', ...garbage);
    pane.keys('-l', '\x1b[\x1b[999;\x1b]0;title\x1bP\x1b[?');
    await sleep(500);
    pane.keys('C-c');
    assert.equal((await pane.run('echo still alive')).trim(), 'still alive');
  });

  await t.test('poweroff returns to the host shell with status 0 and the terminal restored', async () => {
    pane.line('poweroff');
    await pane.waitFor(/HOST-SHELL-BACK/, 60_000);
    assert.equal(pane.read('status'), 'EXITED:0');
    assert.equal(pane.read('after'), pane.read('before'), 'stty -g after equals before');
  });
});

test('ir0 boot in tmux: Ctrl-A c shows the machine, Ctrl-A x quits with the terminal restored', { timeout: 300_000 }, async (t) => {
  const pane = await booted(t, 'escape');
  if (!pane) return;
  pane.keys('C-a', 'c');
  await pane.waitFor(/\[ir0\] up [\d.]+ s, \d+ tasks \(init\[1\] .*ash\[\d+\]\), memory \d+ of \d+ KiB free/);
  pane.keys('-l', 'echo typed-but-never-run');
  pane.keys('C-a', 'x');
  await pane.waitFor(/HOST-SHELL-BACK/, 30_000);
  assert.equal(pane.read('status'), 'EXITED:0');
  assert.equal(pane.read('after'), pane.read('before'), 'stty -g after equals before');
});

test('ir0 boot in tmux with console=tty1: the VGA text screen shown on the terminal, typing through the PS/2 keyboard', { timeout: 300_000 }, async (t) => {
  const pane = await booted(t, 'vga', 'console=tty1 loglevel=3');
  if (!pane) return;
  // Shift (!), ctrl-u (kill the line) and a pipeline, all as scancodes.
  pane.keys('-l', 'echo wrong');
  assert.equal((await pane.run('echo $((6*7))! | tr 4 X')).trim(), 'X2!');
  pane.line('poweroff');
  await pane.waitFor(/HOST-SHELL-BACK/, 60_000);
  assert.equal(pane.read('status'), 'EXITED:0');
});

test('ir0 boot in tmux, the long list: vi, python3, job control, ps/top, a 1 MiB paste, stty -a, closing the terminal',
  { skip: SLOW ? false : 'set IR0_SLOW_TESTS=1', timeout: 1_200_000 }, async (t) => {
    const pane = await booted(t, 'long');
    if (!pane) return;

    await t.test('busybox vi edits and saves a file', async () => {
      pane.line('vi /tmp/edited.txt');
      await pane.waitFor(/~\s*\n~/);
      pane.keys('i');
      pane.tmux('send-keys', '-t', 'ir0', '-l', 'written in vi');
      // vi tells the Escape key from an escape sequence by the pause after it (busybox read_key waits 50 ms).
      await sleep(300);
      pane.keys('Escape');
      await sleep(500);
      pane.line(':wq');
      await pane.waitFor(PROMPT);
      assert.equal((await pane.run('cat /tmp/edited.txt')).trim(), 'written in vi');
    });

    // Whatever happens in it, the REPL is left afterwards (Ctrl-C clears the line, Ctrl-D on an empty line exits).
    await t.test('python3 REPL with line editing', async () => {
      await pane.waitFor(PROMPT);
      pane.line('python3');
      await pane.waitFor(/^>>> $/m, 180_000);
      pane.line('6*7');
      await pane.waitFor(/^42$/m);
      pane.line('x = 5');
      pane.tmux('send-keys', '-t', 'ir0', '-l', 'x*3Z');
      pane.keys('BSpace', 'Left', 'Left', 'BSpace', '1', 'C-e', 'Enter'); // "x*3Z" → "x*3" → "1*3" → 3 (C-e: readline's end of line)
      await pane.waitFor(/^3$/m);
      pane.keys('Up', 'Enter'); // history: 1*3 again
      await pane.waitFor(/^3\n>>> 1\*3\n3$/m);
    });
    pane.keys('C-c');
    pane.keys('C-d');
    await pane.waitFor(PROMPT, 60_000).catch(() => undefined);

    await t.test('Ctrl-Z, jobs, bg, fg', async () => {
      pane.line('sleep 300');
      await pane.taskRunning('sleep');
      pane.keys('C-z');
      await pane.waitFor(/Stopped/);
      assert.match(await pane.run('jobs'), /sleep 300/);
      assert.match(await pane.run('bg'), /sleep 300/);
      pane.line('fg');
      await sleep(1000);
      pane.keys('C-c');
      assert.equal((await pane.run('echo status=$?')).trim(), 'status=130');
    });

    await t.test('ps and top -n 1 list the shell', async () => {
      assert.match(await pane.run('ps'), /ash/);
      assert.match(await pane.run('top -n 1 | head -20'), /ash/);
    });

    await t.test('stty -a equals a fresh Linux tty', async () => {
      const guest = sttySettings(await pane.run('stty -a'));
      const native = sttySettings(nativeFreshStty());
      // busybox init's set_sane_term (init/init.c) sets CREAD|HUPCL|CLOCAL and ICRNL|IXON|IXOFF on the console
      // before it starts the shell; on Linux the console shows the same.
      for (const flag of ['hupcl', 'clocal', 'ixoff']) { native.delete(`-${flag}`); native.add(flag); }
      const differences = [...native].filter((s) => !guest.has(s)).concat([...guest].filter((s) => !native.has(s)).map((s) => `+${s}`));
      assert.deepEqual(differences, []);
    });

    await t.test('a 1 MiB paste arrives whole', async () => {
      // tmux pastes each LF as CR (Enter); ICRNL gives the LF back, as on a Linux pty (about 0.6 s there, ~3 s here).
      const line = 'x'.repeat(63) + '\n';
      const text = line.repeat((1 << 20) / line.length);
      const file = path.join(pane.directory, 'paste.txt');
      fs.writeFileSync(file, text);
      pane.line('cat > /tmp/paste.txt');
      pane.tmux('load-buffer', '-b', 'paste', file);
      pane.tmux('paste-buffer', '-b', 'paste', '-t', 'ir0');
      pane.keys('C-d');
      const expected = `${text.length} ${createHash('md5').update(text).digest('hex')}`;
      const result = await pane.run('echo $(wc -c < /tmp/paste.txt) $(md5sum < /tmp/paste.txt)', 120_000);
      assert.equal(result.trim().replace(/\s+-$/, ''), expected);
    });

    await t.test('closing the terminal stops the machine and leaves no process behind', async () => {
      const running = (): boolean => spawnSync('pgrep', ['-f', `marker=${pane.socket}`]).status === 0;
      assert.equal(running(), true);
      pane.kill();
      const deadline = Date.now() + 20_000;
      let alive = true;
      while (alive && Date.now() < deadline) {
        await sleep(250);
        alive = running();
      }
      assert.equal(alive, false, 'ir0 boot is gone after the terminal closed');
    });
  });
