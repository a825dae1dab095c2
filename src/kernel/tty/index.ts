/** The TTY layer: termios, the N_TTY line discipline, ttys, ptys and devpts, and the registry drivers use. */
export type { TtyDriver, TtyPort, TtyRegistry } from './tty-driver.js';
export * from './termios.js';
export { NTty, N_TTY_BUF_SIZE } from './n-tty.js';
export { Tty } from './tty.js';
export { PtyPair, PTY_SLAVE_MAJOR } from './pty.js';
export { TtyLayer, TTY_DEVICE, CONSOLE_DEVICE, PTMX_DEVICE } from './tty-layer.js';
