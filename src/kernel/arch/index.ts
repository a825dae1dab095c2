/** i386 architecture support: signal frames, sigreturn and the alternate signal stack. */
export * from './signal-frame.js';
export * from './alt-stack.js';
