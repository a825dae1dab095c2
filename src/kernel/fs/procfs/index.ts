/** procfs: the "proc" filesystem type (per-process directories, system-wide files, /proc/sys). */
export { registerProcFilesystem, PROC_SUPER_MAGIC, type ProcfsState } from './filesystem.js';
