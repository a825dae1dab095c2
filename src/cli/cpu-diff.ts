/**
 * `ir0 cpu-diff [--cases N] [--seed S] [--filter TEXT] [--show N] [--all] [--reference]`: runs the
 * differential test of the vcpu against the host processor and prints coverage
 * and mismatches; --all also runs forms the table marks untestable where the
 * harness can; --reference runs the vcpu's decode-every-instruction path. Exits 1 when any case mismatches.
 */
import { formatReport, runCpuDiff } from '../system/cpu-diff/cpu-diff.js';

export function run(args: string[]): number {
  const option = (name: string): string | undefined => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const casesPerForm = Number(option('--cases') ?? 50);
  const seed = option('--seed') !== undefined ? Number(option('--seed')) : undefined;
  const report = runCpuDiff({ casesPerForm, seed, filter: option('--filter'), maxDescriptions: Number(option('--show') ?? 30),
    includeUntestable: args.includes('--all'), reference: args.includes('--reference') });
  process.stdout.write(formatReport(report) + '\n');
  return report.mismatchedCases === 0 ? 0 : 1;
}
