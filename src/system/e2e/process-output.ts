/**
 * Runs a host command to completion with a timeout and collects what a
 * comparison needs: stdout, stderr, the exit status as a shell reports it
 * (128+signal when killed) and the wall time.
 */
import { spawn } from 'node:child_process';

export interface ProcessOutput {
  stdout: string;
  stderr: string;
  /** The exit status, or 128+signal number when killed by a signal (as sh's $?). */
  status: number;
  /** The signal name when the process was killed by one. */
  signal: string | null;
  timedOut: boolean;
  milliseconds: number;
}

const SIGNAL_NUMBERS: Record<string, number> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
};

export interface SpawnRequest {
  command: string;
  args: readonly string[];
  stdin?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  timeoutMilliseconds: number;
}

export function runProcess(request: SpawnRequest): Promise<ProcessOutput> {
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(request.command, request.args, {
      env: request.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    // detached makes the child a process-group leader, so a timeout ends the whole group.
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, request.timeoutMilliseconds);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => {}); // A program that does not read its stdin closes the pipe early.
    child.stdin.end(request.stdin ?? '');
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        status: code ?? 128 + (signal !== null ? SIGNAL_NUMBERS[signal] ?? 0 : 0),
        signal,
        timedOut,
        milliseconds: performance.now() - started,
      });
    });
  });
}
