/**
 * The worker-thread entry of `ir0 boot`. As soon as the thread starts it loads
 * the machine and the kernel (~275 modules) and, between the loader's file
 * reads, pre-faults the part of the guest's RAM the initramfs will fill (a
 * SharedArrayBuffer the host OS backs lazily: unpacking into fresh memory
 * costs more in page faults than in copying). The terminal thread meanwhile reads the root archive and
 * sends the session's options; then one boot session runs and its result is
 * posted. The machine runs synchronously here, so the main thread stays free
 * to read the terminal.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BootSessionOptions } from './boot-session.js';
import { bootPhase } from './boot-phases.js';

/** Pre-faulted per turn of the event loop, so the module loader's reads keep going. */
const PREFAULT_SLICE = 8 * 1024 * 1024;
const PAGE = 4096;

/**
 * Zeroed memory for `bytes` of RAM whose top `prefault` bytes are touched page by page: the kernel's
 * page allocator hands out the highest free frames first, so that is where the unpacked files land.
 */
async function prefaultedRam(bytes: number, prefault: number): Promise<SharedArrayBuffer> {
  const buffer = new SharedArrayBuffer(bytes);
  const view = new Uint8Array(buffer);
  const low = Math.max(0, bytes - prefault);
  for (let end = bytes; end > low; end -= PREFAULT_SLICE) {
    for (let at = Math.max(low, end - PREFAULT_SLICE); at < end; at += PAGE) view[at] = 0;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return buffer;
}

/** What the terminal thread knows at spawn: the RAM size and how much of it the initramfs will fill. */
export interface BootWorkerData { readonly memoryMiB: number; readonly prefaultBytes: number }

const { memoryMiB, prefaultBytes } = workerData as BootWorkerData;
const session = import('./boot-session.js').then((module) => { bootPhase('worker-loaded'); return module; });
const ramBytes = memoryMiB * 1024 * 1024;
const ram = prefaultedRam(ramBytes, Math.min(ramBytes, prefaultBytes)).then((buffer) => { bootPhase('ram-prefaulted'); return buffer; });
const options = new Promise<BootSessionOptions>((resolve) => parentPort?.once('message', resolve));

Promise.all([session, ram, options]).then(([{ runBootSession }, buffer, sessionOptions]) => {
  parentPort?.postMessage({ kind: 'done', result: runBootSession(sessionOptions, buffer) });
}).catch((error: unknown) => {
  parentPort?.postMessage({ kind: 'crash', message: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error) });
});
