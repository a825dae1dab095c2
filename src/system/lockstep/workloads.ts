/**
 * The programs the lockstep tool is run over: Debian's busybox-static (a
 * shell script with loops, and its sort, sed and awk applets) and gzip/bzip2
 * compressing a generated file. `sample` sizes keep the default test fast;
 * `full` sizes add up to more than 50 million instructions.
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchDebianPackages, projectRoot } from '../debian/index.js';

export const WORKLOAD_PACKAGES = ['busybox-static', 'gzip', 'bzip2'];

export interface Workload {
  name: string;
  argv: string[];
  stdin?: string;
}

const PT_INTERP = 3;

/** True when the ELF file names a program interpreter (a dynamically linked program). */
function isDynamic(path: string): boolean {
  const header = Buffer.alloc(4096);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  const phoff = header.readUInt32LE(28), phentsize = header.readUInt16LE(42), phnum = header.readUInt16LE(44);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 4 <= header.length && header.readUInt32LE(at) === PT_INTERP) return true;
  }
  return false;
}

/**
 * The argv that runs `program` from the Debian root: a dynamically linked
 * program is started through the root's own ld.so with its library directory,
 * so the host's libraries are never mixed in.
 */
export function debianArgv(root: string, program: string, args: readonly string[]): string[] {
  const path = program.includes('/') ? program : join(root, 'usr', 'bin', program);
  if (!existsSync(path)) throw new Error(`no such program: ${path}`);
  if (!isDynamic(path)) return [path, ...args];
  return [join(root, 'usr', 'lib', 'ld-linux.so.2'), '--library-path', join(root, 'usr', 'lib', 'i386-linux-gnu'), path, ...args];
}

/** Deterministic text (a seeded LCG picking words), compressible like real text. */
export function generateText(bytes: number, seed = 12345): string {
  const words = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'kernel', 'page', 'table', 'vcpu', 'syscall', 'signal',
    'inode', 'buffer', 'cache', 'ring', 'three', 'x86', 'i386', 'busybox', 'gzip', 'bzip2', '42', '1999', 'zero'];
  let state = seed >>> 0;
  const parts: string[] = [];
  let length = 0;
  let column = 0;
  while (length < bytes) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const word = words[(state >>> 16) % words.length] + ((state & 0xf) === 0 ? String(state % 1000) : '');
    const separator = column > 60 ? '\n' : ' ';
    column = separator === '\n' ? 0 : column + word.length + 1;
    parts.push(word, separator);
    length += word.length + 1;
  }
  return parts.join('').slice(0, bytes);
}

const SHELL_SCRIPT = `
i=0; total=0; text=""
fib() { a=0; b=1; n=$1; while [ $n -gt 0 ]; do t=$((a + b)); a=$b; b=$t; n=$((n - 1)); done; echo $a; }
while [ $i -lt $1 ]; do
  total=$(( (total * 31 + i) % 1000003 ))
  case $((i % 3)) in 0) text="$text a";; 1) text="\${text#?}";; *) text="$text-$i";; esac
  i=$((i + 1))
done
echo "total=$total length=\${#text}"
fib 40
for word in alpha beta gamma delta; do printf '%s=%d\\n' "$word" "\${#word}"; done
`;

/** $1 iterations, $2 a text file, $3 the busybox binary (not looked up in PATH). */
const PIPELINE_SCRIPT = `
i=0
while [ $i -lt $1 ]; do echo "$i $((i * i % 17))"; i=$((i + 1)); done | "$3" sort -k2 -n | "$3" sed -e 's/ /:/' |
  "$3" awk -F: '{ s += $2 } END { print s, NR }'
trap 'echo caught' USR1; kill -USR1 $$
"$3" sed -n '1,3p' "$2" | "$3" sort | "$3" awk '{ n += length($0) } END { print n }'
exec "$3" sed -e 's/a/A/g' "$2"
`;

/** Writes the input files into .cache/lockstep/ and returns the workloads. */
export async function standardWorkloads(size: 'sample' | 'full', log: (line: string) => void = () => {}): Promise<Workload[]> {
  const { root } = await fetchDebianPackages(WORKLOAD_PACKAGES, { onProgress: log });
  const directory = join(projectRoot(), '.cache', 'lockstep');
  mkdirSync(directory, { recursive: true });
  const full = size === 'full';
  const textBytes = full ? 400_000 : 6_000;
  const text = join(directory, `text-${textBytes}.txt`);
  if (!existsSync(text)) writeFileSync(text, generateText(textBytes));
  const lines = full ? 20_000 : 300;
  const numbers = join(directory, `numbers-${lines}.txt`);
  if (!existsSync(numbers)) {
    let state = 7;
    const values: string[] = [];
    for (let i = 0; i < lines; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      values.push(String(state % 100000));
    }
    writeFileSync(numbers, values.join('\n') + '\n');
  }
  const busybox = (...args: string[]): string[] => debianArgv(root, 'busybox', args);
  return [
    { name: 'busybox sh (loops)', argv: busybox('sh', '-c', SHELL_SCRIPT, 'sh', String(full ? 3000 : 60)) },
    // The shell is compared; the pipeline's children are forked and run natively (untraced); the
    // shell ends by exec'ing sed, which is compared too.
    { name: 'busybox sh (pipeline)', argv: busybox('sh', '-c', PIPELINE_SCRIPT, 'sh', String(full ? 2000 : 40), text, join(root, 'usr', 'bin', 'busybox')) },
    { name: 'busybox sort -n', argv: busybox('sort', '-n', numbers) },
    { name: 'busybox sed', argv: busybox('sed', '-e', 's/\\([a-z]*\\)um/<\\1>/g', '-e', '/kernel/d', text) },
    { name: 'busybox awk', argv: busybox('awk', '{ for (i = 1; i <= NF; i++) count[$i]++ } END { for (w in count) n++; print n, NR }', text) },
    { name: 'gzip -c', argv: debianArgv(root, 'gzip', ['-c', text]) },
    { name: 'bzip2 -c', argv: debianArgv(root, 'bzip2', ['-c', text]) },
  ];
}
