/**
 * Virtual time from retired instructions (ARCHITECTURE.md rule 1): the
 * machine runs at a nominal NS_PER_INSTRUCTION, and an idle or sleeping
 * machine skips time forward. The same run gives the same clock readings.
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
