/**
 * `ir0 image build [--out DIR] [--packages a,b,c] [--no-userland] [--update]`:
 * builds a root directory from Debian bookworm i386 packages (default:
 * busybox-static, dash, coreutils, python3.11) plus the project's userland
 * programs; `ir0 image show [--out DIR]` prints what a built image holds;
 * `ir0 image compare [CASE...]` runs the e2e cases (src/system/e2e/cases.ts)
 * natively and on ir0 in the default image and shows where they differ.
 */
import { DebianFetchError } from '../system/debian/index.js';
import { compareWithNative, E2E_CASES, e2eImage } from '../system/e2e/index.js';
import { buildImage, DEFAULT_PACKAGES, defaultImageRoot, ImageError, readManifest } from '../system/image/index.js';

const USAGE = `usage: ir0 image build [--out DIR] [--packages a,b,c] [--no-userland] [--update]
       ir0 image show [--out DIR]
       ir0 image compare [--verbose] [CASE...]   (cases: ${E2E_CASES.map((c) => c.name).join(', ')})
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

/** Runs e2e cases natively and on ir0; prints one line per case, and both outputs' differing lines with --verbose. */
async function compare(args: string[]): Promise<number> {
  const verbose = args.includes('--verbose');
  const names = args.filter((a) => a !== '--verbose');
  const unknown = names.filter((name) => !E2E_CASES.some((c) => c.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`ir0 image: unknown case ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const image = await e2eImage();
  if (image.skip !== undefined) {
    process.stderr.write(`ir0 image: ${image.skip}\n`);
    return 1;
  }
  let failures = 0;
  for (const e2e of E2E_CASES.filter((c) => names.length === 0 ? c.long !== true : names.includes(c.name))) {
    const result = await compareWithNative(e2e.program, e2e.args(), {
      root: image.root, stdin: e2e.stdin, env: e2e.env, cwd: e2e.cwd, memoryMiB: e2e.memoryMiB,
      timeoutMilliseconds: e2e.timeoutMilliseconds,
    });
    const seconds = (result.ir0.milliseconds / 1000).toFixed(1);
    if (result.differences.length > 0) failures++;
    process.stdout.write(`${result.differences.length === 0 ? 'same' : 'DIFFERENT'} ${e2e.name} (ir0 ${seconds} s): ` +
      `${result.differences.length === 0 ? e2e.summary : result.differences.join('; ')}\n`);
    if (verbose && result.differences.length > 0) {
      const native = result.native.stdout.split('\n');
      const ir0 = result.ir0.stdout.split('\n');
      for (let i = 0; i < Math.max(native.length, ir0.length); i++) {
        if (native[i] !== ir0[i]) process.stdout.write(`  ${i + 1}: native ${JSON.stringify(native[i] ?? null)}\n  ${i + 1}: ir0    ${JSON.stringify(ir0[i] ?? null)}\n`);
      }
      if (result.ir0.stderr !== result.native.stderr) process.stdout.write(`  ir0 stderr:\n${result.ir0.stderr}`);
      if (result.ir0.kernelLog !== '') process.stdout.write(`  kernel log:\n${result.ir0.kernelLog}`);
    }
  }
  return failures === 0 ? 0 : 1;
}

export async function run(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === 'compare') return compare(rest);
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
