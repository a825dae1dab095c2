/**
 * The benchmark suites `bench SUITE` knows. Each is loaded on demand; a new suite
 * (kernel, sched, boot) is one file exporting `suite` plus one line here.
 */
import type { BenchSuite } from './suite.js';

interface SuiteEntry {
  readonly summary: string;
  load(): Promise<{ suite: BenchSuite }>;
}

export const benchSuites: Readonly<Record<string, SuiteEntry>> = {
  cpu: { summary: 'CPU-bound i386 programs natively, under qemu-i386 and on ir0', load: () => import('./cpu-suite.js') },
  kernel: { summary: 'lmbench-style kernel microbenchmarks natively, under qemu-i386 and on ir0', load: () => import('./kernel-suite.js') },
  sched: { summary: 'scheduler classes: context switch, wakeup latency, fairness, hackbench, natively and on ir0', load: () => import('./sched-suite.js') },
  fs: { summary: 'ext2 in ir0 vs the host filesystem: sequential read/write, small-file create/stat/unlink', load: () => import('./fs-suite.js') },
  boot: { summary: 'ir0 boot: from the command to the shell prompt, and poweroff', load: () => import('./boot-suite.js') },
};
