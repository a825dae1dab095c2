/** Processes: tasks, pids, the kernel state, ELF exec, clone, exit/wait, signals, TLS. */
export * from './task.js';
export * from './pid-allocator.js';
export * from './kernel-state.js';
export * from './elf.js';
export * from './exec-stack.js';
export * from './exec.js';
export * from './clone.js';
export * from './exit.js';
export * from './signal-state.js';
export * from './signal.js';
export * from './job-control.js';
export * from './job-continue.js';
export * from './tls.js';
export * from './timers.js';
export * from './robust-list.js';
export * from './load-average.js';
export * from './uts.js';
