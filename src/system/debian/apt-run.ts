/**
 * Runs apt-get inside the sandbox of apt-sandbox.ts and streams its output
 * line by line, so callers can show progress. Messages are passed through
 * redactUris before anything is printed.
 */
import { spawn } from 'node:child_process';
import { aptOptions, redactUris } from './apt-sandbox.js';
import type { DebianPaths } from './cache-paths.js';

export interface AptResult {
  status: number;
  stdout: string;
  /** stderr with the mirror's URIs redacted. */
  stderr: string;
}

/** Runs `apt-get OPTIONS... ARGS...`; `onLine` sees each stdout line as it arrives. */
export function runAptGet(paths: DebianPaths, args: string[], onLine?: (line: string) => void): Promise<AptResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('apt-get', [...aptOptions(paths), ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        onLine?.(line);
      }
    });
    child.stderr.on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (pending !== '') onLine?.(pending);
      resolvePromise({ status: code ?? 1, stdout, stderr: redactUris(stderr) });
    });
  });
}
