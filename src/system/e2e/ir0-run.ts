/**
 * Runs a program under ir0 exactly as a user would: `ir0 run --root ROOT --
 * PROGRAM ARGS` in a child Node process (bin/ir0.js), with stdin piped in.
 * ir0 run starts the program in / with the system's default environment;
 * another environment or directory is set up by /usr/bin/env and /bin/sh in
 * the image, the way a shell would do it.
 */
import { join } from 'node:path';
import { projectRoot } from '../debian/index.js';
import { runProcess, type ProcessOutput } from './process-output.js';

export interface Ir0RunOptions {
  root: string;
  stdin?: string | Buffer;
  env: readonly string[];
  cwd: string;
  memoryMiB?: number;
  timeoutMilliseconds: number;
}

/**
 * The environment `ir0 run` gives its program (DEFAULT_ENVIRONMENT of
 * src/system/system.ts), and so the native run's by default. Kept as a copy:
 * importing system.ts would load the whole machine and kernel into the
 * native side. Other environments are passed explicitly through env -i.
 */
export const IR0_DEFAULT_ENVIRONMENT: readonly string[] = ['HOME=/', 'PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', 'TERM=linux'];

/** Kernel log lines ("[    0.001234] WARN: ...", klog.ts formatRecord) that ir0 run echoes to stderr. */
const KERNEL_LOG_LINE = /^\[\s*\d+\.\d{6}\] [A-Z]+: /;

export interface Ir0Output extends ProcessOutput {
  /** Kernel log lines taken out of stderr. */
  kernelLog: string;
}

function sameEnvironment(env: readonly string[]): boolean {
  return env.length === IR0_DEFAULT_ENVIRONMENT.length && env.every((entry, i) => entry === IR0_DEFAULT_ENVIRONMENT[i]);
}

/** The argv ir0 runs: the program itself, or wrapped to set the environment and directory. */
export function ir0Argv(program: string, args: readonly string[], env: readonly string[], cwd: string): string[] {
  let argv = [program, ...args];
  if (cwd !== '/') argv = ['/bin/sh', '-c', 'cd -- "$0" || exit 127; exec "$@"', cwd, ...argv];
  if (!sameEnvironment(env)) argv = ['/usr/bin/env', '-i', ...env, ...argv];
  return argv;
}

export async function runIr0(program: string, args: readonly string[], options: Ir0RunOptions): Promise<Ir0Output> {
  const memory = options.memoryMiB === undefined ? [] : ['--mem', String(options.memoryMiB)];
  const output = await runProcess({
    command: process.execPath,
    args: [join(projectRoot(), 'bin', 'ir0.js'), 'run', '--root', options.root, ...memory, '--',
      ...ir0Argv(program, args, options.env, options.cwd)],
    stdin: options.stdin,
    timeoutMilliseconds: options.timeoutMilliseconds,
  });
  const lines = output.stderr.split(/(?<=\n)/);
  return {
    ...output,
    stderr: lines.filter((line) => !KERNEL_LOG_LINE.test(line)).join(''),
    kernelLog: lines.filter((line) => KERNEL_LOG_LINE.test(line)).join(''),
  };
}
