/**
 * Per-process signal dispositions (Linux's sighand_struct) and signal numbers
 * and default actions (man 7 signal, i386 numbering). Masks are bigint bit
 * sets over signals 1..64 (bit n-1 = signal n), as the kernel's sigset_t.
 */

export const SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7, SIGFPE = 8,
  SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15, SIGSTKFLT = 16,
  SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24,
  SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29, SIGPWR = 30, SIGSYS = 31;
export const NSIG = 64;

export const SIG_DFL = 0;
export const SIG_IGN = 1;

export const SA_NOCLDSTOP = 0x1;
export const SA_NOCLDWAIT = 0x2;
export const SA_SIGINFO = 0x4;
export const SA_RESTORER = 0x04000000;
export const SA_ONSTACK = 0x08000000;
export const SA_RESTART = 0x10000000;
export const SA_NODEFER = 0x40000000;
export const SA_RESETHAND = 0x80000000;

export const signalBit = (signal: number): bigint => 1n << BigInt(signal - 1);
/** SIGKILL and SIGSTOP cannot be caught, blocked or ignored. */
export const UNBLOCKABLE = signalBit(SIGKILL) | signalBit(SIGSTOP);

export type DefaultAction = 'terminate' | 'core' | 'ignore' | 'stop' | 'continue';

export function defaultAction(signal: number): DefaultAction {
  switch (signal) {
    case SIGCHLD: case SIGURG: case SIGWINCH: return 'ignore';
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: return 'stop';
    case SIGCONT: return 'continue';
    case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE: case SIGSEGV:
    case SIGXCPU: case SIGXFSZ: case SIGSYS: return 'core';
    default: return 'terminate';
  }
}

/** A disposition. Immutable: a change replaces the object (SignalHandlers.set), so fork shares them all. */
export interface SigAction {
  readonly handler: number;
  readonly flags: number;
  readonly restorer: number;
  readonly mask: bigint;
}

const DEFAULT_ACTION: SigAction = Object.freeze({ handler: SIG_DFL, flags: 0, restorer: 0, mask: 0n });

export class SignalHandlers {
  /** By signal number (index 0 unused); read-only outside: change them with set(). */
  readonly actions: readonly SigAction[];

  /** All default dispositions, or the actions of `from` (fork: the immutable actions are shared, only the array is new). */
  constructor(from?: readonly SigAction[]) {
    this.actions = from ? from.slice() : new Array<SigAction>(NSIG + 1).fill(DEFAULT_ACTION);
  }

  clone(): SignalHandlers {
    return new SignalHandlers(this.actions);
  }

  /** Installs `action` for `signal` (rt_sigaction, SA_RESETHAND, exec). */
  set(signal: number, action: SigAction): void {
    (this.actions as SigAction[])[signal] = action;
  }

  /** execve: caught signals go back to SIG_DFL; ignored ones stay ignored (man 2 execve). */
  resetForExec(): void {
    for (let signal = 1; signal <= NSIG; signal++) if (this.actions[signal]!.handler !== SIG_IGN) this.set(signal, DEFAULT_ACTION);
  }
}
