/**
 * `ir0 image build [--out DIR] [--packages a,b,c] [--no-userland] [--update]`:
 * builds a root directory from Debian bookworm i386 packages (default:
 * busybox-static, dash, coreutils, python3.11) plus the project's userland
 * programs; `ir0 image show [--out DIR]` prints what a built image holds.
 */
import { DebianFetchError } from '../system/debian/index.js';
import { buildImage, DEFAULT_PACKAGES, defaultImageRoot, ImageError, readManifest } from '../system/image/index.js';

const USAGE = `usage: ir0 image build [--out DIR] [--packages a,b,c] [--no-userland] [--update]
       ir0 image show [--out DIR]
default packages: ${DEFAULT_PACKAGES.join(',')}; default DIR: .cache/image/root
`;

interface Arguments { out?: string; packages?: string[]; userland: boolean; update: boolean }

function parse(args: string[]): Arguments | undefined {
  const parsed: Arguments = { userland: true, update: false };
  for (let i = 0; i < args.length; i++) {
    const argument = args[i];
    if (argument === '--out' && i + 1 < args.length) parsed.out = args[++i];
    else if (argument === '--packages' && i + 1 < args.length) parsed.packages = args[++i].split(',').filter((p) => p !== '');
    else if (argument === '--no-userland') parsed.userland = false;
    else if (argument === '--update') parsed.update = true;
    else return undefined;
  }
  return parsed;
}

export async function run(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  const parsed = parse(rest);
  if ((subcommand !== 'build' && subcommand !== 'show') || parsed === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (subcommand === 'show') {
    const root = parsed.out ?? defaultImageRoot();
    const manifest = readManifest(root);
    if (manifest === undefined) {
      process.stderr.write(`ir0 image: no image at ${root} (run: ir0 image build)\n`);
      return 1;
    }
    for (const p of manifest.packages) process.stdout.write(`${p.name} ${p.version} ${p.architecture}\n`);
    process.stdout.write(`root: ${root}\n`);
    return 0;
  }
  const started = performance.now();
  try {
    const result = await buildImage({
      out: parsed.out, packages: parsed.packages, userland: parsed.userland, update: parsed.update,
      onProgress: (message) => process.stderr.write(message + '\n'),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(`ir0 image: ${result.cached ? 'up to date' : 'built'} (${result.manifest.packages.length} packages, ${seconds} s)\n`);
    process.stdout.write(`${result.root}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ImageError || error instanceof DebianFetchError) {
      process.stderr.write(`ir0 image: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
