/** The system layer: joins a machine, a kernel and host backends. Today: the bare runner (no kernel). */
export { loadStaticElf, mapSnapshot, runBare, createWriteExitSyscalls } from './bare/index.js';
export type { BareRunResult, BareRunOptions, LoadedImage, SnapshotRegion } from './bare/index.js';
