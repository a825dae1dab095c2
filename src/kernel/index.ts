/** The ir0 kernel: what system/ uses to boot it and run programs. */
export { boot, spawnInit, parseCmdline, type BootInfo } from './boot.js';
export { runKernel, shutdownTasks, type RunOptions } from './run-loop.js';
export { shutdownStorage } from './storage.js';
export type { Kernel } from './proc/index.js';
export type { ConsoleBackend, CpioEntry, FileOps } from './fs/index.js';
export { createConsoleOps } from './fs/index.js';
export { writeCpio, parseCpio, S_IFDIR, S_IFREG, S_IFLNK } from './fs/index.js';
export { syscallTable, syscallNames, syscallCounts } from './syscalls/index.js';
export { formatOops, formatRecord } from './log/index.js';
