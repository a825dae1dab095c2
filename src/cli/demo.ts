/** `ir0 demo`: placeholder until the CPU can run a program. */
export function run(_args: string[]): number {
  process.stdout.write('ir0: the emulated CPU is being built; see README.md\n');
  return 0;
}
