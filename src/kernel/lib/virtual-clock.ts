/**
 * Virtual time from retired instructions (ARCHITECTURE.md rule 1) for a bare
 * kernel with no platform (unit tests): a nominal NS_PER_INSTRUCTION, and an
 * idle kernel skips time forward itself. A kernel on a machine reads a clock
 * source instead (kernel/time/), which is the machine's own time.
 */
export const NS_PER_INSTRUCTION = 1;

export class VirtualClock {
  private skipped = 0;

  constructor(private readonly instructions: () => number, readonly bootEpoch: number) {}

  monotonic(): number {
    return this.instructions() * NS_PER_INSTRUCTION + this.skipped;
  }

  advance(nanoseconds: number): void {
    this.skipped += Math.max(0, nanoseconds);
  }
}
