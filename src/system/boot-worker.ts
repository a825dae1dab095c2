/**
 * The worker-thread entry of `ir0 boot`: loads the machine and the kernel as
 * soon as the thread starts (the terminal thread meanwhile reads the root
 * archive), then runs one boot session with the options of the first message
 * and posts its result. The machine runs synchronously here, so the main
 * thread stays free to read the terminal.
 */
import { parentPort } from 'node:worker_threads';
import type { BootSessionOptions } from './boot-session.js';
import { runBootSession } from './boot-session.js';
import { bootPhase } from './boot-phases.js';

bootPhase('worker-loaded');
parentPort?.once('message', (options: BootSessionOptions) => {
  try {
    parentPort?.postMessage({ kind: 'done', result: runBootSession(options) });
  } catch (error) {
    parentPort?.postMessage({ kind: 'crash', message: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error) });
  }
});
