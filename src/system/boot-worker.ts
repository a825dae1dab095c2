/**
 * The worker-thread entry of `ir0 boot`. As soon as the thread starts it loads
 * the machine and the kernel (~275 modules) and, between the loader's file
 * reads, pre-faults the guest's RAM (a SharedArrayBuffer the host OS backs
 * lazily: unpacking the initramfs into fresh memory costs more in page faults
 * than in copying). The terminal thread meanwhile reads the root archive and
 * sends the session's options; then one boot session runs and its result is
 * posted. The machine runs synchronously here, so the main thread stays free
 * to read the terminal.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BootSessionOptions } from './boot-session.js';
import { bootPhase } from './boot-phases.js';

/** RAM beyond this is left to fault in as the guest uses it (a large --mem should not cost its size up front). */
const PREFAULT_LIMIT = 512 * 1024 * 1024;
/** Pre-faulted per turn of the event loop, so the module loader's reads keep going. */
const PREFAULT_SLICE = 8 * 1024 * 1024;
const PAGE = 4096;

/** Zeroed memory for `bytes` of RAM, its first PREFAULT_LIMIT bytes touched page by page. */
async function prefaultedRam(bytes: number): Promise<SharedArrayBuffer> {
  const buffer = new SharedArrayBuffer(bytes);
  const view = new Uint8Array(buffer);
  const end = Math.min(bytes, PREFAULT_LIMIT);
  for (let start = 0; start < end; start += PREFAULT_SLICE) {
    for (let at = start; at < Math.min(end, start + PREFAULT_SLICE); at += PAGE) view[at] = 0;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return buffer;
}

const { memoryMiB } = workerData as { memoryMiB: number };
const session = import('./boot-session.js').then((module) => { bootPhase('worker-loaded'); return module; });
const ram = prefaultedRam(memoryMiB * 1024 * 1024).then((buffer) => { bootPhase('ram-prefaulted'); return buffer; });
const options = new Promise<BootSessionOptions>((resolve) => parentPort?.once('message', resolve));

Promise.all([session, ram, options]).then(([{ runBootSession }, buffer, sessionOptions]) => {
  parentPort?.postMessage({ kind: 'done', result: runBootSession(sessionOptions, buffer) });
}).catch((error: unknown) => {
  parentPort?.postMessage({ kind: 'crash', message: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error) });
});
