/**
 * Kernel bugs throw; expected failures are values (see result.ts).
 * `panic` and `assert` throw a KernelPanic, which the system layer turns into an oops.
 */

export class KernelPanic extends Error {
  override name = 'KernelPanic';
}

export function panic(message: string): never {
  throw new KernelPanic(message);
}

export function assert(condition: unknown, message = 'assertion failed'): asserts condition {
  if (!condition) panic(message);
}

/** Exhaustive switch helper: the compiler proves this is unreachable. */
export function assertNever(value: never): never {
  panic(`unexpected value ${String(value)}`);
}
