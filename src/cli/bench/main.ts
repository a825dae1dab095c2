/**
 * `npm run bench -- SUITE [--json] [--quick] [--cpu-time] [--profile] [--repeat N] [--only a,b]` (also
 * `ir0 bench ...`): runs one benchmark suite (suites.ts) and prints a table, or
 * JSON lines with --json. Exits 1 when any row failed (e.g. a wrong checksum).
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repositoryRoot } from '../../system/bench/cpu-programs.js';
import { JsonReporter, TableReporter, type BenchReporter } from './report.js';
import { benchSuites } from './suites.js';
import type { BenchOptions } from './suite.js';

function usage(): string {
  const suites = Object.entries(benchSuites).map(([name, s]) => `  ${name.padEnd(8)} ${s.summary}`);
  return (
    'usage: bench SUITE [--json] [--quick] [--cpu-time] [--profile] [--repeat N] [--only NAME,...]\n\n' +
    `suites:\n${suites.join('\n')}\n\n` +
    '  --json     one JSON object per row and a final summary object\n' +
    '  --quick    smaller workloads\n' +
    '  --cpu-time time user+system CPU seconds instead of wall time (a busy machine)\n' +
    '  --profile  V8 CPU profile of each ir0 run into .cache/bench-profiles/, hot spots on stderr\n' +
    '  --repeat   host-side runs per measurement, best counts (default 3)\n' +
    '  --only     run only the named rows\n'
  );
}

export async function run(args: string[]): Promise<number> {
  let suiteName: string | undefined;
  let json = false;
  let quick = false;
  let cpuTime = false;
  let profileDirectory: string | null = null;
  let repeat = 3;
  let only: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--json') json = true;
    else if (arg === '--quick') quick = true;
    else if (arg === '--cpu-time') cpuTime = true;
    else if (arg === '--profile') profileDirectory = path.join(repositoryRoot(), '.cache', 'bench-profiles');
    else if (arg === '--repeat' && i + 1 < args.length) repeat = Math.max(1, Number(args[++i]) | 0);
    else if (arg === '--only' && i + 1 < args.length) only = args[++i].split(',').filter((s) => s !== '');
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(usage());
      return 0;
    } else if (!arg.startsWith('-') && suiteName === undefined) suiteName = arg;
    else {
      process.stderr.write(`bench: unexpected argument '${arg}'\n\n${usage()}`);
      return 2;
    }
  }
  const entry = suiteName === undefined ? undefined : benchSuites[suiteName];
  if (suiteName === undefined || entry === undefined) {
    if (suiteName !== undefined) process.stderr.write(`bench: unknown suite '${suiteName}'\n\n`);
    process.stderr.write(usage());
    return 2;
  }

  const { suite } = await entry.load();
  const write = (text: string): void => void process.stdout.write(text);
  const reporter: BenchReporter = json ? new JsonReporter(write) : new TableReporter(write);
  const options: BenchOptions = {
    quick,
    cpuTime,
    profileDirectory,
    repeat,
    only,
    note: (message) => void process.stderr.write(`bench ${suite.name}: ${message}\n`),
  };
  reporter.begin(suite.name, suite.columns);
  const summary = await suite.run(options, (row) => reporter.row(row));
  reporter.end(summary);
  return summary.ok ? 0 : 1;
}

// Run directly (npm run bench) rather than imported by the ir0 CLI.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await run(process.argv.slice(2));
}
