/**
 * `ir0 syscalls [--markdown] [--unsupported|--partial|--supported]`: prints
 * the kernel's syscall table — every number of Linux i386's unistd_32.h with
 * its support level and note — and the counts per level.
 */
import { countBySupport, syscallMarkdown, syscallRows } from '../system/syscall-list.js';

export function run(args: string[]): number {
  const rows = syscallRows();
  if (args.includes('--markdown')) {
    process.stdout.write(syscallMarkdown(rows));
    return 0;
  }
  const only = ['supported', 'partial', 'unsupported'].find((level) => args.includes(`--${level}`));
  const unknown = args.filter((a) => a !== `--${only}`);
  if (unknown.length > 0) {
    process.stderr.write('usage: ir0 syscalls [--markdown] [--supported|--partial|--unsupported]\n');
    return 2;
  }
  for (const row of rows) {
    if (only !== undefined && row.support !== only) continue;
    const note = row.note === '' ? '' : `  ${row.note}`;
    process.stdout.write(`${String(row.number).padStart(4)}  ${row.name.padEnd(24)} ${row.support.padEnd(11)}${note}\n`);
  }
  const counts = countBySupport(rows);
  process.stdout.write(`\n${rows.length} syscalls: ${counts.supported} supported, ${counts.partial} partial, ${counts.unsupported} unsupported\n`);
  return 0;
}
