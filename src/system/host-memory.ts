/**
 * Hands big dead host buffers back to the OS now. V8 frees an ArrayBuffer's
 * memory only at a full collection, and after boot the heap grows slowly, so
 * the packed initramfs (~120 MiB for the Debian root) would otherwise stay
 * resident through a whole python3 run. Call after dropping the last
 * reference, as Linux frees the initrd after unpacking it ("Freeing initrd memory").
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

export function collectHostGarbage(): void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) { exposed(); return; }
  // Node documents --expose-gc; setting it at run time makes `gc` available to new contexts.
  v8.setFlagsFromString('--expose-gc');
  const collect = vm.runInNewContext('gc') as (() => void) | undefined;
  collect?.();
}
