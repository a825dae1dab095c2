/**
 * The `ir0` command line: `ir0 COMMAND [ARGS...]`. Each command lives in its
 * own module, loaded on demand so that `ir0 bench` does not pay for `ir0 boot`.
 */

type Command = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> | number }> };

const commands: Record<string, Command> = {
  demo: { summary: 'run a demo program on the emulated CPU', load: () => import('./demo.js') },
  boot: { summary: 'boot the default image to a shell on this terminal (boot [--mem MiB] [--cmdline ...])', load: () => import('./boot.js') },
  run: { summary: 'run a Linux i386 program on ir0 (boots the kernel)', load: () => import('./run.js') },
  debian: { summary: 'fetch Debian bookworm i386 packages into .cache/debian', load: () => import('./debian.js') },
  image: { summary: 'build a root directory from Debian i386 packages (image build [--out DIR])', load: () => import('./image.js') },
  lockstep: { summary: 'run a program on the real CPU and the vcpu side by side', load: () => import('./lockstep.js') },
  bench: { summary: 'run a benchmark suite (bench cpu|kernel|sched|fs|boot [--json] [--quick])', load: () => import('./bench/main.js') },
  'cpu-diff': { summary: 'differential test of the vcpu against the host CPU (--cases N)', load: () => import('./cpu-diff.js') },
  syscalls: { summary: 'print the syscall table with support levels (--markdown)', load: () => import('./syscalls.js') },
  mkimage: { summary: 'write a disk image: MBR + ext2 or FAT from a directory (--from DIR --out FILE [--size MiB] [--type ext2|fat32|fat16|fat12])', load: () => import('./mkimage.js') },
  fuzz: { summary: 'fuzz the kernel: random syscalls (--seconds N --seed S), malformed ELF files (elf), corrupt disk images (fs --type ext2|fat)', load: () => import('./fuzz.js') },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: ir0 COMMAND [ARGS...]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`ir0: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  return (await command.load()).run(args);
}
