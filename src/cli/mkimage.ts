/**
 * `ir0 mkimage [--from DIR] --out FILE [--size MiB] [--type ext2|fat32|fat16|fat12] [--block-size 1024|2048|4096]`:
 * writes a disk image (MBR + one ext2 or FAT partition made by the project's own mkfs)
 * filled from DIR; without --from, from the default Debian image root
 * (`.cache/image/root`, built first by `ir0 image build` if needed).
 * `ir0 mkimage fuzz [--seconds N] [--seed S]` fuzzes the ext2 driver with corrupt images.
 */
import { DebianFetchError } from '../system/debian/index.js';
import { buildImage as buildRoot, ImageError } from '../system/image/index.js';
import { buildImage, fuzzExt2 } from '../system/mkimage/index.js';
import { buildFatImage } from '../system/fat/mkimage-fat.js';

const USAGE = `usage: ir0 mkimage [--from DIR] --out FILE [--size MiB] [--type ext2|fat32|fat16|fat12] [--block-size 1024|2048|4096]
without --from: the default Debian image root (.cache/image/root), built if needed
`;

interface Arguments { from?: string; out?: string; sizeMiB?: number; blockSize: 1024 | 2048 | 4096; type: 'ext2' | 'fat32' | 'fat16' | 'fat12' }

function parse(args: string[]): Arguments | string {
  const parsed: Arguments = { blockSize: 4096, type: 'ext2' };
  for (let i = 0; i < args.length; i++) {
    const argument = args[i];
    const value = args[i + 1];
    if (value === undefined) return `missing value after ${argument}`;
    i++;
    if (argument === '--from') parsed.from = value;
    else if (argument === '--out') parsed.out = value;
    else if (argument === '--size') {
      parsed.sizeMiB = Number(value);
      if (!Number.isInteger(parsed.sizeMiB) || parsed.sizeMiB < 2) return `bad --size ${value}`;
    } else if (argument === '--type') {
      if (value !== 'ext2' && value !== 'fat32' && value !== 'fat16' && value !== 'fat12') return `--type ${value} is not supported (ext2, fat32, fat16, fat12)`;
      parsed.type = value;
    } else if (argument === '--block-size') {
      if (value !== '1024' && value !== '2048' && value !== '4096') return `bad --block-size ${value}`;
      parsed.blockSize = Number(value) as 1024 | 2048 | 4096;
    } else return `unknown option ${argument}`;
  }
  if (parsed.out === undefined) return '--out FILE is required';
  return parsed;
}

/** `ir0 mkimage fuzz`: the ext2 corruption fuzzer (default 600 s). */
function fuzz(args: string[]): number {
  const option = (name: string, fallback: number): number => {
    const index = args.indexOf(name);
    return index >= 0 ? Number(args[index + 1]) : fallback;
  };
  const seconds = option('--seconds', 600);
  const seed = option('--seed', 1);
  process.stderr.write(`ir0 mkimage fuzz: ${seconds} s, seed ${seed}\n`);
  const report = fuzzExt2(seconds, seed);
  process.stdout.write(`${report.rounds} rounds: ${report.mountRefused} mounts refused, ${report.errnoRounds} with errnos, ${report.failures.length} host exceptions\n`);
  for (const failure of report.failures.slice(0, 5)) process.stdout.write(failure + '\n');
  return report.failures.length === 0 ? 0 : 1;
}

export async function run(args: string[]): Promise<number> {
  if (args[0] === 'fuzz') return fuzz(args.slice(1));
  const parsed = parse(args);
  if (typeof parsed === 'string') {
    process.stderr.write(`ir0 mkimage: ${parsed}\n${USAGE}`);
    return 2;
  }
  const started = performance.now();
  const progress = (message: string): void => { process.stderr.write(`ir0 mkimage: ${message}\n`); };
  let from = parsed.from;
  if (from === undefined) {
    try {
      const root = await buildRoot({ onProgress: progress });
      from = root.root;
    } catch (error) {
      if (error instanceof ImageError || error instanceof DebianFetchError) {
        progress(error.message);
        return 1;
      }
      throw error;
    }
  }
  if (parsed.type !== 'ext2') {
    try {
      const type = Number(parsed.type.slice(3)) as 12 | 16 | 32;
      const result = buildFatImage({ from, out: parsed.out!, type, sizeMiB: parsed.sizeMiB, progress });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      progress(`${parsed.out}: ${result.sizeMiB} MiB, FAT${type}: ${result.files} files, ${result.directories} directories, ${(result.bytes / 1048576).toFixed(1)} MiB (${seconds} s)`);
      return 0;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('mkimage:')) {
        process.stderr.write(`ir0 ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  }
  try {
    const result = buildImage({
      from, out: parsed.out!, sizeMiB: parsed.sizeMiB, blockSize: parsed.blockSize,
      rootOwner: parsed.from === undefined, progress,
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    progress(`${parsed.out}: ${result.sizeMiB} MiB, ext2 with ${result.blockSize}-byte blocks at byte ${result.partitionOffset} (${seconds} s)`);
    return 0;
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('mkimage:')) {
      process.stderr.write(`ir0 ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
