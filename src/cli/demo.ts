/**
 * `ir0 demo`: the README's first command until the console issue boots to an
 * interactive shell. Builds the default Debian image (the first run downloads
 * the packages, with progress), boots ir0 on it and runs a short tour with
 * dash, busybox, coreutils and python3 — every program an unmodified Debian
 * i386 binary running on the emulated CPU.
 */
import { buildImage, ImageError } from '../system/image/index.js';
import { DebianFetchError } from '../system/debian/index.js';
import { run as runProgram } from './run.js';

const TOUR = [
  'echo "== uname -a"; uname -a',
  'echo "== dash arithmetic: 6*7 = $((6*7))"',
  'echo "== a pipeline"; seq 1 20 | busybox awk \'{s+=$1} END {print "sum", s}\'',
  'echo "== coreutils (dynamically linked)"; ls -l /usr/bin/python3.11 | cut -c1-10; printf "b\\na\\nc\\n" | sort | tr "\\n" " "; echo',
  'echo "== fork and wait"; (sleep 0; echo child $$ done) & wait',
  'echo "== python3"; python3.11 -c "import sys, math, json; print(sys.version.split()[0], math.factorial(20), json.dumps({\'ir0\': True}))"',
].join('; ');

export async function run(args: string[]): Promise<number> {
  let root: string;
  try {
    const image = await buildImage({ onProgress: (line) => process.stderr.write(`ir0 demo: ${line}\n`) });
    root = image.root;
  } catch (error) {
    if (error instanceof ImageError || error instanceof DebianFetchError) {
      process.stderr.write(`ir0 demo: cannot build the default image: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  process.stderr.write('ir0 demo: booting ir0 and running a tour on /bin/sh (dash)\n');
  return runProgram(['--root', root, ...args, '--', '/bin/sh', '-c', TOUR]);
}
