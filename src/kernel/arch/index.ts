/** i386 architecture support: signal frames and sigreturn. */
export * from './signal-frame.js';
