/**
 * The worker-thread entry of `ir0 boot`: runs one boot session with the
 * options in workerData and posts its result. The machine runs synchronously
 * here, so the main thread stays free to read the terminal.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BootSessionOptions } from './boot-session.js';
import { runBootSession } from './boot-session.js';

try {
  parentPort?.postMessage({ kind: 'done', result: runBootSession(workerData as BootSessionOptions) });
} catch (error) {
  parentPort?.postMessage({ kind: 'crash', message: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error) });
}
