/**
 * `ir0 run [--root DIR|FILE.cpio] [--mem MiB] [--cmdline "..."] -- PROGRAM [ARGS...]`:
 * boots ir0 with the root as its initramfs, runs PROGRAM as pid 1 with the
 * host's stdin/stdout/stderr, and exits with its status (128+signal if killed).
 * Time is the host's unless --clock virtual (or --virtual-time): 1 ns per instruction
 * from a fixed wall-clock epoch, so two runs give the same output at the same instructions.
 */
import * as fs from 'node:fs';
import { createSystem, VIRTUAL_BOOT_EPOCH } from '../system/system.js';
import { hostConsole } from '../system/host-console.js';
import { packDirectory } from '../system/pack-root.js';
import { collectHostGarbage } from '../system/host-memory.js';
import { openFileBackend } from '../system/block-backends.js';

const USAGE = 'usage: ir0 run [--root DIR|FILE.cpio] [--mem MiB] [--cmdline "..."] [--disk FILE] [--sched rr|prio|o1|cfs|auto] [--max-instructions N] [--clock virtual|host] -- PROGRAM [ARGS...]\n';

export function run(args: string[]): number {
  let root: string | null = null;
  let disk: string | null = null;
  let memoryMiB = 256;
  let cmdline = 'loglevel=3';
  let maxInstructions: number | undefined;
  let schedClass: string | null = null;
  let virtualTime = false;
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') { i++; break; }
    if (arg === '--root') root = args[++i] ?? null;
    else if (arg === '--mem') memoryMiB = Number(args[++i]);
    else if (arg === '--disk') disk = args[++i] ?? null;
    else if (arg === '--cmdline') cmdline = args[++i] ?? '';
    else if (arg === '--sched') schedClass = args[++i] ?? null;
    else if (arg === '--max-instructions') maxInstructions = Number(args[++i]);
    else if (arg === '--virtual-time') virtualTime = true;
    else if (arg === '--clock') {
      const mode = args[++i];
      if (mode !== 'virtual' && mode !== 'host') { process.stderr.write(`ir0 run: --clock takes virtual or host\n${USAGE}`); return 2; }
      virtualTime = mode === 'virtual';
    }
    else if (arg.startsWith('-')) { process.stderr.write(`ir0 run: unknown option ${arg}\n${USAGE}`); return 2; }
    else break;
  }
  const [program, ...rest] = args.slice(i);
  // --sched: the scheduler class at boot (kernel/sched/select.ts), as sched= on the command line.
  if (schedClass) cmdline += ` sched=${schedClass}`;
  if (!program || !Number.isFinite(memoryMiB) || memoryMiB < 4) { process.stderr.write(USAGE); return 2; }
  let initramfs: Uint8Array | null = null;
  if (root) {
    const stat = fs.statSync(root, { throwIfNoEntry: false });
    if (!stat) { process.stderr.write(`ir0 run: ${root}: no such file or directory\n`); return 2; }
    initramfs = stat.isDirectory() ? packDirectory(root) : fs.readFileSync(root);
  }
  // --disk: the image is the primary ATA disk; without --root or an explicit root=, its first partition is the root.
  const diskBackend = disk ? openFileBackend(disk) : null;
  if (disk && !root && !/(^|\s)root=/.test(cmdline)) cmdline += ' root=/dev/hda1';
  const system = createSystem({
    memoryMiB, cmdline, initramfs, console: hostConsole(1), stdio: [hostConsole(0), hostConsole(1), hostConsole(2)],
    bootEpoch: virtualTime ? VIRTUAL_BOOT_EPOCH : Date.now() * 1e6, logSink: (line) => process.stderr.write(line), hostTime: !virtualTime,
    backends: diskBackend ? { disk: diskBackend } : undefined,
  });
  initramfs = null; // unpacked into the root tmpfs: the host reclaims the archive now (Linux frees initrd memory too)
  collectHostGarbage();
  if (typeof system === 'string') { process.stderr.write(`ir0 run: boot failed: ${system}\n`); return 1; }
  const result = system.run(program, [program, ...rest], undefined, maxInstructions);
  diskBackend?.close();
  if (result.error) process.stderr.write(`ir0 run: ${result.error}\n`);
  const status = result.status;
  return (status & 0x7f) === 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
}
