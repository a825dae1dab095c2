/**
 * `ir0 debian fetch [--update] PKG...`: downloads Debian bookworm i386
 * packages with their dependencies into .cache/debian/ and extracts them into
 * .cache/debian/root/ (see src/system/debian/).
 */
import { DebianFetchError, fetchDebianPackages } from '../system/debian/index.js';

const USAGE = 'usage: ir0 debian fetch [--update] PACKAGE...\n';

export async function run(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'fetch') {
    process.stderr.write(USAGE);
    return 2;
  }
  const update = rest.includes('--update');
  const names = rest.filter((a) => a !== '--update');
  if (names.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  try {
    const result = await fetchDebianPackages(names, { update, onProgress: (m) => process.stderr.write(m + '\n') });
    for (const p of result.packages) process.stdout.write(`${p.name} ${p.version} ${p.architecture}\n`);
    process.stdout.write(`root: ${result.root}\n`);
    return 0;
  } catch (error) {
    if (error instanceof DebianFetchError) {
      process.stderr.write(`ir0 debian: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
