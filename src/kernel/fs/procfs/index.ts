/** procfs: the "proc" filesystem type (per-process directories, system-wide files, /proc/sys) and its load average. */
export { registerProcFilesystem, PROC_SUPER_MAGIC, type ProcfsState } from './filesystem.js';
export { LoadAverage, calcLoad, FIXED_1, LOAD_FREQ_NS } from './load-average.js';
