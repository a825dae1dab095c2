/**
 * Pid allocation as Linux does it (kernel/pid.c): increasing numbers from the
 * last one handed out, wrapping at pid_max to 300 (low pids are for daemons),
 * skipping pids still in use.
 */
export const PID_MAX = 32768;
const RESERVED = 300;

export class PidAllocator {
  private last = 0;
  private count = 0;
  private readonly used = new Set<number>();

  allocate(): number {
    for (let tries = 0; tries < PID_MAX; tries++) {
      let pid = this.last + 1;
      if (pid >= PID_MAX) pid = RESERVED;
      this.last = pid;
      if (!this.used.has(pid)) {
        this.used.add(pid);
        this.count++;
        return pid;
      }
    }
    return -1;
  }

  release(pid: number): void {
    this.used.delete(pid);
  }

  get inUse(): number { return this.used.size; }

  /** The pid handed out last (/proc/loadavg) and how many were handed out since boot (/proc/stat "processes"). */
  get lastAllocated(): number { return this.last; }
  get allocatedCount(): number { return this.count; }
}
